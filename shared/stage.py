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
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar, cast

import faust
from aiokafka.errors import MessageSizeTooLargeError
from faust.types import EventT, Message

from shared import topics
from shared.errors import AkhbarError
from shared.observability import Metrics
from shared.schema import Article, DeadLetter
from shared.service import VERSION
from shared.settings import Settings
from shared.transport import HandledOnlyConsumer

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_BACKOFF_SECONDS = 30.0
# A dead letter carries the record back, but a whole record near the size limit may not fit in a
# dead letter (JSON, maybe base64); its head is enough to tell what it was.
DEAD_LETTER_PAYLOAD_BYTES = 65_536
# Kafka refuses these records for good: retrying them would hold the stage for ever.
PERMANENT_SEND_ERRORS = (MessageSizeTooLargeError,)


@dataclass(frozen=True)
class Outgoing:
    topic: faust.TopicT
    key: str | None
    value: Any
    headers: dict[str, bytes] | None = None
    source: Message | None = None  # the input record this came from, to dead-letter it if Kafka refuses


def message_context(message: Message) -> dict[str, Any]:
    """key=value log fields that locate one input record."""
    return {"topic": message.topic, "partition": message.partition, "offset": message.offset}


def header(message: Message, name: str) -> str | None:
    """A header's value as text; Kafka headers are (name, bytes) pairs, names case-sensitive."""
    headers = message.headers or []
    pairs: Iterable[tuple[str, Any]] = headers.items() if isinstance(headers, Mapping) else headers
    for key, value in pairs:
        if key.lower() == name.lower() and value is not None:
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return None


def _head(raw: bytes) -> bytes:
    """At most DEAD_LETTER_PAYLOAD_BYTES of the payload, never cut inside a UTF-8 character."""
    if len(raw) <= DEAD_LETTER_PAYLOAD_BYTES:
        return raw
    cut = DEAD_LETTER_PAYLOAD_BYTES
    while cut > DEAD_LETTER_PAYLOAD_BYTES - 4 and raw[cut] & 0xC0 == 0x80:  # a continuation byte
        cut -= 1
    return raw[:cut]


def dead_letter(
    stage: str, message: Message, reason: str, error: str, filename: str | None = None
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


class ArticleTopic(faust.Topic):
    """An article topic whose undecodable records go to the dead-letter topic.

    Faust's default for a value it cannot decode is to raise inside the agent; one malformed record
    would then stop the stage. Here it is dead-lettered and the stream goes on.
    """

    def __init__(self, *args: Any, stage: Stage | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stage = stage

    def _clone_args(self) -> Mapping[str, Any]:
        # an agent iterates over a clone of its topic: without the stage, the clone gave the error
        # to the stream, and the record was neither dead-lettered nor committed
        return {**super()._clone_args(), "stage": self.stage}

    async def on_value_decode_error(self, exc: Exception, message: Message) -> None:
        if self.stage is None:
            await super().on_value_decode_error(exc, message)
            return
        await self.stage.reject(message, "bad_record", f"not a valid article record: {exc}")
        # Faust acknowledged the record before this call, which the consumer refused: now it is handled
        self.stage.consumer.handled([message])
        self.stage.consumer.ack(message)


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

    def article_topic(self, name: str) -> ArticleTopic:
        return ArticleTopic(self.app, topics=[name], key_type=str, value_type=Article, stage=self)

    @property
    def consumer(self) -> HandledOnlyConsumer:
        consumer = self.app.consumer
        assert isinstance(consumer, HandledOnlyConsumer), "services run on the akhbar:// transport"
        return consumer

    async def batches(self, stream: faust.StreamT) -> AsyncIterator[Sequence[EventT]]:
        """The stream in batches; a batch's records become committable when the loop body ends.

        Only then, not if the body raised or was cancelled, are they marked as handled, so that the
        consumer acknowledges them (see shared/transport.py).
        """
        # take_events is faust-streaming's; the StreamT protocol predates it
        take_events = stream.take_events  # type: ignore[attr-defined]
        async for events in take_events(self.settings.batch_size, within=self.settings.batch_seconds):
            yield events
            self.consumer.handled(event.message for event in events)

    async def enrich(self, stream: faust.StreamT, step: Callable[[Article], Article]) -> None:
        """Apply a pure enrichment step to every article and hand the results on."""
        async for events in self.batches(stream):
            await self.deliver(await each(events, partial(self.apply, step=step)))

    def apply(self, event: EventT, step: Callable[[Article], Article]) -> Outgoing:
        article = cast(Article, event.value)
        context = {"article_id": article.id, "stage": self.name, **message_context(event.message)}
        self.metrics.record_in()
        try:
            with self.metrics.timed():
                result = step(article).stamped(self.name, VERSION)
        except Exception as exc:  # one bad article must not stop the stage
            reason = exc.reason if isinstance(exc, AkhbarError) else "stage_error"
            log.exception("dead-lettered reason=%s", reason, extra=context)
            self.metrics.dead_letter(reason)
            letter = dead_letter(self.name, event.message, reason, f"{type(exc).__name__}: {exc}")
            return Outgoing(self.dlq, article.id, letter)
        log.info("processed", extra=context)
        self.metrics.record_out()
        assert self.output is not None, "enrich() needs an output topic"
        return Outgoing(self.output, result.id, result, source=event.message)

    async def reject(self, message: Message, reason: str, error: str, filename: str | None = None) -> None:
        """Dead-letter one input record now, waiting until Kafka has it."""
        self.metrics.record_in()
        self.metrics.dead_letter(reason)
        log.warning(
            "dead-lettered reason=%s error=%s",
            reason,
            error,
            extra={"stage": self.name, **message_context(message)},
        )
        letter = dead_letter(self.name, message, reason, error, filename)
        await self.deliver([Outgoing(self.dlq, letter.key, letter)])

    async def deliver(self, messages: Sequence[Outgoing]) -> None:
        """Send every message and wait for Kafka's acknowledgement of each, retrying failures."""
        pending = list(messages)
        backoff = 0.5
        while pending:
            results = await asyncio.gather(*(self._send(m) for m in pending), return_exceptions=True)
            failed = []
            for outgoing, result in zip(pending, results, strict=True):
                if isinstance(result, PERMANENT_SEND_ERRORS) and outgoing.source is not None:
                    failed.append(self._refused(outgoing, outgoing.source, result))
                elif isinstance(result, Exception):
                    failed.append(outgoing)
            if not failed:
                return
            log.warning(
                "kafka did not take %d of %d records; retrying in %.1fs: %s",
                len(failed),
                len(pending),
                backoff,
                next(r for r in results if isinstance(r, Exception)),
                extra={"stage": self.name},
            )
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            pending = failed

    def _refused(self, outgoing: Outgoing, source: Message, error: Exception) -> Outgoing:
        """The dead letter that replaces a record Kafka will never take."""
        reason = "too_large_for_kafka"
        self.metrics.dead_letter(reason)
        log.warning("dead-lettered reason=%s", reason, extra={"stage": self.name, **message_context(source)})
        letter = dead_letter(self.name, source, reason, f"{type(error).__name__}: {error}")
        return Outgoing(self.dlq, outgoing.key, letter)

    @staticmethod
    async def _send(message: Outgoing) -> Any:
        delivery: Awaitable[Any] = await message.topic.send(
            key=message.key, value=message.value, headers=message.headers
        )
        return await delivery
