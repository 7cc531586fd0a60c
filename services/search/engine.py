"""Runs searches against an index: the one path the HTTP API and `akhbar search` share."""

from __future__ import annotations

from typing import Any

from elasticsearch import AsyncElasticsearch, NotFoundError

from services.search import article as article_page
from services.search import entities, query, results
from services.search.params import SearchParams

# what GET /v1/articles/{id} returns: the text as ingested and where it came from
ARTICLE_FIELDS = ["id", "title", "body", "source_file", "source", "url", "published_at", "content_format"]
# what the article page needs besides: its mentions, its language and what dedup said of it
PAGE_FIELDS = [*ARTICLE_FIELDS, "language.primary", "entities", "numbers", "dedup"]
# another article as a line on that page
SUMMARY_FIELDS = ["id", "title", "source_file", "source", "published_at", "dedup.status"]
MAX_COPIES = 50


async def named(es: AsyncElasticsearch, index: str, q: str, request: dict[str, Any]) -> list[entities.Named]:
    """The entities the query names, as the index's articles link them (none when the request
    asks for no entity matching, or the query uses operators and is taken as typed)."""
    text = request["text"]
    if not q or "entities" not in request or query.has_operators(q):
        return []
    surfaces = entities.candidates(q, text["spelling_variants"], text["max_variants"])
    response = await es.search(index=index, **entities.lookup_body(list(surfaces)))
    return entities.linked(response.body, surfaces, q)


async def search(
    es: AsyncElasticsearch, index: str, params: SearchParams, request: dict[str, Any] | None = None
) -> dict[str, Any]:
    request = request or query.load_request()
    found = await named(es, index, params.q, request)
    response = await es.search(index=index, **query.build(params, request, found))
    return results.shape(response.body, params, list(request["facets"]))


async def article(es: AsyncElasticsearch, index: str, article_id: str) -> dict[str, Any] | None:
    try:
        response = await es.get(index=index, id=article_id, source_includes=ARTICLE_FIELDS)
    except NotFoundError:
        return None
    document: dict[str, Any] = response["_source"]
    return document


async def page(es: AsyncElasticsearch, index: str, article_id: str) -> dict[str, Any] | None:
    """The article with its mentions, the other articles of its story and the ones it shares passages
    with (see services/search/article.py)."""
    try:
        response = await es.get(index=index, id=article_id, source_includes=PAGE_FIELDS)
    except NotFoundError:
        return None
    document: dict[str, Any] = response["_source"]
    dedup = document.get("dedup") or {}
    copies: list[dict[str, Any]] = []
    if dedup.get("cluster_id"):
        found = await es.search(
            index=index,
            query={"term": {"dedup.cluster_id": dedup["cluster_id"]}},
            sort=[{"ingested_at": "asc"}],
            size=MAX_COPIES,
            source_includes=SUMMARY_FIELDS,
        )
        copies = [hit["_source"] for hit in found["hits"]["hits"]]
    wanted = {r["article_id"] for r in dedup.get("related") or []}
    # the head of its copy group: in its story too, unless the story is longer than MAX_COPIES
    if dedup.get("duplicate_of"):
        wanted.add(dedup["duplicate_of"])
    others: dict[str, dict[str, Any]] = {}
    if wanted:
        got = await es.mget(index=index, ids=sorted(wanted), source_includes=SUMMARY_FIELDS)
        others = {d["_id"]: d["_source"] for d in got["docs"] if d.get("found")}
    if dedup.get("duplicate_of") in others:
        copies.append(others[dedup["duplicate_of"]])
    return article_page.page(document, copies, others)
