"""Fault drills against the real engines and service processes: nothing accepted is ever lost.

Each drill streams distinct articles through `ingest.files`, breaks something mid-stream, and then
requires every article in the index exactly once and none of them in the dead-letter topic.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from akhbar import local
from shared.registry import PIPELINE, SERVICES
from shared.settings import Settings
from tests.faults import drill

pytestmark = pytest.mark.faults
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def report(name: str, batch: drill.Batch, settings: Settings, letters: Sequence[object]) -> None:
    """Print the drill's tally and add it to tests/artifacts/faults.txt, one line per drill."""
    indexed = drill.indexed_count(settings, batch)
    note(
        f"[{name}] sent={len(batch.ids)} indexed={indexed} dlq={len(letters)} lost={len(batch.ids) - indexed}"
    )


def note(line: str) -> None:
    print("\n" + line)
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "faults.txt").open("a", encoding="utf-8") as tally:
        tally.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {line}\n")


@pytest.fixture
def make_batch(stack: Settings) -> Iterator[Callable[[str, int], drill.Batch]]:
    """Distinct articles for one drill, taken out of the index again when the drill is over."""
    made: list[drill.Batch] = []

    def make(kind: str, count: int) -> drill.Batch:
        made.append(drill.make_batch(f"{kind}-{uuid.uuid4().hex[:6]}", count))
        return made[-1]

    yield make
    for batch in made:
        drill.forget(stack, batch)


def test_kill_9_each_service_mid_stream_loses_nothing(
    stack: Settings, make_batch: Callable[[str, int], drill.Batch]
) -> None:
    batch = make_batch("kill", 2000)
    since = drill.dlq_offsets(stack)
    drill.send(stack, batch)
    for name in PIPELINE:
        old = drill.kill_hard(stack, name)
        drill.wait_until(
            lambda name=name, old=old: (
                drill.service_pid(stack, name) not in (0, old) and drill.ready(stack, name)
            ),
            180,
            f"{name} back after kill -9",
        )
    drill.wait_all_indexed(stack, batch)
    letters = drill.dead_letters_of(stack, since, batch)
    report("kill -9", batch, stack, letters)
    assert letters == []
    assert drill.indexed_count(stack, batch) == 2000


def test_elasticsearch_outage_of_30_s_is_drained_afterwards(
    stack: Settings, make_batch: Callable[[str, int], drill.Batch]
) -> None:
    batch = make_batch("es", 600)
    since = drill.dlq_offsets(stack)
    drill.send(stack, batch)
    drill.wait_until(lambda: drill.indexed_count(stack, batch) > 0, 120, "first documents indexed")
    local._ctl(stack, "stop", "elasticsearch")
    try:
        drill.wait_until(lambda: not drill.ready(stack, "indexer"), 30, "indexer reports not ready")
        time.sleep(30)
    finally:
        local._ctl(stack, "start", "elasticsearch")
    drill.wait_until(lambda: drill.ready(stack, "indexer"), 240, "indexer ready again")
    drill.wait_all_indexed(stack, batch)
    letters = drill.dead_letters_of(stack, since, batch)
    report("elasticsearch 30 s outage", batch, stack, letters)
    assert letters == []


def test_kafka_broker_restart_mid_stream_loses_nothing(
    stack: Settings, make_batch: Callable[[str, int], drill.Batch]
) -> None:
    batch = make_batch("kafka", 600)
    since = drill.dlq_offsets(stack)
    drill.send(stack, batch)
    drill.wait_until(lambda: drill.indexed_count(stack, batch) > 0, 120, "first documents indexed")
    local._ctl(stack, "restart", "kafka")
    drill.wait_all_indexed(stack, batch)
    for name in PIPELINE:
        drill.wait_until(lambda name=name: drill.ready(stack, name), 180, f"{name} ready after the restart")
    letters = drill.dead_letters_of(stack, since, batch)
    report("kafka restart", batch, stack, letters)
    assert letters == []


