"""Indexer service: bulk-writes enriched articles, the article id as document id, and applies the
dedup revisions of earlier articles.

Re-delivery is harmless (same id, same document). A batch's offsets become committable only after
Elasticsearch acknowledged every document of it; while Elasticsearch is away the indexer is not ready
and retries with backoff; documents Elasticsearch rejects for good go to the dead-letter topic. A
revision can overtake its article (they travel on different topics): it waits a little for the
document, then goes to the back of its topic to try again later, and the verdict versions keep an
older verdict from overwriting a newer one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import orjson
from elastic_transport import ConnectionError as ESConnectionError
from elastic_transport import ConnectionTimeout

from services.indexer import bulk, revisions
from services.indexer.availability import Availability
from services.indexer.documents import to_document
from shared import index, observability, topics
from shared.bootstrap import build
from shared.reasons import Reason
from shared.records import header, message_context
from shared.schema import Article, DedupRevision
from shared.stage import Outgoing

SERVICE = "indexer"
MAX_BACKOFF_SECONDS = 30.0
# A revision whose document is not in the index yet waits this long, holding its batch, then is
# sent to the back of its topic; after the last attempt (about two minutes) it is dead-lettered.
REVISION_WAIT_SECONDS = 10.0
REVISION_ATTEMPTS = 12
ATTEMPT_HEADER = "akhbar-attempt"
log = logging.getLogger(__name__)

service = build(SERVICE)
app, stage, settings, metrics = service.app, service.stage, service.settings, service.metrics
es = index.client(settings, request_timeout=30)
availability = Availability(es, settings.elasticsearch_url)
revisions_topic = app.topic(topics.ARTICLES_REVISIONS, key_type=str, value_type=DedupRevision)
observability.install(app, metrics, [availability.readiness])


@app.task
async def prepare_index() -> None:
    backoff = 1.0
    while True:
        try:
            name = await index.ensure_index(es, settings.index_alias)
            availability.report("")
            log.info("index ready index=%s alias=%s", name, settings.index_alias)
            return
        except (ESConnectionError, ConnectionTimeout) as exc:
            availability.report(f"Elasticsearch does not answer: {exc}")
            log.warning("Elasticsearch not reachable, retrying in %.0fs: %s", backoff, exc)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)


def _context(article_id: str, event: Any) -> dict[str, Any]:
    return {"article_id": article_id, **message_context(event.message)}


def _letter(write: bulk.Write | None, event: Any, reason: str, error: str) -> Outgoing:
    article = event.value if isinstance(event.value, Article) else None
    article_id = write.article_id if write is not None else None
    return stage.letter(event.message, reason, error, article, article_id=article_id)


def settle(outcome: bulk.Outcome, done: str) -> list[Outgoing]:
    """Log what happened to each write; returns dead letters for the refused ones."""
    for write in outcome.written:
        log.info(done, extra=_context(write.article_id, write.source))
    for write in outcome.stale:
        log.info(
            "not written: the index has a newer dedup verdict than version=%d",
            write.version,
            extra=_context(write.article_id, write.source),
        )
    return [_letter(w, w.source, reason, error) for w, reason, error in outcome.refused]


async def index_batch(events: list[Any]) -> list[Outgoing]:
    writes, letters = [], []
    for event in events:
        article: Article = event.value
        try:
            version = article.dedup.version if article.dedup and article.dedup.version else None
            size = len(event.message.value or b"")  # the record's bytes: about the document's
            writes.append(bulk.Write(article.id, to_document(article), version, event, size))
        except Exception as exc:  # a malformed nested field of one article must not stop the indexer
            log.exception("could not make the document", extra=_context(article.id, event))
            letters.append(_letter(None, event, Reason.STAGE_ERROR, f"{type(exc).__name__}: {exc}"))
    outcome = await bulk.write_all(es, settings.index_alias, writes, availability.report)
    metrics.record_out(len(outcome.written) + len(outcome.stale))
    return letters + settle(outcome, "indexed")


async def revise_batch(events: list[Any]) -> list[Outgoing]:
    """Apply the newest revision of each article once its document is in the index; returns dead
    letters and revisions to try again later."""
    pending = revisions.newest(e.value for e in events)
    source = {e.value.article_id: e for e in events if e.value is pending[e.value.article_id]}
    outgoing: list[Outgoing] = []
    deadline, backoff = time.monotonic() + REVISION_WAIT_SECONDS, 0.25
    while pending:
        found = await bulk.current_sources(es, settings.index_alias, list(pending), availability.report)
        writes = []
        for article_id, document in found.items():
            revision = pending.pop(article_id)
            revised = revisions.revised_document(document, revision, time.time())
            size = len(orjson.dumps(revised))
            writes.append(bulk.Write(article_id, revised, revision.dedup.version, source[article_id], size))
        outcome = await bulk.write_all(es, settings.index_alias, writes, availability.report)
        metrics.revised(len(outcome.written))
        outgoing += settle(outcome, "revised")
        written = [source[w.article_id].value for w in outcome.written]
        for old, new in revisions.story_moves(found, written).items():
            moved = await bulk.move_story(es, settings.index_alias, old, new, availability.report)
            log.info(
                "story merged into cluster_id=%s: %d document(s) moved", new, moved, extra={"story": old}
            )
        if pending and time.monotonic() > deadline:
            outgoing += [_later(i, source[i], r) for i, r in pending.items()]
            break
        if pending:
            await asyncio.sleep(backoff)  # the article's own document is on its way
            backoff = min(backoff * 2, REVISION_WAIT_SECONDS / 4)
    return outgoing


def _later(article_id: str, event: Any, revision: DedupRevision) -> Outgoing:
    """The revision again, at the back of its topic; or, after the last attempt, its dead letter."""
    attempt = int(header(event.message, ATTEMPT_HEADER) or "1")
    if attempt >= REVISION_ATTEMPTS:
        # its article never reached the index: dead-lettered itself, deleted, or far behind
        error = f"no document {article_id} after {attempt} attempts"
        return stage.letter(event.message, Reason.REVISION_TARGET_MISSING, error, article_id=article_id)
    context = _context(article_id, event)
    log.info("document not indexed yet, revision sent back attempt=%d", attempt, extra=context)
    headers = {ATTEMPT_HEADER: str(attempt + 1).encode()}
    return Outgoing(revisions_topic, article_id, revision, headers=headers, source=event.message)


@app.agent(service.source())
async def index_articles(stream: Any) -> None:
    async for events in stage.batches(stream):
        metrics.record_in(len(events))
        with metrics.timed():
            letters = await index_batch(list(events))
        await stage.deliver(letters)


@app.agent(revisions_topic)
async def apply_revisions(stream: Any) -> None:
    async for events in stage.batches(stream):
        await stage.deliver(await revise_batch(list(events)))


def main() -> None:
    service.run()
