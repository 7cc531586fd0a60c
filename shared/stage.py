"""How a service consumes, hands records on, and dead-letters what it cannot process.

The delivery rule of the whole pipeline lives here: a batch of input events is acknowledged (and so
becomes committable) only after every record it produced, downstream or to the dead-letter topic,
was acknowledged by Kafka. A failed send is retried with backoff, holding the batch, so that a broker
outage slows the pipeline down instead of losing records.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar, cast

import faust
from faust.types import EventT, Message

from shared import topics
from shared.errors import AkhbarError
from shared.faust_overrides.consumer import HandledOnlyConsumer
from shared.faust_overrides.topic import DeadLetteringTopic
from shared.observability import Metrics
from shared.reasons import Reason
from shared.records import header, message_context
from shared.runner import StepRunner
from shared.schema import Article, DeadLetter
from shared.send_errors import RecordTooLarge, classify
from shared.service import VERSION
from shared.settings import Settings
from shared.stalls import Hold

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_BACKOFF_SECONDS = 30.0
# A dead letter carries the record back, but a whole record near the size limit may not fit in a
# dead letter (JSON, maybe base64); its head is enough to tell what it was.
DEAD_LETTER_PAYLOAD_BYTES = 65_536
# What one record may weigh encoded: the topics' limit, less room for the key, headers and the
# record batch around it
MAX_RECORD_BYTES = topics.MAX_MESSAGE_BYTES - 65_536


@dataclass(frozen=True)
class Outgoing:
    topic: faust.TopicT
    key: str | None
    value: Any
    headers: dict[str, bytes] | None = None
    source: Message | None = None  # the input record this came from, to dead-letter it if Kafka refuses


def _head(raw: bytes) -> bytes:
    """At most DEAD_LETTER_PAYLOAD_BYTES of the payload, never cut inside a UTF-8 character."""
    if len(raw) <= DEAD_LETTER_PAYLOAD_BYTES:
        return raw
    cut = DEAD_LETTER_PAYLOAD_BYTES
    while cut > DEAD_LETTER_PAYLOAD_BYTES - 4 and raw[cut] & 0xC0 == 0x80:  # a continuation byte
        cut -= 1
    return raw[:cut]


def dead_letter(
    stage: str,
    message: Message,
    reason: str,
    error: str,
    filename: str | None = None,
    article_id: str | None = None,
) -> DeadLetter:
    whole = message.value if message.value is not None else b""
    if not isinstance(whole, bytes):
        whole = str(whole).encode("utf-8")
    raw = _head(whole)
    try:
        payload, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        payload, encoding = base64.b64encode(raw).decode("ascii"), "base64"
    key = message.key.decode("utf-8", "replace") if isinstance(message.key, bytes) else None
    return DeadLetter(
        stage=stage,
        reason=reason,
        error=error,
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        key=key,
        payload=payload,
        payload_encoding=encoding,
        payload_bytes=len(whole),
        payload_truncated=len(raw) < len(whole),
        filename=filename,
        article_id=article_id,
        at=time.time(),
    )


async def each(events: Iterable[EventT], handle: Callable[[EventT], T]) -> list[T]:
    """`handle` applied to every event of a batch, letting the event loop run between two events.

    A full batch of slow steps takes seconds; without the pauses, /health, /metrics and the
    consumer's heartbeats would wait for all of it.
    """
    results = []
    for event in events:
        results.append(handle(event))
        await asyncio.sleep(0)
    return results


class Stage:
    """One service's step of the pipeline: its metrics, its output and its dead letters."""

    def __init__(
        self,
        app: faust.App,
        name: str,
        settings: Settings,
        metrics: Metrics,
        output: faust.TopicT | None = None,
    ) -> None:
        self.app = app
        self.name = name
        self.settings = settings
        self.metrics = metrics
        self.output = output
        self.dlq = app.topic(topics.ARTICLES_DLQ, key_type=str, value_type=DeadLetter, partitions=None)
        self.runner = StepRunner(name, settings.stage_budget_seconds, metrics.stalls)

    def article_topic(self, name: str) -> DeadLetteringTopic:
        """An article topic whose undecodable records become this stage's dead letters."""
        return DeadLetteringTopic(
            self.app, topics=[name], key_type=str, value_type=Article, on_bad_record=self.bad_record
        )

    async def bad_record(self, exc: Exception, message: Message) -> None:
        """Dead-letter a record that is not an article record, then let it be committed."""
        await self.reject(message, Reason.BAD_RECORD, f"not a valid article record: {exc}")
        # Faust acknowledged the record before this call, which the consumer refused: now it is handled
        self.consumer.handled([message])
        self.consumer.ack(message)

    @property
    def consumer(self) -> HandledOnlyConsumer:
        consumer = self.app.consumer
        assert isinstance(consumer, HandledOnlyConsumer), "services run on the akhbar:// transport"
        return consumer

    async def batches(self, stream: faust.StreamT) -> AsyncIterator[Sequence[EventT]]:
        """The stream in batches; a batch's records become committable when the loop body ends.

        Only then, not if the body raised or was cancelled, are they marked as handled, so that the
        consumer acknowledges them (see shared/faust_overrides/consumer.py).
        """
        # take_events is faust-streaming's; the StreamT protocol predates it
        take_events = stream.take_events  # type: ignore[attr-defined]
        async for events in take_events(self.settings.batch_size, within=self.settings.batch_seconds):
            yield events
            self.consumer.handled(event.message for event in events)

    async def work(
        self,
        events: Sequence[EventT],
        handle: Callable[[EventT], T],
        on_timeout: Callable[[EventT, float], T] | None = None,
    ) -> list[T]:
        """`handle` on every event, on the stage's worker thread, each within the time budget.

        An event whose `handle` runs out of time becomes `on_timeout(event, seconds)`, by default
        its dead letter. Only for steps that touch no Faust state (see shared/runner.py).
        """
        timed_out = on_timeout or cast(Callable[[EventT, float], T], self.timed_out)
        return await self.runner.run(events, handle, timed_out)

    async def enrich(self, stream: faust.StreamT, step: Callable[[Article], Article]) -> None:
        """Apply a pure enrichment step to every article and hand the results on."""
        async for events in self.batches(stream):
            await self.deliver(await self.work(events, partial(self.apply, step=step)))

    def apply(self, event: EventT, step: Callable[[Article], Article]) -> Outgoing:
        article = cast(Article, event.value)
        context = {"article_id": article.id, "stage": self.name, **message_context(event.message)}
        self.metrics.record_in()
        try:
            with self.metrics.timed():
                result = step(article).stamped(self.name, VERSION)
        except Exception as exc:  # one bad article must not stop the stage
            reason = exc.reason if isinstance(exc, AkhbarError) else Reason.STAGE_ERROR
            log.exception("step failed on the article", extra=context)
            return self.letter(event.message, reason, f"{type(exc).__name__}: {exc}", article)
        log.info("processed", extra=context)
        self.metrics.record_out()
        assert self.output is not None, "enrich() needs an output topic"
        return Outgoing(self.output, result.id, result, source=event.message)

    def timed_out(self, event: EventT, seconds: float) -> Outgoing:
        """The dead letter of an article whose step ran past the budget."""
        budget = self.settings.stage_budget_seconds
        error = (
            f"{self.name} stopped working on this article after {seconds:.1f} s: over its budget of "
            f"{budget:g} s per article (AKHBAR_STAGE_BUDGET_SECONDS)"
        )
        article = event.value if isinstance(event.value, Article) else None
        return self.letter(event.message, Reason.STAGE_TIMEOUT, error, article)

    def letter(
        self,
        message: Message,
        reason: str,
        error: str,
        article: Article | None = None,
        *,
        article_id: str | None = None,
        filename: str | None = None,
    ) -> Outgoing:
        """The one dead-letter path: count it, log it, and make the record that goes to the DLQ.

        The letter names the article and its file whenever the stage knows them, so that an
        operator can tell what was lost without decoding the payload.
        """
        article_id = article_id or (article.id if article is not None else None)
        filename = filename or (article.source_file if article is not None else header(message, "filename"))
        self.metrics.dead_letter(reason)
        log.warning(
            "dead-lettered reason=%s error=%s",
            reason,
            error,
            extra={
                "stage": self.name,
                "article_id": article_id,
                "file": filename,
                **message_context(message),
            },
        )
        letter = dead_letter(self.name, message, reason, error, filename, article_id)
        return Outgoing(self.dlq, article_id or letter.key, letter)

    async def reject(self, message: Message, reason: str, error: str, article: Article | None = None) -> None:
        """Dead-letter one input record now, waiting until Kafka has it."""
        self.metrics.record_in()
        await self.deliver([self.letter(message, reason, error, article)])

    async def deliver(self, messages: Sequence[Outgoing]) -> None:
        """Send every message and wait for Kafka's acknowledgement of each.

        A record Kafka will never take (too large, invalid, not authorised; see
        shared/send_errors.py) is replaced by its dead letter; any other failure is retried with
        backoff, holding the batch, and shows as a stall while it lasts.
        """
        pending = list(messages)
        backoff = 0.5
        ticket: int | None = None
        try:
            while pending:
                results = await asyncio.gather(*(self._send(m) for m in pending), return_exceptions=True)
                failed, errors = [], []
                for outgoing, result in zip(pending, results, strict=True):
                    if not isinstance(result, Exception):
                        continue
                    failure = classify(result)
                    if failure.permanent and outgoing.source is not None:
                        reason = failure.reason or Reason.REJECTED_BY_KAFKA
                        error = f"Kafka will not take this record: {failure.describe()}"
                        article = outgoing.value if isinstance(outgoing.value, Article) else None
                        failed.append(self.letter(outgoing.source, reason, error, article))
                    else:
                        failed.append(outgoing)
                        errors.append(failure.describe())
                if not errors:
                    pending = failed  # dead letters in place of refused records, if any
                    continue
                if ticket is None:
                    ticket = self.metrics.stalls.hold(self._sending(failed[0]))
                log.warning(
                    "kafka did not take %d of %d records; retrying in %.1fs: %s",
                    len(errors),
                    len(pending),
                    backoff,
                    errors[0],
                    extra={"stage": self.name},
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                pending = failed
        finally:
            if ticket is not None:
                self.metrics.stalls.release(ticket)

    @staticmethod
    def _sending(outgoing: Outgoing) -> Hold:
        source = outgoing.source
        if source is None:
            return Hold("sending", outgoing.key, outgoing.topic.get_topic_name(), -1, -1, time.monotonic())
        return Hold("sending", outgoing.key, source.topic, source.partition, source.offset, time.monotonic())

    @staticmethod
    async def _send(message: Outgoing) -> Any:
        """Encode a record once, refuse it here if it is over Kafka's limit, then send its bytes."""
        value = message.value
        if isinstance(value, faust.Record):
            value = value.dumps()
            if len(value) > MAX_RECORD_BYTES:
                raise RecordTooLarge(len(value), MAX_RECORD_BYTES)
        delivery: Awaitable[Any] = await message.topic.send(
            key=message.key, value=value, headers=message.headers
        )
        return await delivery
