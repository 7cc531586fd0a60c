"""Runs searches against an index: the one path the HTTP API and `akhbar search` share."""

from __future__ import annotations

from typing import Any

from elasticsearch import AsyncElasticsearch, NotFoundError

from services.search import query, results
from services.search.params import SearchParams

# what GET /v1/articles/{id} returns: the text as ingested and where it came from
ARTICLE_FIELDS = ["id", "title", "body", "source_file", "source", "url", "published_at", "content_format"]


async def search(es: AsyncElasticsearch, index: str, params: SearchParams) -> dict[str, Any]:
    request = query.load_request()
    response = await es.search(index=index, **query.build(params, request))
    return results.shape(response.body, params, list(request["facets"]))


async def article(es: AsyncElasticsearch, index: str, article_id: str) -> dict[str, Any] | None:
    try:
        response = await es.get(index=index, id=article_id, source_includes=ARTICLE_FIELDS)
    except NotFoundError:
        return None
    document: dict[str, Any] = response["_source"]
    return document
