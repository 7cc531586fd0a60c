"""The Elasticsearch side: a client from settings, and the template, index and alias from files.

The template is the packaged resource shared/resources/elasticsearch/index-template.json; its
`_meta.index_version` names the concrete index (`articles-v1`, ...) that the alias points at, so a
mapping change is a new index, a reindex, and an alias swap.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from elastic_transport import NdjsonSerializer, OrjsonSerializer
from elasticsearch import AsyncElasticsearch, BadRequestError
from elasticsearch.helpers import async_bulk, async_scan

from shared import resources
from shared.settings import Settings

TEMPLATE = ("elasticsearch", "index-template.json")
TEMPLATE_NAME = "akhbar-articles"

log = logging.getLogger(__name__)


class OrjsonNdjsonSerializer(NdjsonSerializer):
    """Bulk bodies through orjson too: the standard library's encoder was a tenth of the indexer's time."""

    def json_dumps(self, data: Any) -> bytes:
        return orjson.dumps(data, default=self.default)

    def json_loads(self, data: bytes) -> Any:
        return orjson.loads(data)


SERIALIZERS = {"application/json": OrjsonSerializer(), "application/x-ndjson": OrjsonNdjsonSerializer()}


def client(settings: Settings, **options: Any) -> AsyncElasticsearch:
    return AsyncElasticsearch(
        settings.elasticsearch_url, serializers=SERIALIZERS, **settings.elasticsearch_auth, **options
    )


def load_template() -> dict[str, Any]:
    template: dict[str, Any] = json.loads(resources.read_text(*TEMPLATE))
    return template


def refresh_interval(template: dict[str, Any] | None = None) -> str:
    """How long a written document waits, at most, before search sees it."""
    interval: str = (template or load_template())["template"]["settings"]["refresh_interval"]
    return interval


def index_name(alias: str, template: dict[str, Any]) -> str:
    return f"{alias}-v{template['_meta']['index_version']}"


async def create_index(
    es: AsyncElasticsearch,
    name: str,
    template: dict[str, Any],
    aliases: dict[str, Any] | None = None,
) -> None:
    """A concrete index with the template's settings and mappings, whatever its name matches."""
    body = template["template"]
    await es.indices.create(index=name, settings=body["settings"], mappings=body["mappings"], aliases=aliases)


async def ensure_index(es: AsyncElasticsearch, alias: str) -> str:
    """Put the template, and create the versioned index behind the alias if there is none."""
    template = load_template()
    await es.indices.put_index_template(name=TEMPLATE_NAME, **template)
    if await es.indices.exists_alias(name=alias):
        current = next(iter((await es.indices.get_alias(name=alias)).body))
        # a dynamic setting follows the template without a new index
        await es.indices.put_settings(
            index=current, settings={"index": {"refresh_interval": refresh_interval(template)}}
        )
        await _add_new_fields(es, current, template)
        return current
    name = index_name(alias, template)
    if not await es.indices.exists(index=name):
        # the template's settings and mappings given explicitly: its pattern covers only the indices of
        # the default alias, and an index under another AKHBAR_INDEX_ALIAS would get none of them
        await create_index(es, name, template, aliases={alias: {"is_write_index": True}})
        log.info("created index=%s alias=%s", name, alias)
    else:
        await es.indices.put_alias(index=name, name=alias)
    return name


async def _add_new_fields(es: AsyncElasticsearch, name: str, template: dict[str, Any]) -> None:
    """Fields the template gained since the index was made are added to it in place (a mapping may
    grow); a field whose mapping changed needs `akhbar index reindex`, and the log says so."""
    try:
        await es.indices.put_mapping(index=name, **template["template"]["mappings"])
    except BadRequestError as exc:
        log.warning("index=%s has fields unlike the template (akhbar index reindex): %s", name, exc)


@dataclass(frozen=True)
class Reindexed:
    alias: str
    source: str
    target: str
    copied: int  # documents in the target after the swap (0 when nothing had to move)


async def _copy(
    es: AsyncElasticsearch, source: str, target: str, query: dict[str, Any] | None = None
) -> None:
    """Scan + bulk: helpers.async_reindex would ask for the data-stream API, absent on this build."""
    await es.indices.refresh(index=source)  # a scan sees only what has been refreshed
    hits = async_scan(es, index=source, query=query, scroll="5m", size=500)
    actions = ({"_index": target, "_id": hit["_id"], "_source": hit["_source"]} async for hit in hits)
    await async_bulk(es, actions, chunk_size=500, max_retries=5)


async def _count(es: AsyncElasticsearch, name: str) -> int:
    await es.indices.refresh(index=name)
    return int((await es.count(index=name))["count"])


async def reindex(es: AsyncElasticsearch, alias: str) -> Reindexed:
    """Move the alias to the index the template's version names: create it, copy, swap, catch up.

    The copy is scan + bulk (this distribution has no _reindex API). Writers keep using the alias
    throughout; what they wrote into the old index during the copy is copied again after the swap.
    Documents are keyed by a digest of their text, so copying one twice is harmless. The old index
    is kept until someone deletes it.
    """
    template = load_template()
    await es.indices.put_index_template(name=TEMPLATE_NAME, **template)
    source = next(iter((await es.indices.get_alias(name=alias)).body))
    target = index_name(alias, template)
    if source == target:
        return Reindexed(alias, source, target, 0)
    if not await es.indices.exists(index=target):
        await create_index(es, target, template)
    started = datetime.fromtimestamp(time.time() - 60, UTC).isoformat()  # a minute's slack for clocks
    await _copy(es, source, target)
    await es.indices.update_aliases(
        actions=[
            {"remove": {"index": source, "alias": alias}},
            {"add": {"index": target, "alias": alias, "is_write_index": True}},
        ]
    )
    late = {"query": {"range": {"indexed_at": {"gte": started}}}}
    await _copy(es, source, target, late)
    copied = await _count(es, target)
    log.info("reindexed alias=%s from=%s to=%s documents=%d", alias, source, target, copied)
    return Reindexed(alias, source, target, copied)
