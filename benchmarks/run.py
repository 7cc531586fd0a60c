"""`make bench`: end-to-end throughput and freshness, per-stage rates and CPU, and the limits, in one run.

The run needs the local stack up (`akhbar up`) and to itself: it counts what the services do from
their /metrics. It stops by itself within --seconds. Writes BENCHMARKS.md, benchmarks/results.json and
benchmarks/chart.png.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import statistics
import sys
import time
from datetime import UTC, datetime
from typing import Any

from benchmarks import limits, pipeline, report
from benchmarks.workload import File, labels, make_files
from shared.settings import Settings

# after the saturation phase: the pipeline drains, the steady phase runs, and the report is written
RESERVE_SECONDS = 150.0
ISSUE_ARTICLES = 20_000
# records for the Kafka-alone and Elasticsearch-alone limits, which take seconds, not minutes
CHEAP_SAMPLE = 5_000


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--articles", type=int, default=ISSUE_ARTICLES, help="most articles to push end to end"
    )
    parser.add_argument("--seconds", type=float, default=1200, help="the whole run stops within this")
    parser.add_argument("--latency-seconds", type=float, default=60, help="length of the steady-load phase")
    parser.add_argument("--limit-articles", type=int, default=600, help="articles for each limit measurement")
    parser.add_argument("--repeats", type=int, default=3, help="repeats of the short limit measurements")
    parser.add_argument(
        "--in-flight", type=int, default=2000, help="most articles sent but not yet searchable"
    )
    parser.add_argument(
        "--copy-share", type=float, default=0.3, help="share of exact, near and partial copies"
    )
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def measure_limits(
    settings: Settings, files: list[File], sample: int, tag: str, repeats: int
) -> dict[str, Any]:
    """(c) in `repeats` slices of the sample, (b) on its documents, (a) on more files (cheap)."""
    cheap = files[: max(sample, CHEAP_SAMPLE)]
    files = files[:sample]
    step = max(1, len(files) // repeats)
    slices = [files[i * step : (i + 1) * step] for i in range(repeats)]
    runs = [limits.in_process(settings, part, f"{tag}-c{i}") for i, part in enumerate(slices)]
    documents = [d for run in runs for d in run.pop("documents")]
    log(f"(c) one process: {[round(r['per_s'], 1) for r in runs]} articles/s")
    es = [limits.elasticsearch_bulk(settings, documents, f"{tag}-b{i}", len(cheap)) for i in range(repeats)]
    log(f"(b) Elasticsearch bulk: {[round(v) for v in es]} documents/s")
    kafka = [limits.kafka_round_trip(settings, cheap, f"{tag}-a{i}") for i in range(repeats)]
    log(f"(a) Kafka: {kafka}")
    produce = statistics.median(k["produce_per_s"] for k in kafka)
    consume = statistics.median(k["consume_per_s"] for k in kafka)
    steps = {name: statistics.median(r["step_per_s"][name] for r in runs) for name in runs[0]["step_per_s"]}
    return {
        "kafka": {"per_s": min(produce, consume), "produce_per_s": produce, "consume_per_s": consume},
        "elasticsearch": {"per_s": statistics.median(es), "documents": len(cheap)},
        "in_process": {
            "per_s": statistics.median(r["per_s"] for r in runs),
            "enrich_per_s": statistics.median(r["enrich_per_s"] for r in runs),
            "step_per_s": steps,
            "articles": sum(len(part) for part in slices),
        },
    }


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    started = time.monotonic()
    settings = Settings.from_env()
    cores = os.cpu_count() or 1
    tag = f"{int(time.time())}"
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m benchmarks.run " + shlex.join(argv if argv is not None else sys.argv[1:]),
        "machine": report.machine(),
        "repeats": args.repeats,
        "notes": [],
    }
    log(f"making {args.articles} articles from the corpus generator")
    files = make_files(tag, args.articles, args.copy_share, seed=int(tag))
    results["corpus_labels"] = labels(files)

    log("limits")
    results["limits"] = measure_limits(settings, files, args.limit_articles, tag, args.repeats)

    log("end to end, saturated")
    deadline = started + args.seconds - args.latency_seconds - RESERVE_SECONDS
    before = pipeline.scrape(settings)
    e2e = asyncio.run(pipeline.saturate(settings, files, f"bench-{tag}-", deadline, args.in_flight, 20))
    after = pipeline.scrape(settings)
    results["end_to_end"] = {
        k: getattr(e2e, k) for k in ("produced", "indexed", "seconds", "per_s", "timeline")
    }
    results["stages"] = pipeline.stage_deltas(before, after, e2e.seconds, cores)
    log(f"end to end: {e2e.per_s:.1f} articles/s, {e2e.indexed}/{e2e.produced} in {e2e.seconds:.0f} s")

    rate = max(1.0, e2e.per_s / 2)
    steady_tag = f"{tag}s"
    steady = make_files(steady_tag, int(rate * args.latency_seconds) + 1, args.copy_share, seed=int(tag) + 1)
    log(f"freshness at {rate:.1f} articles/s for {args.latency_seconds:.0f} s")
    fresh = asyncio.run(pipeline.freshness(settings, steady, rate, args.latency_seconds))
    latencies = fresh.pop("latencies")
    results["freshness"] = {
        **fresh,
        "found": len(latencies),
        **{f"p{p}": percentile(latencies, p) for p in (50, 95, 99)},
    }

    e2e_rate = e2e.per_s
    results["ratios"] = {
        name: e2e_rate / results["limits"][name]["per_s"] for name in ("kafka", "elasticsearch", "in_process")
    }
    notes = results["notes"]
    if e2e.produced < ISSUE_ARTICLES:
        notes.append(
            f"{e2e.produced} articles end to end, fewer than the issue's {ISSUE_ARTICLES:,}: "
            + (
                "the run's time limit stopped sending."
                if e2e.produced < len(files)
                else f"--articles {args.articles}."
            )
        )
    notes += [
        "The sustained rate is the slope of the searchable count after a 20 s warm-up, up to when sending "
        f"stopped, with at most {args.in_flight} articles; Elasticsearch's count polled every second.",
        f"Freshness: sent one by one at half that rate; Elasticsearch polled every {pipeline.POLL_SECONDS} s "
        "(refresh_interval 1 s), so each latency is late by up to that much.",
        "Kafka alone is one producer then one consumer (kafka-python, acks=all) over the same file records; "
        "the pipeline crosses Kafka six times.",
        "Scaling (a second worker of the slowest stage; 1/4/8 partitions) is not measured by this run.",
    ]
    results["seconds"] = time.monotonic() - started
    report.write_all(results)
    log(f"done in {results['seconds']:.0f} s: BENCHMARKS.md, benchmarks/results.json, benchmarks/chart.png")


if __name__ == "__main__":
    main()
