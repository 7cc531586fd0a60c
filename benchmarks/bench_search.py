"""The search API's latency over the judged relevance queries on the whole ANT index.

Each query goes through `services.search.engine.search`, the function behind `GET /v1/search`:
the entity lookup, then the collapsed search with highlights, facets (story counts) and the
timeline, as the service asks for them, against `akhbar-ant` (`make relevance-index`). One warm-up
round, then `--rounds` timed rounds of every query in turn, one at a time; HTTP adds its own few
milliseconds on top.

Run: make bench-search   (or python -m benchmarks.bench_search [--rounds N]); writes
benchmarks/bench_search.json and the "Search latency" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import relevance, relevance_index, report
from benchmarks.pipeline import percentile
from services.search import engine
from shared import index
from shared.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "bench_search.json"
PAGE = 10  # hits a page, the service's default


async def _timed(settings: Settings, rounds: int) -> dict[str, Any]:
    es = index.client(settings, request_timeout=60)
    try:
        missing = await relevance.missing_index(es)
        if missing:
            sys.exit(f"bench_search: {missing}")
        queries = [relevance.params_of(q, PAGE) for q in relevance.judged()]
        name = relevance_index.alias()
        for params in queries:  # warm-up: Elasticsearch's caches and the request file
            await engine.search(es, name, params)
        seconds = []
        for _ in range(rounds):
            for params in queries:
                started = time.perf_counter()
                await engine.search(es, name, params)
                seconds.append(time.perf_counter() - started)
        count = int((await es.count(index=name))["count"])
    finally:
        await es.close()
    ms = sorted(s * 1000 for s in seconds)
    return {
        "index": name,
        "documents": count,
        "queries": len(queries),
        "rounds": rounds,
        "searches": len(ms),
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "max_ms": round(ms[-1], 1),
    }


def markdown(results: dict[str, Any]) -> str:
    machine = results["machine"]
    return (
        "## Search latency\n\n"
        f"`GET /v1/search`'s function (`services.search.engine.search`: entity lookup, collapsed search, "
        f"highlights, facets, timeline) over the {results['queries']} judged relevance queries on "
        f"`{results['index']}` ({results['documents']:,} ANT articles), {results['rounds']} rounds after a "
        f"warm-up, one search at a time: **median {results['median_ms']} ms, p95 {results['p95_ms']} ms**, "
        f"max {results['max_ms']} ms over {results['searches']} searches. {machine['nproc']} cores "
        f"({machine['cpu_model']}, shared with the running pipeline), {machine['memory_gib']} GiB; "
        f"`{results['command']}`, {results['started']}.\n"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    results = {
        **report.run_header("benchmarks.bench_search", argv),
        **asyncio.run(_timed(Settings.from_env(), args.rounds)),
    }
    report.write_json(results, RESULTS)
    section = markdown(results)
    target = ROOT / "BENCHMARKS.md"
    text = report.with_kept_section(target.read_text(encoding="utf-8"), "## Search latency", section)
    target.write_text(text, encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()
