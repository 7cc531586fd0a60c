"""The running pipeline, measured from outside: records into ingest.files, documents out of Elasticsearch."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from kafka import KafkaProducer
from prometheus_client.parser import text_string_to_metric_families

from benchmarks.workload import File
from shared import index, topics
from shared.registry import SERVICES
from shared.settings import Settings

STAGES = ("ingest", "language", "entities", "numbers", "dedup", "indexer")
POLL_SECONDS = 0.1  # freshness is known to this resolution (plus the index's refresh interval)


def scrape(settings: Settings, offset: int = 0) -> dict[str, dict[str, float]]:
    """records_out and process_cpu_seconds_total of every stage, from its /metrics."""
    wanted = {"akhbar_records_out": "out", "process_cpu_seconds": "cpu"}
    result = {}
    for name in STAGES:
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
    for name in STAGES:
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
    settings: Settings, files: list[File], prefix: str, deadline: float, in_flight: int, warmup: float
) -> Throughput:
    """Keep `in_flight` articles ahead of Elasticsearch until the files or the time run out, then drain.

    The rate is the slope of the indexed count after `warmup` seconds, up to when sending stopped, so
    neither the filling nor the draining of the pipeline counts.
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
            if stopped_at is None and (sent == len(files) or now > deadline):
                stopped_at = now - started
            if stopped_at is None:
                while sent < len(files) and sent - indexed < in_flight:
                    _send(producer, files[sent])
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


async def freshness(settings: Settings, files: list[File], rate: float, seconds: float) -> dict[str, Any]:
    """Send at a steady `rate` for `seconds`; each article's time from send to searchable, in seconds."""
    searchable = Searchable(settings)
    producer = _producer(settings, linger_ms=0)
    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    count = min(len(files), int(rate * seconds))
    started = time.monotonic()
    try:
        n = 0
        while n < count or (sent_at and time.monotonic() < started + seconds + 60):
            now = time.monotonic()
            while n < count and started + n / rate <= now:
                sent_at[files[n].article_id] = time.monotonic()
                _send(producer, files[n])
                n += 1
            producer.flush()
            for article_id in await searchable.found(list(sent_at)[:5000]):
                latencies.append(time.monotonic() - sent_at.pop(article_id))
            await asyncio.sleep(POLL_SECONDS)
    finally:
        producer.close()
        await searchable.close()
    return {"sent": count, "rate": rate, "latencies": sorted(latencies), "lost": len(sent_at)}
