"""Every field Kibana's saved objects use exists in the index mapping with a type that allows the use.

The mapping is the one the template gives a fresh `akhbar-test-*` index, read back through field_caps
(what Kibana itself asks), so a renamed field or a text field used for a chart fails here, not in Kibana.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from shared import index, kibana
from shared.settings import Settings

pytestmark = pytest.mark.integration
DATA_VIEW = "index-pattern"
# Lens operation -> the field types it can run on
OPERATIONS = {
    "date_histogram": {"date"},
    "terms": {"keyword", "long", "integer", "double", "float", "boolean", "ip"},
    "sum": {"long", "integer", "double", "float"},
    "average": {"long", "integer", "double", "float"},
    "max": {"long", "integer", "double", "float", "date"},
    "min": {"long", "integer", "double", "float", "date"},
    "unique_count": {"keyword", "long", "integer", "double", "float"},
}


def saved_objects() -> list[dict[str, Any]]:
    return [obj for file in kibana.saved_object_files() for obj in kibana.saved_objects(file)]


async def _field_caps(settings: Settings) -> dict[str, dict[str, Any]]:
    es = index.client(settings)
    name = f"akhbar-test-kibana-{uuid.uuid4().hex[:8]}"
    try:
        await index.create_index(es, name, index.load_template())
        caps = await es.field_caps(index=name, fields="*")
        return {field: next(iter(types.values())) for field, types in caps["fields"].items()}
    finally:
        await es.indices.delete(index=name, ignore_unavailable=True)
        await es.close()


@pytest.fixture(scope="module")
def fields(engines: Settings) -> Iterator[dict[str, dict[str, Any]]]:
    yield asyncio.run(_field_caps(engines))


def uses(obj: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, what the object does with it): time, column, sort, an operation, geo."""
    attributes = obj["attributes"]
    if obj["type"] == DATA_VIEW:
        yield attributes["timeFieldName"], "time"
    elif obj["type"] == "search":
        yield from ((column, "column") for column in attributes["columns"])
        yield from ((field, "sort") for field, _ in attributes["sort"])
    elif obj["type"] == "lens":
        for layer in attributes["state"]["datasourceStates"]["formBased"]["layers"].values():
            for column in layer["columns"].values():
                if column["sourceField"] != "___records___":
                    yield column["sourceField"], column["operationType"]
    elif obj["type"] == "map":
        for layer in json.loads(attributes["layerListJSON"]):
            geo = layer.get("sourceDescriptor", {}).get("geoField")
            if geo:
                yield geo, "geo"


def allowed(use: str, caps: dict[str, Any]) -> bool:
    if use == "time":
        return bool(caps["type"] == "date" and caps["aggregatable"])
    if use == "column":
        return bool(caps["searchable"] or caps["aggregatable"])
    if use == "sort":
        return bool(caps["aggregatable"])
    if use == "geo":
        return bool(caps["type"] == "geo_point" and caps["aggregatable"])
    return bool(caps["type"] in OPERATIONS[use] and caps["aggregatable"])


def test_the_objects_a_user_meets_first_are_there() -> None:
    objects = saved_objects()
    by_type = {obj["type"] for obj in objects}
    assert {DATA_VIEW, "search", "lens", "map", "dashboard"} <= by_type
    data_view = next(obj for obj in objects if obj["type"] == DATA_VIEW)
    assert data_view["attributes"]["title"] == Settings().index_alias
    # every article has an arrival time; few give a publication date, which stays a field to chart
    assert data_view["attributes"]["timeFieldName"] == "ingested_at"
    saved_search = next(obj for obj in objects if obj["type"] == "search")
    assert "published_at" in saved_search["attributes"]["columns"]


def test_every_reference_resolves_within_the_files() -> None:
    objects = saved_objects()
    known = {(obj["type"], obj["id"]) for obj in objects}
    for obj in objects:
        for reference in obj["references"]:
            assert (reference["type"], reference["id"]) in known, (obj["id"], reference)
    dashboard = next(obj for obj in objects if obj["type"] == "dashboard")
    panels = json.loads(dashboard["attributes"]["panelsJSON"])
    names = {reference["name"] for reference in dashboard["references"]}
    assert all(f"{panel['panelIndex']}:{panel['panelRefName']}" in names for panel in panels)


def test_every_field_exists_with_a_type_that_allows_its_use(fields: dict[str, dict[str, Any]]) -> None:
    checked = 0
    for obj in saved_objects():
        for field, use in uses(obj):
            assert field in fields, f"{obj['id']}: {field} is not in the mapping"
            assert allowed(use, fields[field]), f"{obj['id']}: {field} ({fields[field]['type']}) cannot {use}"
            checked += 1
    assert checked >= 15
