"""`make bench`: end-to-end throughput and freshness, per-stage rates and CPU, the limits, and scaling,
in one run.

The run needs the local stack up (`akhbar up`) and to itself: it counts what the services do from
their /metrics. It empties the pipeline first (`akhbar reset`) and again at the end, so it measures
from a known state and leaves no benchmark articles in the index or the dedup state. Phases, in order:
the limits; 1 partition; 4 partitions (the main end-to-end phase on the generated corpus, the same on
the real ANT corpus when it is there, then freshness at half the generated phase's rate); 4
partitions with a second worker of the stage that needs the most CPU per article; 8 partitions.
Articles come from endless streams (benchmarks/workload.py), so every phase ends by time. The run
stops by itself within --seconds and writes BENCHMARKS.md, benchmarks/results.json and
benchmarks/chart.png; when a phase measured nothing it then exits non-zero, naming the phase.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from typing import Any

from benchmarks import limits, pipeline, realnews, report, scaling, workload
from benchmarks.pipeline import log
from benchmarks.workload import File, Stream
from shared import index
from shared.registry import PIPELINE
from shared.settings import Settings

# records for the Kafka-alone and Elasticsearch-alone limits, which take seconds, not minutes
CHEAP_SAMPLE = 3_000
# what a scaling phase costs besides its sending time: reconfiguring, warming up, draining
SCALING_OVERHEAD_SECONDS = 45.0
# after each main phase's deadline: its drain; after the last, the final reset and the report
MAIN_RESERVE_SECONDS = 30.0
# files made ahead of a phase per second of its sending: above the best this machine has measured
# (44 articles/s), so that a phase seldom makes files (on one of its CPUs) while it is measured
STOCK_PER_SECOND = 50
# the main phase's corpora, in the order they run
GENERATED, REAL = "generated", "ant"


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--seconds", type=float, default=1200, help="the whole run stops within this")
    parser.add_argument("--latency-seconds", type=float, default=60, help="length of the steady-load phase")
    parser.add_argument("--limit-articles", type=int, default=600, help="articles for each limit measurement")
    parser.add_argument("--repeats", type=int, default=3, help="repeats of the short limit measurements")
    parser.add_argument(
        "--in-flight", type=int, default=1000, help="most articles sent but not yet searchable"
    )
    parser.add_argument(
        "--scaling-seconds", type=float, default=45, help="sending time of each scaling phase"
    )
    parser.add_argument(
        "--copy-share", type=float, default=0.3, help="share of exact, near and partial generated copies"
    )
    return parser.parse_args(argv)


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


def scaling_phase(settings: Settings, stream: Stream, name: str, args: argparse.Namespace) -> dict[str, Any]:
    tag = f"{stream.tag}{name}"
    stream.stock(int(args.scaling_seconds * STOCK_PER_SECOND))
    found = scaling.phase(settings, stream.files(tag), tag, args.scaling_seconds, 400, 10)
    log(f"{name}: {found['per_s']:.1f} articles/s ({found['indexed']}/{found['produced']})")
    return found


def main_phase(
    settings: Settings, stream: Stream, tag: str, deadline: float, in_flight: int, cores: int
) -> dict[str, Any]:
    """The pipeline saturated until `deadline`: its rate and timeline, the labels of what it was sent,
    and each stage's rate and CPU from /metrics."""
    before = pipeline.scrape(settings)
    e2e = asyncio.run(
        pipeline.saturate(settings, stream.files(tag), f"bench-{tag}-", deadline, in_flight, 20)
    )
    after = pipeline.scrape(settings)
    log(f"end to end: {e2e.per_s:.1f} articles/s, {e2e.indexed}/{e2e.produced} in {e2e.seconds:.0f} s")
    return {
        **{k: getattr(e2e, k) for k in ("produced", "indexed", "seconds", "per_s", "timeline")},
        "corpus": dict(stream.labels[tag]),
        "stages": pipeline.stage_deltas(before, after, e2e.seconds, cores),
    }


def run_phases(
    settings: Settings,
    args: argparse.Namespace,
    results: dict[str, Any],
    streams: dict[str, Stream],
    started: float,
) -> None:
    """Every measuring phase, on a pipeline emptied to one partition; fills `results`."""
    cores = os.cpu_count() or 1
    default_partitions = settings.topic_partitions
    generated = streams[GENERATED]
    log("limits")
    sample = generated.take(f"{generated.tag}limits", max(args.limit_articles, CHEAP_SAMPLE))
    results["limits"] = measure_limits(settings, sample, args.limit_articles, generated.tag, args.repeats)

    results["scaling"] = {"1 partition": scaling_phase(settings, generated, "p1", args)}
    scaling.grow(settings, default_partitions)

    later = args.latency_seconds + 3 * SCALING_OVERHEAD_SECONDS + 2 * args.scaling_seconds
    end = started + args.seconds - later  # the main phases share the time until then, drains included
    results["main"] = {}
    for n, (corpus, stream) in enumerate(streams.items()):
        log(f"end to end, saturated, {default_partitions} partitions, {corpus} corpus")
        deadline = time.monotonic() + (end - time.monotonic()) / (len(streams) - n) - MAIN_RESERVE_SECONDS
        stream.stock(int((deadline - time.monotonic()) * STOCK_PER_SECOND))  # in the phase's own time
        results["main"][corpus] = main_phase(
            settings, stream, f"{stream.tag}{corpus}", deadline, args.in_flight, cores
        )
    main = results["main"][GENERATED]
    results["scaling"][f"{default_partitions} partitions"] = {
        k: main[k] for k in ("per_s", "produced", "indexed")
    }

    rate = max(1.0, main["per_s"] / 2)
    log(f"freshness at {rate:.1f} articles/s for {args.latency_seconds:.0f} s")
    generated.stock(int(rate * args.latency_seconds) + 1)
    arrivals = asyncio.run(
        pipeline.steady(settings, generated.files(f"{generated.tag}s"), rate, args.latency_seconds)
    )
    latencies = sorted(arrivals.latency.values())
    results["freshness"] = {
        "sent": arrivals.sent,
        "rate": rate,
        "lost": arrivals.lost,
        "found": len(latencies),
        **{f"p{p}": pipeline.percentile(latencies, p) for p in (50, 95, 99)},
    }

    slowest = min(PIPELINE, key=lambda name: main["stages"][name]["per_cpu_s"])
    log(f"a second {slowest} worker")
    with scaling.second_worker(settings, slowest):
        results["scaling"][f"{default_partitions} partitions, 2 {slowest} workers"] = scaling_phase(
            settings, generated, "w2", args
        )
    scaling.grow(settings, 8)
    results["scaling"]["8 partitions"] = scaling_phase(settings, generated, "p8", args)


