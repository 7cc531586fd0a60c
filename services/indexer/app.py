"""Indexer service: bulk-writes enriched articles, the article id as document id.

Re-delivery is harmless (same id, same document). A batch's offsets become committable only after
Elasticsearch acknowledged every document of it; while Elasticsearch is away the indexer is not ready
and retries with backoff; documents Elasticsearch rejects for good go to the dead-letter topic.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from elastic_transport import ConnectionError as ESConnectionError
from elastic_transport import ConnectionTimeout

from services.indexer.documents import to_document
from shared import index, observability
from shared.bootstrap import build
from shared.stage import Outgoing, dead_letter, message_context

SERVICE = "indexer"
MAX_BACKOFF_SECONDS = 30.0
log = logging.getLogger(__name__)

service = build(SERVICE)
app, stage, settings, metrics = service.app, service.stage, service.settings, service.metrics
es = index.client(settings, request_timeout=30)
state = {"elasticsearch": "not contacted yet"}


async def elasticsearch_ready() -> str | None:
    problem = state["elasticsearch"]
    if problem:
        try:
            await es.cluster.health()
        except Exception as exc:
            return f"Elasticsearch at {settings.elasticsearch_url} does not answer: {exc}"
    return None


observability.install(app, metrics, [elasticsearch_ready])


@app.task
async def prepare_index() -> None:
    backoff = 1.0
    while True:
        try:
            name = await index.ensure_index(es, settings.index_alias)
            state["elasticsearch"] = ""
            log.info("index ready index=%s alias=%s", name, settings.index_alias)
            return
        except (ESConnectionError, ConnectionTimeout) as exc:
            state["elasticsearch"] = str(exc)
            log.warning("Elasticsearch not reachable, retrying in %.0fs: %s", backoff, exc)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)


def _retryable(status: int) -> bool:
    return status == 429 or status >= 500


async def bulk_index(events: list[Any]) -> list[Outgoing]:
    """Index the batch; returns dead letters for documents rejected for good."""
    pending = {event.value.id: event for event in events}
    letters: list[Outgoing] = []
    backoff = 0.5
    while pending:
        operations: list[dict[str, Any]] = []
        for article_id, event in pending.items():
            operations.append({"index": {"_index": settings.index_alias, "_id": article_id}})
            operations.append(to_document(event.value))
        try:
            response = await es.bulk(operations=operations)
        except (ESConnectionError, ConnectionTimeout) as exc:
            state["elasticsearch"] = str(exc)
            log.warning(
                "Elasticsearch unavailable, holding %d documents, retry in %.1fs: %s",
                len(pending),
                backoff,
                exc,
            )
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            continue
        state["elasticsearch"] = ""
        retry = {}
        for item in response["items"]:
            result = item["index"]
            event = pending[result["_id"]]
            context = {"article_id": result["_id"], **message_context(event.message)}
            if result["status"] < 300:
                metrics.record_out()
                log.info("indexed", extra=context)
            elif _retryable(result["status"]):
                retry[result["_id"]] = event
            else:
                reason = result.get("error", {}).get("type", "rejected_by_elasticsearch")
                metrics.dead_letter(reason)
                log.warning("dead-lettered reason=%s", reason, extra=context)
                letter = dead_letter(SERVICE, event.message, reason, str(result.get("error")))
                letters.append(Outgoing(stage.dlq, result["_id"], letter))
        pending = retry
        if pending:
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
    return letters


@app.agent(service.source())
async def index_articles(stream: Any) -> None:
    async for events in stage.batches(stream):
        metrics.record_in(len(events))
        with metrics.timed():
            letters = await bulk_index(list(events))
        await stage.deliver(letters)


def main() -> None:
    service.run()
