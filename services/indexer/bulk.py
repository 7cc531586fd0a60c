"""Bulk writes that hold their batch while Elasticsearch is away, and the outcome of every item.

Documents carrying a dedup verdict are written with that verdict's version as an external version
(`external_gte`, so writing the same one again is harmless): when an article and a later revision of
its verdict arrive out of order, the index keeps the newer one and refuses the older with a 409.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from elastic_transport import ConnectionError as ESConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import AsyncElasticsearch

MAX_BACKOFF_SECONDS = 30.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Write:
    article_id: str
    document: dict[str, Any]
    version: int | None  # the dedup verdict's version; None lets Elasticsearch count versions
    source: Any  # the input event it came from, for log fields and dead letters


@dataclass
class Outcome:
    written: list[Write] = field(default_factory=list)
    stale: list[Write] = field(default_factory=list)  # the index already has a newer verdict
    refused: list[tuple[Write, str, str]] = field(default_factory=list)  # (write, reason, error)


def _retryable(status: int) -> bool:
    return status == 429 or status >= 500


def _operation(alias: str, write: Write) -> dict[str, Any]:
    header: dict[str, Any] = {"_index": alias, "_id": write.article_id}
    if write.version is not None:
        header |= {"version": write.version, "version_type": "external_gte"}
    return {"index": header}


async def write_all(
    es: AsyncElasticsearch, alias: str, writes: list[Write], report: Callable[[str], None]
) -> Outcome:
    """Write every document, retrying what Elasticsearch could not take yet; `report` hears of outages
    ("" once it answers again)."""
    outcome = Outcome()
    pending = {w.article_id: w for w in writes}
    backoff = 0.5
    while pending:
        operations: list[dict[str, Any]] = []
        for write in pending.values():
            operations += [_operation(alias, write), write.document]
        try:
            response = await es.bulk(operations=operations)
        except (ESConnectionError, ConnectionTimeout) as exc:
            report(str(exc))
            log.warning(
                "Elasticsearch unavailable, holding %d documents, retry in %.1fs: %s",
                len(pending),
                backoff,
                exc,
            )
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            continue
        report("")
        retry = {}
        for item in response["items"]:
            result = item["index"]
            write = pending[result["_id"]]
            status = result["status"]
            if status < 300:
                outcome.written.append(write)
            elif status == 409 and write.version is not None:
                outcome.stale.append(write)
            elif _retryable(status):
                retry[write.article_id] = write
            else:
                error = result.get("error", {})
                outcome.refused.append((write, error.get("type", "rejected_by_elasticsearch"), str(error)))
        pending = retry
        if pending:
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
    return outcome


async def current_sources(
    es: AsyncElasticsearch, alias: str, ids: list[str], report: Callable[[str], None]
) -> dict[str, dict[str, Any]]:
    """The indexed documents with these ids (real-time: refreshes do not matter), waiting out outages."""
    backoff = 0.5
    while True:
        try:
            response = await es.mget(index=alias, ids=ids, realtime=True)
        except (ESConnectionError, ConnectionTimeout) as exc:
            report(str(exc))
            log.warning("Elasticsearch unavailable, retry in %.1fs: %s", backoff, exc)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            continue
        report("")
        return {doc["_id"]: doc["_source"] for doc in response["docs"] if doc.get("found")}
