"""`make soak`: real articles at half the sustained rate for half an hour, the services watched.

Sends ANT articles (the stream of `make bench`'s real phase: every body marked with this run, the
corpus read again if the run outlasts it) to ingest.files at a steady rate, and every
--sample-seconds records each service's resident memory and CPU time (from /proc, for the pid
supervisord gives), each consumer group's lag, and how long every article took to become searchable.
After sending it waits for the drain and counts the run's articles in the index. After the warm-up,
the run passes when:
  - every service's RSS grows less than 10% (median of the first window against the last; the
    windows are 5 minutes, or a third of the time after the warm-up in a shorter run), and no
    service restarted;
  - every group's lag stays bounded: its highest in the last third is at most twice its highest in
    the first third, or at most 10 s of arrivals (a backlog that grows all the time doubles; a
    steady one wobbles by what Faust's 2.8 s commit interval leaves uncommitted, well under that);
  - freshness p95 is under 2 s (an article never found counts as late);
  - every article sent is in the index exactly once (counted by id and by file-name prefix).
Writes benchmarks/soak.json, benchmarks/soak.png and the soak section of BENCHMARKS.md (below the
part `make bench` rewrites), then exits non-zero if a criterion failed. Needs the stack
(`make up`) and the ANT corpus; leaves its articles in the index (`akhbar reset` empties it).

Quick try: python -m benchmarks.soak --minutes 2 --warmup-minutes 0.5
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kafka import KafkaAdminClient
from kafka.errors import KafkaError

from akhbar import local, status
from benchmarks import pipeline, realnews, report, workload
from benchmarks.pipeline import Arrivals, log
from shared.registry import SERVICES
from shared.settings import Settings

RESULTS = report.ROOT / "benchmarks" / "results.json"
# without a `make bench` ANT phase to halve: half the 21.1 articles/s at which the whole ANT corpus
# went through the pipeline in `make ingest-real` (BENCHMARKS.md)
DEFAULT_RATE = 10.0
DRAIN_SECONDS = 120.0  # after sending: the longest wait for the last articles
RSS_GROWTH_LIMIT = 0.10
RSS_WINDOW_SECONDS = 300.0
LAG_FACTOR = 2.0
# of arrivals at the soak's rate: well above the lag that Faust's 2.8 s commit interval alone shows
# while nothing waits, and a backlog that the pipeline (able to go twice as fast) clears in 10 s
LAG_FLOOR_SECONDS = 10.0
FRESHNESS_P95_LIMIT = 2.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")  # /proc/<pid>/stat counts CPU time in these


@dataclass(frozen=True)
class Sample:
    t: float  # seconds since sending began
    rss: dict[str, int | None]  # service -> resident bytes of its process (None: no process)
    cpu: dict[str, float | None]  # service -> user + system CPU seconds of its process
    pid: dict[str, int]
    lag: dict[str, int | None]  # service -> records its consumer group has not committed, all inputs


@dataclass(frozen=True)
class Criterion:
    name: str
    limit: str
    measured: str
    passed: bool
    values: dict[str, Any]  # the numbers behind `measured`, for soak.json


def default_rate(path: Path = RESULTS) -> tuple[float, str]:
    """Half the sustained rate of `make bench`'s ANT main phase, and where the rate comes from."""
    try:
        per_s = float(json.loads(path.read_text(encoding="utf-8"))["main"]["ant"]["per_s"])
    except (OSError, ValueError, KeyError, TypeError):
        return (
            DEFAULT_RATE,
            f"no ANT main phase in {path.name}: half the 21.1 articles/s of `make ingest-real`",
        )
    return per_s / 2, f"half the {per_s:.1f} articles/s of the ANT main phase in {path.name}"


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    rate, source = default_rate()
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.soak",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--minutes", type=float, default=30, help="sending time (default 30)")
    parser.add_argument("--rate", type=float, help=f"articles per second (default {rate:.1f}: {source})")
    parser.add_argument("--sample-seconds", type=float, default=10, help="time between samples (default 10)")
    parser.add_argument(
        "--warmup-minutes", type=float, default=5, help="left out of every criterion (default 5)"
    )
    args = parser.parse_args(argv)
    args.rate, args.rate_source = (rate, source) if args.rate is None else (args.rate, "--rate")
    if args.rate <= 0 or args.minutes <= args.warmup_minutes or args.sample_seconds <= 0:
        parser.error("--rate and --sample-seconds must be positive, and --minutes longer than the warm-up")
    return args


