"""The Elasticsearch side: a client from settings, and the template, index and alias from files.

The template lives in deploy/elasticsearch/index-template.json; its `_meta.index_version` names the
concrete index (`articles-v1`, ...) that the alias points at, so a mapping change is a new index,
a reindex, and an alias swap.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from elasticsearch import AsyncElasticsearch

from shared.settings import ROOT, Settings

TEMPLATE_FILE = ROOT / "deploy" / "elasticsearch" / "index-template.json"
TEMPLATE_NAME = "akhbar-articles"

log = logging.getLogger(__name__)


def client(settings: Settings, **options: Any) -> AsyncElasticsearch:
    return AsyncElasticsearch(settings.elasticsearch_url, **settings.elasticsearch_auth, **options)


def load_template(path: Path = TEMPLATE_FILE) -> dict[str, Any]:
    template: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return template


def index_name(alias: str, template: dict[str, Any]) -> str:
    return f"{alias}-v{template['_meta']['index_version']}"


async def ensure_index(es: AsyncElasticsearch, alias: str) -> str:
    """Put the template, and create the versioned index behind the alias if there is none."""
    template = load_template()
    await es.indices.put_index_template(name=TEMPLATE_NAME, **template)
    if await es.indices.exists_alias(name=alias):
        current = await es.indices.get_alias(name=alias)
        return next(iter(current.body))
    name = index_name(alias, template)
    if not await es.indices.exists(index=name):
        await es.indices.create(index=name, aliases={alias: {"is_write_index": True}})
        log.info("created index=%s alias=%s", name, alias)
    else:
        await es.indices.put_alias(index=name, name=alias)
    return name
