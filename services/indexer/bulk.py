"""Bulk writes that hold their batch while Elasticsearch cannot take them, and the outcome of each item.

Documents carrying a dedup verdict are written with that verdict's version as an external version
(`external_gte`, so writing the same one again is harmless): when an article and a later revision of
its verdict arrive out of order, the index keeps the newer one and refuses the older with a 409.

What Elasticsearch refuses for a reason that is not the document's (it is away, overloaded, the
index is closed or blocked for writes, the disk passed the flood-stage watermark) is held and
retried, and `report` hears why; only a document it refuses for itself is given back as refused.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from elastic_transport import ConnectionError as ESConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import ApiError, AsyncElasticsearch

from shared.reasons import Reason

MAX_BACKOFF_SECONDS = 30.0
# One bulk request's documents, in bytes of their records. Elasticsearch's indexing pressure counts
# about four times that (a 10 MB record made a 45 MB operation) against 10% of its heap (53 MB for
# the local 512 MB): a bulk of 5 MB stays well under it, and a batch of long articles is split.
MAX_BULK_BYTES = 5 * 1024 * 1024
# documents moved to their merged story per search and bulk update
STORY_ROUND = 1000
# Item errors that say the index cannot take writes now, whatever the document
_HELD_ERROR_TYPES = frozenset({"cluster_block_exception", "index_closed_exception"})
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Write:
    article_id: str
    document: dict[str, Any]
    version: int | None  # the dedup verdict's version; None lets Elasticsearch count versions
    source: Any  # what it came from (an input event), handed back with the outcome
    size: int = 0  # about how many bytes the document takes in a bulk body


@dataclass
class Outcome:
    written: list[Write] = field(default_factory=list)
    stale: list[Write] = field(default_factory=list)  # the index already has a newer verdict
    refused: list[tuple[Write, str, str]] = field(default_factory=list)  # (write, reason, error)


def _held(status: int, error: dict[str, Any]) -> bool:
    return status == 429 or status >= 500 or error.get("type") in _HELD_ERROR_TYPES


_PRESSURE = re.compile(r"primary_operation_bytes=(\d+).*?max_primary_bytes=(\d+)")


def _never_fits(error: dict[str, Any]) -> bool:
    """A 429 from indexing pressure for a document whose own operation is over the node's limit:
    retrying it would hold the indexer for ever."""
    found = _PRESSURE.search(str(error.get("reason", "")))
    return found is not None and int(found.group(1)) > int(found.group(2))


def _operation(alias: str, write: Write) -> dict[str, Any]:
    header: dict[str, Any] = {"_index": alias, "_id": write.article_id}
    if write.version is not None:
        header |= {"version": write.version, "version_type": "external_gte"}
    return {"index": header}


def chunks(writes: list[Write], limit: int = MAX_BULK_BYTES) -> Iterator[list[Write]]:
    """The writes in bulk requests of at most `limit` bytes each (one document alone may be more)."""
    chunk: list[Write] = []
    size = 0
    for write in writes:
        if chunk and size + write.size > limit:
            yield chunk
            chunk, size = [], 0
        chunk.append(write)
        size += write.size
    if chunk:
        yield chunk


async def write_all(
    es: AsyncElasticsearch, alias: str, writes: list[Write], report: Callable[[str], None]
) -> Outcome:
    """Write every document, retrying what Elasticsearch could not take yet; `report` hears why it
    could not ("" once it takes writes again)."""
    outcome = Outcome()
    for chunk in chunks(writes):
        await _write_chunk(es, alias, chunk, report, outcome)
    return outcome


async def _write_chunk(
    es: AsyncElasticsearch,
    alias: str,
    writes: list[Write],
    report: Callable[[str], None],
    outcome: Outcome,
) -> None:
    pending = {w.article_id: w for w in writes}
    backoff = 0.5
    while pending:
        operations: list[dict[str, Any]] = []
        for write in pending.values():
            operations += [_operation(alias, write), write.document]
        try:
            response = await es.bulk(operations=operations)
        except (ESConnectionError, ConnectionTimeout) as exc:
            problem = f"Elasticsearch does not answer: {exc}"
        except ApiError as exc:
            if exc.meta.status == 413:  # the request is over http.max_content_length: halve it
                await _split(es, alias, list(pending.values()), report, outcome, exc)
                return
            problem = f"Elasticsearch refused the bulk request ({exc.meta.status}): {exc}"
        else:
            problem, pending = _sort_items(response["items"], pending, outcome)
        if not pending:
            report("")
            return
        report(problem)
        log.warning(
            "Elasticsearch cannot take writes, holding %d documents, retry in %.1fs: %s",
            len(pending),
            backoff,
            problem,
        )
        await asyncio.sleep(backoff)
        backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)


async def _split(
    es: AsyncElasticsearch,
    alias: str,
    writes: list[Write],
    report: Callable[[str], None],
    outcome: Outcome,
    error: ApiError,
) -> None:
    if len(writes) == 1:
        outcome.refused.append((writes[0], Reason.TOO_LARGE, f"Elasticsearch refused the document: {error}"))
        return
    half = len(writes) // 2
    await _write_chunk(es, alias, writes[:half], report, outcome)
    await _write_chunk(es, alias, writes[half:], report, outcome)


def _sort_items(
    items: list[dict[str, Any]], pending: dict[str, Write], outcome: Outcome
) -> tuple[str, dict[str, Write]]:
    """Each item's outcome; returns why some are held (or "") and the writes to try again."""
    retry: dict[str, Write] = {}
    problem = ""
    for item in items:
        result = item["index"]
        write = pending[result["_id"]]
        status = result["status"]
        error = result.get("error", {})
        if status < 300:
            outcome.written.append(write)
        elif status == 409 and write.version is not None:
            outcome.stale.append(write)
        elif _never_fits(error):
            outcome.refused.append(
                (write, Reason.TOO_LARGE, f"Elasticsearch cannot index it: {error.get('reason')}")
            )
        elif _held(status, error):
            retry[write.article_id] = write
            problem = problem or f"Elasticsearch holds writes ({status}): {error.get('reason', error)}"
        else:
            outcome.refused.append((write, error.get("type", "rejected_by_elasticsearch"), str(error)))
    return problem, retry


