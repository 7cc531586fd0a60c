"""The running pipeline, measured from outside: records into ingest.files, documents out of Elasticsearch."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from kafka import KafkaProducer
from prometheus_client.parser import text_string_to_metric_families

from benchmarks.workload import File
from shared import index, topics
from shared.registry import PIPELINE, SERVICES
from shared.settings import Settings

POLL_SECONDS = 0.1  # freshness is known to this resolution (plus the index's refresh interval)
IDS_PER_QUERY = 5000  # ids in one count request: a few hundred kB of JSON, well inside a request


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def scrape(settings: Settings, offset: int = 0) -> dict[str, dict[str, float]]:
    """records_out and process_cpu_seconds_total of every stage, from its /metrics."""
    wanted = {"akhbar_records_out": "out", "process_cpu_seconds": "cpu"}
    result = {}
    for name in PIPELINE:
        url = f"http://{settings.bind_host}:{SERVICES[name].port + offset}/metrics"
        values: dict[str, float] = {"out": 0.0, "cpu": 0.0}
        for family in text_string_to_metric_families(httpx.get(url, timeout=5).text):
            if family.name in wanted:
                values[wanted[family.name]] = sum(
                    s.value for s in family.samples if s.name.endswith("_total")
                )
        result[name] = values
    return result


def stage_deltas(
    before: dict[str, dict[str, float]], after: dict[str, dict[str, float]], seconds: float, cores: int
) -> dict[str, dict[str, float]]:
    """Per stage: articles out per second, CPU share of the machine, articles per CPU-second."""
    deltas = {}
    for name in PIPELINE:
        out = after[name]["out"] - before[name]["out"]
        cpu = after[name]["cpu"] - before[name]["cpu"]
        deltas[name] = {
            "articles": out,
            "per_s": out / seconds,
            "cpu_seconds": cpu,
            "cpu_share": cpu / (seconds * cores),
            "per_cpu_s": out / cpu if cpu > 0 else 0.0,
        }
    return deltas


class Searchable:
    """Which of a set of article ids Elasticsearch can find, asked again and again."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.es = index.client(settings, request_timeout=30)

    async def count_prefix(self, prefix: str) -> int:
        query = {"prefix": {"source_file": prefix}}
        return int((await self.es.count(index=self.settings.index_alias, query=query))["count"])

    async def count_ids(self, ids: list[str]) -> int:
        """Documents with these ids behind the alias: each at most once, unless two indices hold it."""
        total = 0
        for start in range(0, len(ids), IDS_PER_QUERY):
            query = {"ids": {"values": ids[start : start + IDS_PER_QUERY]}}
            total += int((await self.es.count(index=self.settings.index_alias, query=query))["count"])
        return total

    async def found(self, ids: list[str]) -> set[str]:
        if not ids:
            return set()
        response = await self.es.search(
            index=self.settings.index_alias, query={"ids": {"values": ids}}, size=len(ids), source=False
        )
        return {hit["_id"] for hit in response["hits"]["hits"]}

    async def close(self) -> None:
        await self.es.close()


def _producer(settings: Settings, linger_ms: int) -> KafkaProducer:
    return KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all", linger_ms=linger_ms)


def _send(producer: KafkaProducer, f: File) -> None:
    producer.send(topics.INGEST_FILES, value=f.data, headers=[("filename", f.name.encode())])


@dataclass
class Throughput:
    produced: int = 0
    indexed: int = 0
    seconds: float = 0.0
    per_s: float = 0.0
    timeline: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, indexed)


async def saturate(
    settings: Settings, files: Iterator[File], prefix: str, deadline: float, in_flight: int, warmup: float
) -> Throughput:
    """Keep `in_flight` articles ahead of Elasticsearch until the deadline, then drain.

    `files` never runs dry, so the phase ends by time only. The rate is the slope of the indexed
    count after `warmup` seconds, up to when sending stopped, so neither the filling nor the
    draining of the pipeline counts.
    """
    searchable = Searchable(settings)
    producer = _producer(settings, linger_ms=20)
    result = Throughput()
    started = time.monotonic()
    sent = 0
    stopped_at: float | None = None
    try:
        while True:
            now = time.monotonic()
            indexed = await searchable.count_prefix(prefix)
            result.timeline.append((now - started, indexed))
            if stopped_at is None and now > deadline:
                stopped_at = now - started
            if stopped_at is None:
                while sent - indexed < in_flight:
                    _send(producer, next(files))
                    sent += 1
                producer.flush()
            elif indexed >= sent or now > deadline + 120:  # drained, or stuck: stop either way
                break
            await asyncio.sleep(1.0)
    finally:
        producer.close()
        await searchable.close()
    result.produced, result.indexed = sent, result.timeline[-1][1]
    result.seconds = result.timeline[-1][0]
    assert stopped_at is not None
    window = [(t, n) for t, n in result.timeline if warmup <= t <= stopped_at]
    if len(window) >= 2 and window[-1][0] > window[0][0]:
        result.per_s = (window[-1][1] - window[0][1]) / (window[-1][0] - window[0][0])
    elif result.seconds > 0:  # too short a run for a steady state: the whole run's average
        result.per_s = result.indexed / result.seconds
    return result


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank `p`th percentile of sorted `values`; NaN for none."""
    if not values:
        return float("nan")
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


@dataclass
class Arrivals:
    """Articles sent at a steady rate: when each was sent, and how long it took to become searchable."""

    rate: float
    sent: int = 0
    sent_at: dict[str, float] = field(default_factory=dict)  # article id -> seconds since sending began
    latency: dict[str, float] = field(default_factory=dict)  # article id -> seconds, sent to searchable

    @property
    def lost(self) -> int:
        """Sent, and not searchable when the wait ended."""
        return len(self.sent_at) - len(self.latency)


async def steady(
    settings: Settings, files: Iterator[File], rate: float, seconds: float, wait: float = 60.0
) -> Arrivals:
    """Send at a steady `rate` for `seconds`, then wait up to `wait` seconds for the last articles.

    Elasticsearch is asked every POLL_SECONDS which of the articles not yet seen it can find.
    """
    searchable = Searchable(settings)
    producer = _producer(settings, linger_ms=0)
    arrivals = Arrivals(rate)
    pending: dict[str, float] = {}  # article id -> monotonic time it was sent
    count = int(rate * seconds)
    started = time.monotonic()
    try:
        while arrivals.sent < count or (pending and time.monotonic() < started + seconds + wait):
            now = time.monotonic()
            while arrivals.sent < count and started + arrivals.sent / rate <= now:
                f = next(files)
                pending[f.article_id] = at = time.monotonic()
                arrivals.sent_at[f.article_id] = at - started
                _send(producer, f)
                arrivals.sent += 1
            producer.flush()
            for article_id in await searchable.found(list(pending)[:IDS_PER_QUERY]):
                arrivals.latency[article_id] = time.monotonic() - pending.pop(article_id)
            await asyncio.sleep(POLL_SECONDS)
    finally:
        producer.close()
        await searchable.close()
    return arrivals
