"""What is in the index: one line per article, for `make run` and `akhbar report`."""

from __future__ import annotations

from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_scan

FIELDS = [
    "id",
    "title",
    "source_file",
    "language.primary",
    "entity_count",
    "number_count",
    "dedup.status",
    "published_at",
]


async def indexed_articles(
    es: AsyncElasticsearch, alias: str, limit: int | None = 100
) -> tuple[list[dict[str, Any]], int]:
    """The articles by file name, at most `limit` of them (None: every one), and how many there are."""
    if limit is None:
        scanned = async_scan(es, index=alias, _source=FIELDS, preserve_order=False)
        found = [hit["_source"] async for hit in scanned]
        return sorted(found, key=lambda doc: doc.get("source_file") or ""), len(found)
    response = await es.search(
        index=alias, size=limit, sort=[{"source_file": "asc"}], source_includes=FIELDS, track_total_hits=True
    )
    return [hit["_source"] for hit in response["hits"]["hits"]], int(response["hits"]["total"]["value"])


def format_rows(articles: list[dict[str, Any]]) -> list[str]:
    """Aligned rows; each file name isolated (U+2068...U+2069) so a name that starts with digits
    is not reordered by the Arabic title beside it."""
    rows = [f"{'id':<16}  {'lang':<4}  {'ents':>4}  {'nums':>4}  {'dedup':<8}  {'file':<28}  title"]
    for doc in articles:
        rows.append(
            f"{doc['id']:<16}  {doc.get('language', {}).get('primary', '?'):<4}  "
            f"{doc.get('entity_count', 0):>4}  {doc.get('number_count', 0):>4}  "
            f"{doc.get('dedup', {}).get('status', '?'):<8}  \u2068{doc.get('source_file', ''):<28}\u2069  "
            f"{doc.get('title', '')[:60]}"
        )
    return rows