def _status_lag(service: str) -> int:
    out = subprocess.run(
        [os.path.join(sys.prefix, "bin", "akhbar"), "status"], capture_output=True, text=True, timeout=60
    ).stdout
    row = next(line for line in out.splitlines() if line.startswith(service + " "))
    lag = row.split()[3]
    return int(lag) if lag.isdigit() else 0


def _metrics_lag(settings: Settings, service: str) -> float:
    url = f"http://{settings.bind_host}:{SERVICES[service].port + settings.port_offset}/metrics"
    total = 0.0
    for line in httpx.get(url, timeout=5).text.splitlines():
        if line.startswith("akhbar_consumer_lag{") and 'topic="articles.' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_a_slow_stage_builds_lag_that_status_shows_and_that_drains(
    stack: Settings, make_batch: Callable[[str, int], drill.Batch]
) -> None:
    batch = make_batch("slow", 300)
    pid = drill.service_pid(stack, "numbers")
    os.kill(pid, signal.SIGSTOP)  # the stage stops consuming; its group's lag grows
    try:
        drill.send(stack, batch)
        drill.wait_until(lambda: _status_lag("numbers") > 0, 60, "lag shown by akhbar status", every=2)
        lag_seen = _status_lag("numbers")
    finally:
        os.kill(pid, signal.SIGCONT)
    metrics_lag = 0.0
    deadline = time.monotonic() + 30
    while metrics_lag == 0 and time.monotonic() < deadline:
        metrics_lag = _metrics_lag(stack, "numbers")
        time.sleep(0.05)
    drill.wait_all_indexed(stack, batch)
    drill.wait_until(lambda: _status_lag("numbers") == 0, 60, "lag drained", every=2)
    note(f"[slow consumer] lag seen by akhbar status: {lag_seen}, by /metrics after resuming: {metrics_lag}")
    assert lag_seen > 0 and metrics_lag > 0
    assert _metrics_lag(stack, "numbers") == 0


def test_sigterm_stops_every_service_within_10_s(stack: Settings) -> None:
    timings = {}
    for name in PIPELINE:
        started = time.monotonic()
        result = local._ctl(stack, "stop", f"services:{name}")
        timings[name] = time.monotonic() - started
        assert "stopped" in result.stdout, result.stdout
        local._ctl(stack, "start", f"services:{name}")
    local.up(stack)
    note(f"[sigterm] seconds to stop: { {k: round(v, 1) for k, v in timings.items()} }")
    assert all(seconds < 10 for seconds in timings.values()), timings


def test_down_leaves_nothing_running_and_up_twice_is_harmless(stack: Settings) -> None:
    try:
        local.down(stack)
        assert not local.supervisor_running(stack)
        # a JVM may still be writing its last files for a moment after supervisord has gone
        deadline = time.monotonic() + 30
        while (leftovers := _leftovers(stack)) and time.monotonic() < deadline:
            time.sleep(1)
        assert leftovers == "", leftovers
    finally:
        # every later test shares this stack: it must come back even when the check above fails
        local.up(stack)
    first = {name: drill.service_pid(stack, name) for name in PIPELINE}
    local.up(stack)
    assert {name: drill.service_pid(stack, name) for name in PIPELINE} == first


def _leftovers(settings: Settings) -> str:
    """Pid, age and command line of every process `up` starts that is still alive; empty if none."""
    pattern = f"{settings.run_dir}|akhbar service|org.elasticsearch.bootstrap|kafka.Kafka"
    pids = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split()
    pids = [pid for pid in pids if int(pid) != os.getpid()]
    if not pids:
        return ""
    listing = subprocess.run(
        ["ps", "-o", "pid=,ppid=,etime=,args=", "-p", ",".join(pids)], capture_output=True, text=True
    )
    return listing.stdout.strip()  # empty when they all ended between the two commands
