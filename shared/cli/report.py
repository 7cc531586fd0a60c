"""What is in the index: one line per article, for `make run` and `akhbar report`."""

from __future__ import annotations

from typing import Any

from elasticsearch import AsyncElasticsearch


async def indexed_articles(es: AsyncElasticsearch, alias: str, size: int = 100) -> list[dict[str, Any]]:
    response = await es.search(
        index=alias,
        size=size,
        sort=[{"source_file": "asc"}],
        source_includes=[
            "id",
            "title",
            "source_file",
            "language.primary",
            "entity_count",
            "number_count",
            "dedup.status",
            "published_at",
        ],
    )
    return [hit["_source"] for hit in response["hits"]["hits"]]


def format_rows(articles: list[dict[str, Any]]) -> list[str]:
    rows = [f"{'id':<16}  {'lang':<4}  {'ents':>4}  {'nums':>4}  {'dedup':<8}  {'file':<28}  title"]
    for doc in articles:
        rows.append(
            f"{doc['id']:<16}  {doc.get('language', {}).get('primary', '?'):<4}  "
            f"{doc.get('entity_count', 0):>4}  {doc.get('number_count', 0):>4}  "
            f"{doc.get('dedup', {}).get('status', '?'):<8}  {doc.get('source_file', ''):<28}  "
            f"{doc.get('title', '')[:60]}"
        )
    return rows
