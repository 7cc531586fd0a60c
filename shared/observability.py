"""Health, readiness and Prometheus metrics, the same on every service.

`/health` answers while the process is alive; `/ready` only when its Kafka assignment is live (in apps
that consume), it is not stalled on one record (shared/stalls.py) and every extra readiness check
(e.g. "Elasticsearch answers") passes; `/metrics` is Prometheus text.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import faust
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from shared.stalls import StallWatch

# an extra readiness check returns None when fine, or the reason it is not
ReadinessCheck = Callable[[], Awaitable[str | None]]


class Metrics:
    """The counters one service exports; a registry of its own, so tests can build several."""

    def __init__(self, service: str, stall_seconds: float = 2.0) -> None:
        self.service = service
        self.stalls = StallWatch(stall_seconds)
        self.registry = CollectorRegistry()
        # process_cpu_seconds_total and resident memory, for each stage's share of the machine
        ProcessCollector(registry=self.registry)
        labels = ["service"]
        self.records_in = Counter("akhbar_records_in", "Records consumed", labels, registry=self.registry)
        self.records_out = Counter(
            "akhbar_records_out", "Records produced downstream", labels, registry=self.registry
        )
        self.errors = Counter(
            "akhbar_errors", "Records that failed processing", labels, registry=self.registry
        )
        self.dead_letters = Counter(
            "akhbar_dead_letters",
            "Records sent to the dead-letter topic",
            ["service", "reason"],
            registry=self.registry,
        )
        self.revisions = Counter(
            "akhbar_revisions",
            "Dedup verdicts of earlier articles that later ones revised (sent by dedup, applied by indexer)",
            labels,
            registry=self.registry,
        )
        self.processing = Histogram(
            "akhbar_processing_seconds",
            "Time to process one record",
            labels,
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=self.registry,
        )
        self.consumer_lag = Gauge(
            "akhbar_consumer_lag",
            "Records behind the end of each assigned partition",
            ["service", "topic", "partition"],
            registry=self.registry,
        )
        self.up_since = Gauge(
            "akhbar_start_time_seconds",
            "When this process started",
            labels,
            registry=self.registry,
        )
        self.up_since.labels(service).set(time.time())
        stalled = Gauge(
            "akhbar_stalled_seconds",
            "How long the stage has been held on one record (working on it or retrying its send), "
            "once past AKHBAR_STALL_SECONDS; 0 otherwise",
            labels,
            registry=self.registry,
        )
        stalled.labels(service).set_function(self.stalls.seconds_stalled)

    def record_in(self, n: int = 1) -> None:
        self.records_in.labels(self.service).inc(n)

    def record_out(self, n: int = 1) -> None:
        self.records_out.labels(self.service).inc(n)

    def revised(self, n: int = 1) -> None:
        self.revisions.labels(self.service).inc(n)

    def dead_letter(self, reason: str) -> None:
        self.errors.labels(self.service).inc()
        self.dead_letters.labels(self.service, reason).inc()

    @contextmanager
    def timed(self) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.processing.labels(self.service).observe(time.perf_counter() - started)


def _update_lag(app: faust.App, metrics: Metrics) -> None:
    consumer = app.consumer
    read = app.monitor.tp_read_offsets
    for tp in consumer.assignment():
        try:
            highwater = consumer.highwater(tp)
        except Exception:  # the client has not fetched this partition yet
            continue
        if highwater is None:  # assigned, but no fetch answered yet (just after a rebalance)
            continue
        position = read.get(tp, -1) + 1
        metrics.consumer_lag.labels(metrics.service, tp.topic, str(tp.partition)).set(
            max(0, highwater - position)
        )


async def readiness(app: faust.App, metrics: Metrics, checks: list[ReadinessCheck]) -> list[str]:
    """The reasons this service is not ready; an empty list means ready."""
    problems = []
    stall = metrics.stalls.stalled()
    if stall is not None:
        problems.append(stall.describe())
    # an app with no agents subscribes to nothing, so an empty assignment is its normal state
    if app.agents and not app.consumer.assignment():
        problems.append("no Kafka partitions assigned yet")
    if app.tables and app.in_recovery:
        problems.append("recovering table state from its changelog")
    for check in checks:
        reason = await check()
        if reason:
            problems.append(reason)
    return problems


def install(app: faust.App, metrics: Metrics, checks: list[ReadinessCheck] | None = None) -> None:
    """Add /health, /ready and /metrics to the app's web server."""
    extra_checks = checks or []

    @app.page("/health")
    async def health(web: Any, request: Any) -> Any:
        return web.json({"status": "ok", "service": metrics.service})

    @app.page("/ready")
    async def ready(web: Any, request: Any) -> Any:
        problems = await readiness(app, metrics, extra_checks)
        status = 200 if not problems else 503
        stall = metrics.stalls.stalled()
        body = {
            "ready": not problems,
            "service": metrics.service,
            "problems": problems,
            "stalled": stall.to_json() if stall else None,
        }
        return web.json(body, status=status)

    @app.page("/metrics")
    async def prometheus(web: Any, request: Any) -> Any:
        _update_lag(app, metrics)
        return web.bytes(generate_latest(metrics.registry), content_type=CONTENT_TYPE_LATEST.split(";")[0])
