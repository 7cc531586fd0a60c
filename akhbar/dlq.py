"""`akhbar dlq`: what the dead-letter topic holds, and sending it back to where it failed.

Every dead letter names the stage, the reason, the input record's topic, partition and offset, and
carries that record's value (its first 64 KiB). Replaying a letter sends the original value to the
topic it was read from: the file's bytes to `ingest.files` with its file name, an article record to
the input topic of the stage that rejected it. When the letter kept only the head of the value, the
whole value is read back from that topic, as long as Kafka still has it. Article ids are digests
of the text, so a replayed article that is indexed again replaces its own document: replaying twice
adds nothing.
"""

from __future__ import annotations

import base64
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from shared import topics
from shared.settings import Settings

REPLAY_HEADER = "akhbar-replay"  # dlq/<partition>@<offset> of the letter a record was replayed from
_AGO = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86_400}


class DlqError(Exception):
    """An operator's request the dead-letter topic cannot answer (no such letter, an unreadable date)."""


@dataclass(frozen=True)
class Letter:
    partition: int  # where the letter itself is, in articles.dlq
    offset: int
    fields: dict[str, Any]  # the DeadLetter record

    @property
    def ref(self) -> str:
        return f"{self.partition}:{self.offset}"

    def get(self, name: str) -> Any:
        return self.fields.get(name)

    def payload(self) -> bytes:
        """The value the letter carries (maybe only its head: see `payload_truncated`)."""
        text = self.get("payload") or ""
        return base64.b64decode(text) if self.get("payload_encoding") == "base64" else text.encode("utf-8")


@dataclass(frozen=True)
class Filters:
    stage: str | None = None
    reason: str | None = None
    since: float | None = None  # epoch seconds

    def match(self, letter: Letter) -> bool:
        return (
            (self.stage is None or letter.get("stage") == self.stage)
            and (self.reason is None or letter.get("reason") == self.reason)
            and (self.since is None or (letter.get("at") or 0) >= self.since)
        )


def parse_since(text: str | None, now: float | None = None) -> float | None:
    """`30m`, `2h`, `1d` ago, or an ISO date or date-time (UTC unless it says otherwise)."""
    if not text:
        return None
    now = time.time() if now is None else now
    ago = _AGO.match(text.strip())
    if ago:
        return now - float(ago.group(1)) * _SECONDS[ago.group(2)]
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise DlqError(f"--since {text!r}: give an age like 30m, 2h, 1d or a date like 2026-12-01") from None
    if when.tzinfo is None:
        return when.replace(tzinfo=datetime.now().astimezone().tzinfo).timestamp()
    return when.timestamp()


def _consumer(settings: Settings) -> KafkaConsumer:
    return KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        enable_auto_commit=False,
        max_partition_fetch_bytes=topics.MAX_MESSAGE_BYTES,
        fetch_max_bytes=topics.MAX_MESSAGE_BYTES,
        consumer_timeout_ms=5000,
    )


def read(settings: Settings, filters: Filters = Filters()) -> list[Letter]:
    """Every dead letter that matches, oldest first; reads the topic to its end as it is now."""
    consumer = _consumer(settings)
    try:
        partitions = consumer.partitions_for_topic(topics.ARTICLES_DLQ) or set()
        tps = [TopicPartition(topics.ARTICLES_DLQ, p) for p in sorted(partitions)]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        ends = consumer.end_offsets(tps)
        letters = []
        remaining = {tp for tp in tps if ends[tp] > consumer.position(tp)}
        while remaining:
            batch = consumer.poll(timeout_ms=2000)
            if not batch:
                break  # the broker has nothing more to give within the wait
            for tp, records in batch.items():
                for record in records:
                    if record.offset >= ends[tp]:
                        continue
                    letter = Letter(tp.partition, record.offset, orjson.loads(record.value))
                    if filters.match(letter):
                        letters.append(letter)
                if consumer.position(tp) >= ends[tp]:
                    remaining.discard(tp)
        return sorted(letters, key=lambda letter: letter.get("at") or 0)
    finally:
        consumer.close()


def tally(letters: Iterable[Letter]) -> list[tuple[str, str, int]]:
    """(stage, reason, count), most frequent first."""
    counts = Counter((letter.get("stage") or "?", letter.get("reason") or "?") for letter in letters)
    return [(stage, reason, n) for (stage, reason), n in counts.most_common()]


def find(letters: Iterable[Letter], wanted: str) -> Letter:
    """The letter at `PARTITION:OFFSET` in articles.dlq, or the newest about article (or key) `wanted`."""
    matches = [
        letter
        for letter in letters
        if wanted in (letter.ref, letter.get("article_id"), letter.get("key"), letter.get("filename"))
    ]
    if not matches:
        raise DlqError(
            f"no dead letter {wanted!r}: give PARTITION:OFFSET as `akhbar dlq list` shows, or an article id"
        )
    return matches[-1]


def original(settings: Settings, letter: Letter) -> bytes:
    """The whole value the failed stage read: the letter's own copy, or, when it kept only the
    head, the record read back from its topic."""
    if not letter.get("payload_truncated"):
        return letter.payload()
    consumer = _consumer(settings)
    try:
        tp = TopicPartition(letter.get("topic"), int(letter.get("partition")))
        consumer.assign([tp])
        consumer.seek(tp, int(letter.get("offset")))
        for records in consumer.poll(timeout_ms=10_000, max_records=1).values():
            for record in records:
                if record.offset == letter.get("offset"):
                    return bytes(record.value)
    finally:
        consumer.close()
    where = f"{letter.get('topic')}/{letter.get('partition')}@{letter.get('offset')}"
    raise DlqError(f"letter {letter.ref} kept only the head of its record, and Kafka no longer has {where}")


@dataclass(frozen=True)
class Replay:
    topic: str
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]


def replay_of(letter: Letter, value: bytes) -> Replay:
    """The record that sends the letter's value back to where it failed."""
    headers = [(REPLAY_HEADER, f"dlq/{letter.partition}@{letter.offset}".encode())]
    topic = letter.get("topic") or topics.INGEST_FILES
    if topic == topics.INGEST_FILES:
        headers.append(("filename", (letter.get("filename") or f"replay-{letter.ref}").encode("utf-8")))
        return Replay(topic, None, value, headers)
    key = letter.get("article_id") or letter.get("key")
    return Replay(topic, key.encode("utf-8") if key else None, value, headers)


def replay(settings: Settings, letters: list[Letter], dry_run: bool = False) -> Iterator[tuple[Letter, str]]:
    """Send each letter's value back; yields (letter, where it went or why it could not)."""
    producer = (
        None
        if dry_run
        else KafkaProducer(
            bootstrap_servers=settings.kafka_bootstrap,
            acks="all",
            # one refused letter must not fail the rest (shared/faust_overrides/consumer.py)
            enable_idempotence=False,
            max_in_flight_requests_per_connection=1,  # in order through retries (akhbar/ingest.py)
            max_request_size=topics.MAX_MESSAGE_BYTES,
        )
    )
    try:
        for letter in letters:
            try:
                value = letter.payload() if dry_run else original(settings, letter)
            except DlqError as exc:
                yield letter, f"skipped: {exc}"
                continue
            record = replay_of(letter, value)
            if producer is not None:
                producer.send(record.topic, key=record.key, value=record.value, headers=record.headers).get(
                    60
                )
            yield letter, record.topic
    finally:
        if producer is not None:
            producer.close()
