"""Consumer lag on /metrics, from what the consumer knows of each assigned partition; stalls in /ready."""

import asyncio
import time
from types import SimpleNamespace
from typing import Any

from faust.types import TP

from shared.observability import Metrics, _update_lag, readiness
from shared.stalls import Hold


def app(highwaters: dict[TP, int | None], read: dict[TP, int]) -> Any:
    consumer = SimpleNamespace(assignment=lambda: set(highwaters), highwater=highwaters.__getitem__)
    return SimpleNamespace(consumer=consumer, monitor=SimpleNamespace(tp_read_offsets=read))


def lag(metrics: Metrics, tp: TP) -> float | None:
    return metrics.registry.get_sample_value(
        "akhbar_consumer_lag", {"service": "x", "topic": tp.topic, "partition": str(tp.partition)}
    )


def test_lag_is_highwater_minus_the_next_offset_to_read_and_skips_partitions_not_fetched_yet() -> None:
    fetched, fresh = TP("articles.raw", 0), TP("articles.raw", 1)
    metrics = Metrics("x")
    _update_lag(app({fetched: 120, fresh: None}, {fetched: 99}), metrics)
    assert lag(metrics, fetched) == 20
    assert lag(metrics, fresh) is None


def test_a_stall_makes_the_service_not_ready_and_sets_the_gauge() -> None:
    metrics = Metrics("x", stall_seconds=5)
    idle = SimpleNamespace(agents=[], tables=[], in_recovery=False)
    assert asyncio.run(readiness(idle, metrics, [])) == []
    ticket = metrics.stalls.hold(Hold("working on", "abc", "articles.raw", 3, 1234, time.monotonic() - 95))
    assert asyncio.run(readiness(idle, metrics, [])) == ["stalled 95 s on abc (articles.raw/3@1234)"]
    assert (metrics.registry.get_sample_value("akhbar_stalled_seconds", {"service": "x"}) or 0) >= 95
    metrics.stalls.release(ticket)
    assert metrics.registry.get_sample_value("akhbar_stalled_seconds", {"service": "x"}) == 0
