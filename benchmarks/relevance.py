"""Relevance on real news: the judged ANT queries against the three systems, from one run.

The queries (tests/relevance/ant_judgments.json) were written before any results were seen, of
the kinds analysts type; each was judged by reading the pooled top 20 of the three systems of
benchmarks/relevance_systems.py (grades 0, 1, 2; an article not in the pool counts as 0). The index
is the whole corpus behind `akhbar-ant` (`make relevance-index`).

Run: make relevance   (or python -m benchmarks.relevance); writes benchmarks/relevance.json and the
"Relevance" section of BENCHMARKS.md, and prints the table.
`--pool q01 q02 ...` prints instead each query's pooled articles (title and opening) for judging.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from elasticsearch import AsyncElasticsearch

from benchmarks import relevance_index, report
from benchmarks.ranking import ndcg_at, recall_at, reciprocal_rank
from benchmarks.relevance_systems import SYSTEMS, ranked
from services.search.params import SearchParams, parse
from shared import index
from shared.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
JUDGMENTS = ROOT / "tests" / "relevance" / "ant_judgments.json"
RESULTS = ROOT / "benchmarks" / "relevance.json"
K = 10
POOL_DEPTH = 20
OPENING = 110  # characters of the body shown for judging, after the title (more read when unclear)
METRICS = ("recall@10", "ndcg@10", "mrr")


def judged() -> list[dict[str, Any]]:
    queries: list[dict[str, Any]] = json.loads(JUDGMENTS.read_text(encoding="utf-8"))["queries"]
    return queries


def params_of(query: dict[str, Any], size: int) -> SearchParams:
    return parse({"q": [query["q"]], "size": [str(size)], **{k: [v] for k, v in query["params"].items()}})


async def missing_index(es: AsyncElasticsearch) -> str | None:
    if await es.indices.exists_alias(name=relevance_index.alias()):
        return None
    return f"no index behind the alias {relevance_index.alias()}: build it with `make relevance-index`"


async def rankings(
    es: AsyncElasticsearch, queries: list[dict[str, Any]], depth: int
) -> dict[str, dict[str, list[str]]]:
    """system -> query id -> ranked article ids."""
    name = relevance_index.alias()
    found: dict[str, dict[str, list[str]]] = {system: {} for system in SYSTEMS}
    for query in queries:
        for system in SYSTEMS:
            found[system][query["id"]] = await ranked(es, name, system, params_of(query, depth))
    return found


def scores(queries: list[dict[str, Any]], found: dict[str, dict[str, list[str]]]) -> dict[str, Any]:
    """Per system: the mean of each metric over all queries and per kind, and each query's."""
    out: dict[str, Any] = {}
    for system, by_query in found.items():
        per_query = {}
        for query in queries:
            hits, grades = by_query[query["id"]], query["grades"]
            per_query[query["id"]] = {
                "recall@10": recall_at(K, hits, grades),
                "ndcg@10": ndcg_at(K, hits, grades),
                "mrr": reciprocal_rank(hits[:K], grades),
            }
        kinds: defaultdict[str, list[dict[str, float]]] = defaultdict(list)
        for query in queries:
            kinds[query["kind"]].append(per_query[query["id"]])
        out[system] = {
            "all": _means(list(per_query.values())),
            "kinds": {kind: _means(values) for kind, values in sorted(kinds.items())},
            "queries": per_query,
        }
    return out


def _means(values: list[dict[str, float]]) -> dict[str, float]:
    return {metric: round(sum(v[metric] for v in values) / len(values), 3) for metric in METRICS}


def markdown(results: dict[str, Any]) -> str:
    systems = results["systems"]
    kinds = list(next(iter(systems.values()))["kinds"])
    lines = [
        "## Relevance",
        "",
        f"{results['queries']} judged queries over the whole ANT corpus "
        f"({results['documents']:,} articles in `{results['index']}`), each judged by reading "
        f"the pooled top {POOL_DEPTH} of the three systems "
        "(grades 0/1/2). recall@10 is over at most 10 relevant articles a query; MRR within the top 10. "
        f"`{results['command']}`, {results['started']}.",
        "",
        "`current` is the search as it was (no clitic readings, no entity matching, a one-word query's "
        "spellings all required), `improved` the search as it is (the default), `plain` BM25 over title "
        "and body only split into lowercased words (`.plain` subfields of the relevance index); all three "
        "show one hit per story. Queries, grades and how they were judged: "
        "`tests/relevance/ant_judgments.json`.",
        "",
        "| system | recall@10 | nDCG@10 | MRR |",
        "| --- | --- | --- | --- |",
    ]
    for system, scored in systems.items():
        lines.append(f"| {system} | " + " | ".join(f"{scored['all'][m]:.3f}" for m in METRICS) + " |")
    lines += ["", "nDCG@10 by kind of query:", "", "| kind | queries | " + " | ".join(systems) + " |"]
    lines.append("| --- | --- |" + " --- |" * len(systems))
    for kind in kinds:
        row = [f"{systems[s]['kinds'][kind]['ndcg@10']:.3f}" for s in systems]
        lines.append(f"| {kind} | {results['kinds'][kind]} | " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


async def _run(settings: Settings, argv: list[str]) -> dict[str, Any]:
    es = index.client(settings, request_timeout=60)
    try:
        missing = await missing_index(es)
        if missing:
            sys.exit(f"relevance: {missing}")
        queries = judged()
        found = await rankings(es, queries, K)
        count = int((await es.count(index=relevance_index.alias()))["count"])
    finally:
        await es.close()
    kinds: defaultdict[str, int] = defaultdict(int)
    for query in queries:
        kinds[query["kind"]] += 1
    return {
        **report.run_header("benchmarks.relevance", argv),
        "index": relevance_index.alias(),
        "documents": count,
        "queries": len(queries),
        "kinds": dict(sorted(kinds.items())),
        "systems": scores(queries, found),
    }


async def _pool(settings: Settings, ids: list[str]) -> None:
    """Each query's pooled articles, interleaved rank by rank across the systems, for reading."""
    es = index.client(settings, request_timeout=60)
    try:
        queries = [q for q in judged() if q["id"] in ids]
        found = await rankings(es, queries, POOL_DEPTH)
        for query in queries:
            pooled = list(
                dict.fromkeys(
                    doc
                    for rank in range(POOL_DEPTH)
                    for system in SYSTEMS
                    for doc in found[system][query["id"]][rank : rank + 1]
                )
            )
            got = await es.mget(
                index=relevance_index.alias(),
                ids=pooled,
                source_includes=["title", "body", "published_at", "source_file"],
            )
            print(
                f"\n### {query['id']} {query['kind']} q={query['q']} {query['params']} pooled={len(pooled)}"
            )
            for n, doc in enumerate(got["docs"], start=1):
                source = doc["_source"]
                opening = " ".join(source["body"][:OPENING].split())
                print(
                    f"{n}. {doc['_id']} {str(source.get('published_at'))[:10]} [{source['title']}] {opening}"
                )
    finally:
        await es.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--pool", nargs="+", metavar="QUERY_ID", help="print these queries' pools for judging"
    )
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.pool:
        asyncio.run(_pool(settings, args.pool))
        return
    results = asyncio.run(_run(settings, argv if argv is not None else sys.argv[1:]))
    report.write_json(results, RESULTS)
    section = markdown(results)
    target = ROOT / "BENCHMARKS.md"
    target.write_text(
        report.with_kept_section(target.read_text(encoding="utf-8"), "## Relevance", section),
        encoding="utf-8",
    )
    print(section)


if __name__ == "__main__":
    main()