def unmeasured(results: dict[str, Any]) -> list[str]:
    """Each phase that measured nothing, named with what it found.

    No article sent or indexed, or a rate of 0 (or NaN), is a phase that did not run as meant (the
    8-partition phase of issue 15 reported `0.0 articles/s (0/0)`), not a result to publish.
    """
    phases: dict[str, dict[str, float]] = {
        **{f"limit {name}": {"per_s": limit["per_s"]} for name, limit in results["limits"].items()},
        **{
            f"end to end, {corpus} corpus": {k: phase[k] for k in ("per_s", "produced", "indexed")}
            for corpus, phase in results["main"].items()
            if "missing" not in phase
        },
        "freshness": {k: results["freshness"][k] for k in ("sent", "found")},
        **{
            f"scaling, {name}": {k: phase[k] for k in ("per_s", "produced", "indexed")}
            for name, phase in results["scaling"].items()
        },
    }
    return [
        f"{name} ({', '.join(f'{k} {v:g}' for k, v in values.items())})"
        for name, values in phases.items()
        if not all(v > 0 for v in values.values())
    ]


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    started = time.monotonic()
    settings = Settings.from_env()
    tag = f"{int(time.time())}"
    results: dict[str, Any] = {
        **report.run_header("benchmarks.run", argv),
        "repeats": args.repeats,
        "notes": [],
    }
    streams = {GENERATED: Stream(tag, workload.generated(args.copy_share, seed=int(tag)))}
    missing = realnews.missing_reason()
    if missing:
        log(f"no end-to-end phase on real articles: {missing}")
    else:
        streams[REAL] = Stream(tag, workload.real(tag))

    log("emptying the pipeline: 1 partition")
    scaling.empty(settings, 1)
    try:
        run_phases(settings, args, results, streams, started)
    finally:
        log("emptying the pipeline again")
        scaling.empty(settings, settings.topic_partitions)
    if missing:
        results["main"][REAL] = {"missing": missing}

    main = results["main"]
    results["pipeline_articles"] = (
        sum(phase["produced"] for phase in results["scaling"].values())
        + main[REAL].get("produced", 0)  # the generated main phase is a scaling row already
        + results["freshness"]["sent"]
    )
    results["ratios"] = {
        name: main[GENERATED]["per_s"] / results["limits"][name]["per_s"]
        for name in ("kafka", "elasticsearch", "in_process")
    }
    results["notes"] += [
        "Every phase through the pipeline ends at its deadline: the articles come from endless streams, "
        f"{results['pipeline_articles']:,} of them end to end in this run. The generated one is made by "
        "`benchmarks/corpus.py` from this run's seed; the ANT one reads the corpus again and again, "
        "and marks every body with the run and the pass, so each pass is new work for the pipeline.",
        "The ANT phase sends each article as the corpus' own JSON object, so the door reads its date, "
        "outlet and address, in corpus order; an id repeated within a pass (one story filed under "
        "several sections) is sent once.",
        "The sustained rate is the slope of the searchable count after a 20 s warm-up, up to when sending "
        f"stopped, with at most {args.in_flight} articles; Elasticsearch's count polled every second.",
        "Freshness: generated articles sent one by one at half the generated phase's rate; Elasticsearch "
        f"polled every {pipeline.POLL_SECONDS} s, so each latency is late by up to that much; "
        f"the index refreshes every {index.refresh_interval()}.",
        "Kafka alone is one producer then one consumer (kafka-python, acks=all) over the same file records; "
        "the pipeline crosses Kafka seven times (six stages and dedup's sequencer topic).",
        f"Scaling phases send for {args.scaling_seconds:.0f} s each (rate measured after a 10 s warm-up, "
        "at most 400 articles in flight) on the same pipeline: after the 1-partition phase the topics "
        "grow to 4 and then 8 partitions and the services restart; the state (index, dedup tables) "
        "grows from phase to phase. The second worker joins the stage's consumer group as a separate "
        "process.",
        "The run starts and ends with `akhbar reset`: it measures an empty pipeline and leaves one.",
    ]
    results["seconds"] = time.monotonic() - started
    results["unmeasured"] = unmeasured(results)
    report.write_all(results)
    log(f"done in {results['seconds']:.0f} s: BENCHMARKS.md, benchmarks/results.json, benchmarks/chart.png")
    if results["unmeasured"]:
        sys.exit("make bench failed, these phases measured nothing: " + "; ".join(results["unmeasured"]))


if __name__ == "__main__":
    main()