def service_pid(settings: Settings, name: str) -> int:
    """The pid supervisord gives for a service's program; 0 when it runs none."""
    out = local._ctl(settings, "pid", f"services:{name}").stdout.strip()
    return int(out) if out.isdigit() else 0


def process_stats(pid: int) -> tuple[int, float] | None:
    """Resident bytes (VmRSS) and user + system CPU seconds of a process; None when there is none."""
    try:
        status_text = Path(f"/proc/{pid}/status").read_text()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone, or pid 0
        return None
    kib = next((int(line.split()[1]) for line in status_text.splitlines() if line.startswith("VmRSS:")), None)
    if kib is None:  # a zombie: no memory of its own
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after the command name, which may hold spaces
    return kib * 1024, (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


class Watcher:
    """Each service's process and consumer group, looked at from outside."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=5000)
        self.pids = {name: service_pid(settings, name) for name in SERVICES}

    def sample(self, t: float) -> Sample:
        rss: dict[str, int | None] = {}
        cpu: dict[str, float | None] = {}
        for name, pid in self.pids.items():
            stats = process_stats(pid)
            if stats is None:  # supervisord restarted it (a new pid), or it is down
                self.pids[name] = service_pid(self.settings, name)
                stats = process_stats(self.pids[name])
            rss[name], cpu[name] = stats or (None, None)
        return Sample(t, rss, cpu, dict(self.pids), self.lags())

    def lags(self) -> dict[str, int | None]:
        lags: dict[str, int | None] = {}
        for name, spec in SERVICES.items():
            if not spec.inputs:
                continue
            try:
                known = [
                    lag
                    for topic in spec.inputs
                    if (lag := status.group_lag(self.admin, spec.group_id, topic)) is not None
                ]
            except KafkaError as exc:  # one unanswered request is a gap in the record, not the end of it
                log(f"lag of {spec.group_id} unknown in this sample: {exc}")
                known = []
            lags[name] = sum(known) if known else None
        return lags

    def close(self) -> None:
        self.admin.close()


async def watch(watcher: Watcher, every: float, started: float, stop: asyncio.Event) -> list[Sample]:
    """A sample every `every` seconds from `started` until `stop` is set."""
    samples: list[Sample] = []
    loop = asyncio.get_running_loop()
    # /proc, supervisorctl and Kafka's admin answers take a while: off the loop that sends and polls,
    # so that they delay no article's send or sighting
    with ThreadPoolExecutor(1) as pool:
        while not stop.is_set():
            samples.append(await loop.run_in_executor(pool, watcher.sample, time.monotonic() - started))
            wait = started + len(samples) * every - time.monotonic()
            with contextlib.suppress(TimeoutError):  # time for the next sample
                await asyncio.wait_for(stop.wait(), max(0.0, wait))
    return samples


async def soak(settings: Settings, args: argparse.Namespace, tag: str) -> tuple[Arrivals, list[Sample]]:
    watcher = Watcher(settings)
    try:
        stop = asyncio.Event()
        watching = asyncio.create_task(watch(watcher, args.sample_seconds, time.monotonic(), stop))
        files = workload.Stream(tag, workload.real(tag)).files(tag)
        try:
            arrivals = await pipeline.steady(settings, files, args.rate, args.minutes * 60, DRAIN_SECONDS)
        finally:
            stop.set()
        return arrivals, await watching
    finally:
        watcher.close()


async def indexed(settings: Settings, ids: list[str], prefix: str) -> tuple[int, int]:
    """Documents in the index with these ids, and with a source file under this prefix."""
    searchable = pipeline.Searchable(settings)
    try:
        return await searchable.count_ids(ids), await searchable.count_prefix(prefix)
    finally:
        await searchable.close()


def _ends(samples: list[Sample], window: float) -> tuple[list[Sample], list[Sample]]:
    """The samples of the first and of the last `window` seconds."""
    return (
        [s for s in samples if s.t <= samples[0].t + window],
        [s for s in samples if s.t >= samples[-1].t - window],
    )


def rss_growth(samples: list[Sample]) -> Criterion:
    """Each service's median RSS in the last window against the first, over samples after the warm-up."""
    limit = f"< {RSS_GROWTH_LIMIT:.0%} per service, no restart"
    if len(samples) < 2:
        return Criterion("RSS growth", limit, "too few samples after the warm-up", False, {})
    first, last = _ends(samples, min(RSS_WINDOW_SECONDS, (samples[-1].t - samples[0].t) / 3))
    growth: dict[str, float | None] = {}
    words = []
    for name in samples[0].rss:
        before = [v for s in first if (v := s.rss[name]) is not None]
        after = [v for s in last if (v := s.rss[name]) is not None]
        if len({s.pid[name] for s in samples}) > 1:
            growth[name], word = None, "restarted"
        elif not before or not after:
            growth[name], word = None, "not running"
        else:
            ratio = statistics.median(after) / statistics.median(before) - 1
            growth[name], word = ratio, f"{ratio:+.1%}"
        words.append(f"{name} {word}")
    passed = all(g is not None and g < RSS_GROWTH_LIMIT for g in growth.values())
    return Criterion("RSS growth", limit, ", ".join(words), passed, {"growth": growth})


def lag_bounded(samples: list[Sample], rate: float) -> Criterion:
    """Each group's highest lag in the last third against the first third, after the warm-up."""
    floor = LAG_FLOOR_SECONDS * rate
    limit = f"last third's max <= max({LAG_FACTOR:g} x first third's, {floor:.0f})"
    if len(samples) < 2:
        return Criterion("lag bounded", limit, "too few samples after the warm-up", False, {})
    first, last = _ends(samples, (samples[-1].t - samples[0].t) / 3)
    highest: dict[str, tuple[int, int] | None] = {}
    words = []
    passed = True
    for name in samples[0].lag:
        before = [v for s in first if (v := s.lag[name]) is not None]
        after = [v for s in last if (v := s.lag[name]) is not None]
        if not before or not after:
            highest[name] = None
            passed, word = False, "unknown"
        else:
            highest[name] = (max(before), max(after))
            passed &= max(after) <= max(LAG_FACTOR * max(before), floor)
            word = f"{max(before)} -> {max(after)}"
        words.append(f"{name} {word}")
    return Criterion("lag bounded", limit, ", ".join(words), passed, {"highest": highest, "floor": floor})


def freshness(arrivals: Arrivals, warmup: float) -> Criterion:
    """p95 of send-to-searchable over the articles sent after the warm-up; one never found is late."""
    late = sorted(arrivals.latency.get(i, math.inf) for i, t in arrivals.sent_at.items() if t >= warmup)
    p50, p95 = (pipeline.percentile(late, p) for p in (50, 95))
    never = sum(math.isinf(v) for v in late)
    measured = (
        f"p95 {_seconds(p95)}, p50 {_seconds(p50)} over {len(late)} articles ({never} never searchable)"
    )
    finite = {k: None if math.isinf(v) else v for k, v in (("p50", p50), ("p95", p95))}
    values = {**finite, "articles": len(late), "never": never}
    return Criterion(
        "freshness p95", f"< {FRESHNESS_P95_LIMIT:g} s", measured, p95 < FRESHNESS_P95_LIMIT, values
    )


def _seconds(value: float) -> str:
    return "never" if math.isinf(value) else f"{value:.2f} s"


def exactly_once(sent: int, by_id: int, by_prefix: int) -> Criterion:
    measured = f"{sent} sent, {by_id} indexed by id, {by_prefix} by file prefix"
    passed = sent > 0 and by_id == sent and by_prefix == sent
    values = {"sent": sent, "by_id": by_id, "by_prefix": by_prefix}
    return Criterion("indexed exactly once", "sent = by id = by prefix", measured, passed, values)


def verdict(
    samples: list[Sample], arrivals: Arrivals, by_id: int, by_prefix: int, warmup: float, until: float
) -> list[Criterion]:
    """Every criterion, on what was measured after `warmup` and (for samples) while sending, to `until`."""
    watched = [s for s in samples if warmup <= s.t <= until]
    return [
        rss_growth(watched),
        lag_bounded(watched, arrivals.rate),
        freshness(arrivals, warmup),
        exactly_once(arrivals.sent, by_id, by_prefix),
    ]


def freshness_windows(arrivals: Arrivals, every: float) -> list[dict[str, float]]:
    """p50 and p95 of the articles sent in each `every`-second window (the found ones), for the chart."""
    windows: dict[int, list[float]] = {}
    for article_id, t in arrivals.sent_at.items():
        if article_id in arrivals.latency:
            windows.setdefault(int(t // every), []).append(arrivals.latency[article_id])
    return [
        {"t": n * every, "articles": len(v), **{f"p{p}": pipeline.percentile(sorted(v), p) for p in (50, 95)}}
        for n, v in sorted(windows.items())
    ]


def cpu_share(samples: list[Sample]) -> dict[str, float | None]:
    """Each service's CPU seconds per second over the samples (None across a restart)."""
    if len(samples) < 2:
        return {}
    first, last = samples[0], samples[-1]
    shares: dict[str, float | None] = {}
    for name in first.cpu:
        before, after = first.cpu[name], last.cpu[name]
        if before is None or after is None or first.pid[name] != last.pid[name]:
            shares[name] = None
        else:
            shares[name] = (after - before) / (last.t - first.t)
    return shares


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    missing = realnews.missing_reason()
    if missing:
        sys.exit(f"make soak: {missing}")
    settings = Settings.from_env()
    arrivals_in_warmup = args.rate * args.warmup_minutes * 60
    if settings.dedup_max_articles > arrivals_in_warmup:
        # dedup's state grows until its cap: a soak that never reaches it measures that growth
        log(
            f"warning: dedup keeps up to {settings.dedup_max_articles:,} articles, more than the "
            f"{arrivals_in_warmup:,.0f} of the warm-up; its RSS will grow with its state "
            "(`make soak` starts the stack with a smaller AKHBAR_DEDUP_MAX_ARTICLES)"
        )
    started = time.monotonic()
    tag = f"soak{int(time.time())}"
    soaked: dict[str, Any] = {
        **report.run_header("benchmarks.soak", argv),
        "settings": {
            "minutes": args.minutes,
            "rate": args.rate,
            "rate_source": args.rate_source,
            "sample_seconds": args.sample_seconds,
            "warmup_minutes": args.warmup_minutes,
            "tag": tag,
            "corpus": str(realnews.corpus_path()),
            "dedup_max_articles": settings.dedup_max_articles,
        },
    }
    log(f"{args.minutes:g} min of ANT articles at {args.rate:.1f}/s ({args.rate_source}), tag {tag}")
    arrivals, samples = asyncio.run(soak(settings, args, tag))
    log(f"sent {arrivals.sent}; {arrivals.lost} not searchable {DRAIN_SECONDS:.0f} s after; counting")
    by_id, by_prefix = asyncio.run(indexed(settings, list(arrivals.sent_at), f"bench-{tag}-"))
    warmup, until = args.warmup_minutes * 60, args.minutes * 60
    criteria = verdict(samples, arrivals, by_id, by_prefix, warmup, until)
    soaked |= {
        "seconds": time.monotonic() - started,
        "limits": {
            "rss_growth": RSS_GROWTH_LIMIT,
            "rss_window_seconds": RSS_WINDOW_SECONDS,
            "lag_factor": LAG_FACTOR,
            "lag_floor_seconds": LAG_FLOOR_SECONDS,
            "freshness_p95_seconds": FRESHNESS_P95_LIMIT,
        },
        "sent": arrivals.sent,
        "lost": arrivals.lost,
        "criteria": [asdict(c) for c in criteria],
        "passed": all(c.passed for c in criteria),
        "cpu_share": cpu_share([s for s in samples if warmup <= s.t <= until]),
        "freshness_windows": freshness_windows(arrivals, args.sample_seconds),
        "samples": [asdict(s) for s in samples],
    }
    for c in criteria:
        log(f"{'pass' if c.passed else 'FAIL'} {c.name} ({c.limit}): {c.measured}")
    report.write_soak(soaked)
    log("written: benchmarks/soak.json, benchmarks/soak.png, the soak section of BENCHMARKS.md")
    if not soaked["passed"]:
        sys.exit("make soak failed: " + ", ".join(c.name for c in criteria if not c.passed))


if __name__ == "__main__":
    main()