async def current_sources(
    es: AsyncElasticsearch, alias: str, ids: list[str], report: Callable[[str], None]
) -> dict[str, dict[str, Any]]:
    """The indexed documents with these ids (real-time: refreshes do not matter), waiting out outages."""
    backoff = 0.5
    while True:
        try:
            response = await es.mget(index=alias, ids=ids, realtime=True)
        except (ESConnectionError, ConnectionTimeout) as exc:
            report(f"Elasticsearch does not answer: {exc}")
            log.warning("Elasticsearch unavailable, retry in %.1fs: %s", backoff, exc)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            continue
        return {doc["_id"]: doc["_source"] for doc in response["docs"] if doc.get("found")}


async def move_story(
    es: AsyncElasticsearch, alias: str, old: str, new: str, report: Callable[[str], None]
) -> int:
    """Every indexed document of story `old` put in story `new`; returns how many moved.

    Found by a search and moved by partial updates of `dedup.cluster_id`, a round of at most
    STORY_ROUND at a time until none is left: update-by-query would do it in one request, but it
    needs Elasticsearch's reindex module and Painless, which the local engine does not carry.
    Refreshed first, so that a copy indexed a moment ago is found too. A document that changed
    meanwhile is updated again (`retry_on_conflict`); what Elasticsearch refuses is logged and left.
    """
    moved, backoff = 0, 0.5
    while True:
        try:
            await es.indices.refresh(index=alias)
            found = await es.search(
                index=alias, query={"term": {"dedup.cluster_id": old}}, size=STORY_ROUND, source=False
            )
            ids = [hit["_id"] for hit in found["hits"]["hits"]]
            if not ids:
                return moved
            update = {"doc": {"dedup": {"cluster_id": new}}}
            operations = [op for i in ids for op in ({"update": {"_id": i, "retry_on_conflict": 3}}, update)]
            response = await es.bulk(index=alias, operations=operations)
        except (ESConnectionError, ConnectionTimeout, ApiError) as exc:
            if isinstance(exc, ApiError) and not _held(exc.meta.status, {}):
                log.warning("story %s not moved to %s: %s", old, new, exc)
                return moved
            report(f"Elasticsearch does not answer: {exc}")
            log.warning("Elasticsearch unavailable, retry in %.1fs: %s", backoff, exc)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            continue
        failed = [item["update"] for item in response["items"] if item["update"].get("status", 500) >= 300]
        moved += len(ids) - len(failed)
        if failed:
            log.warning("%d document(s) of story %s not moved: %s", len(failed), old, failed[0].get("error"))
            return moved
