"""From the article record to the Elasticsearch document: nested detail plus flat facets.

Kibana's filters and top-N charts need flat keyword arrays (persons, number_units, ...); precise
queries need the nested mentions. Both are written, from the one record.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from shared.schema import Article

_ENTITY_FIELDS = {"PERSON": "persons", "LOCATION": "locations", "ORGANIZATION": "organizations"}


def iso_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds")


def _distinct(values: list[Any]) -> list[Any]:
    return list(dict.fromkeys(v for v in values if v is not None))


def to_document(article: Article, indexed_at: float | None = None) -> dict[str, Any]:
    doc = article.to_data()
    doc["ingested_at"] = iso_time(article.ingested_at)
    doc["indexed_at"] = iso_time(indexed_at if indexed_at is not None else time.time())
    language = doc["language"]  # the data just encoded, not the record built again
    doc["languages"] = sorted(language["shares"]) if language else []
    doc["foreign_text"] = "\n".join(span["text"] for span in language["spans"]) if language else ""
    entities = []
    for mention in doc["entities"]:
        lat, lon = mention.pop("lat", None), mention.pop("lon", None)
        if lat is not None and lon is not None:
            mention["location"] = {"lat": lat, "lon": lon}
        entities.append(mention)
    doc["entities"] = entities
    for entity_type, field in _ENTITY_FIELDS.items():
        doc[field] = _distinct([m["canonical"] for m in entities if m["type"] == entity_type])
    doc["places"] = _distinct(
        [f"{m['location']['lat']},{m['location']['lon']}" for m in entities if "location" in m]
    )
    doc["country_codes"] = _distinct([m.get("country_code") for m in entities])
    doc["entity_count"] = len(entities)
    doc["number_units"] = _distinct([n["unit"] for n in doc["numbers"]])
    doc["number_kinds"] = _distinct([n["kind"] for n in doc["numbers"]])
    doc["number_count"] = len(doc["numbers"])
    doc.pop("entity_counts", None)
    return doc
