"""A second reader for the ANT relevance judgments: a blind sample to grade, and the agreement.

The judgments (tests/relevance/ant_judgments.json) were graded by one reader. This measures how far
they can be trusted by having a second reader grade a sample of the same (query, article) pairs by
the same rubric, without seeing the first grades, and comparing.

- `sample`: rebuilds each query's pool (the union of the three systems' top 20, as
  `benchmarks/relevance.py --pool` does; Elasticsearch with the alias `akhbar-ant`, read only) and
  draws a fixed-seed sample stratified by the first reader's grade: 2, 1, 0 as graded, and 0 by
  default (pooled but not listed). It writes the pairs and each stratum's size in the pool
  (benchmarks/judge_sample.json: no grades, no text) and prints each pair for reading, WITHOUT its
  grade: the query, its kind and params, the article's date, title and the first 800 characters of
  its body (from the index, by article id). The printout holds article text: never commit it.
- `agree`: reads the second reader's grades (tests/relevance/ant_second_reader.json) and the
  first reader's (a pooled article not listed counts as 0) and prints exact agreement, Cohen's
  kappa (unweighted and linearly weighted), and agreement on relevant (grade >= 1) or not, overall
  and per kind of query; then the same over the whole pool, each pair weighted by its stratum's size
  in the pool over its count in the sample (the sample over-draws the rarer grades).

Run: python -m benchmarks.judge_agreement sample > /tmp/second_reader.txt
     python -m benchmarks.judge_agreement agree
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import relevance, relevance_index
from benchmarks.relevance_systems import SYSTEMS
from shared import index
from shared.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SECOND = ROOT / "tests" / "relevance" / "ant_second_reader.json"
SAMPLE = ROOT / "benchmarks" / "judge_sample.json"
SEED = 20
BODY = 800
GRADES = (0, 1, 2)
SIZE = 150  # pairs in the sample, shared equally by the strata that have any
# the strata: the grades the first reader gave, and the pooled articles not listed (0 by the rubric)
STRATA = ("2", "1", "0", "unlisted")

Pair = tuple[str, str]  # (query id, article id)


def kappa(
    pairs: Sequence[tuple[int, int]],
    weighting: str = "none",
    weights: Sequence[float] | None = None,
    categories: Sequence[int] = GRADES,
) -> float:
    """Cohen's kappa of two readers' grades, 1 - observed disagreement / disagreement expected by chance.

    `weighting` "none" counts every disagreement alike, "linear" by its distance over the scale's
    width (|a - b| / (k - 1)). `weights` weighs each pair (default 1 each). NaN when chance alone
    expects no disagreement (both readers gave one grade throughout)."""
    if weighting not in ("none", "linear"):
        raise ValueError(f"unknown weighting {weighting!r}")
    each = list(weights) if weights is not None else [1.0] * len(pairs)
    total = sum(each)
    if not pairs or total == 0:
        return float("nan")
    span = max(categories) - min(categories)

    def apart(a: int, b: int) -> float:
        if weighting == "none":
            return 0.0 if a == b else 1.0
        return abs(a - b) / span

    first: defaultdict[int, float] = defaultdict(float)
    second: defaultdict[int, float] = defaultdict(float)
    observed = 0.0
    for (a, b), w in zip(pairs, each, strict=True):
        first[a] += w
        second[b] += w
        observed += w * apart(a, b)
    observed /= total
    expected = sum(first[a] * second[b] * apart(a, b) for a in categories for b in categories) / (
        total * total
    )
    if expected == 0:
        return float("nan")
    return 1 - observed / expected


def agreement(pairs: Sequence[tuple[int, int]], weights: Sequence[float] | None = None) -> dict[str, float]:
    """Exact agreement, kappa (unweighted, linear), and agreement and kappa on relevant (>= 1) or not."""
    each = list(weights) if weights is not None else [1.0] * len(pairs)
    total = sum(each)
    binary = [(int(a >= 1), int(b >= 1)) for a, b in pairs]
    return {
        "n": len(pairs),
        "exact": sum(w for (a, b), w in zip(pairs, each, strict=True) if a == b) / total,
        "kappa": kappa(pairs, "none", each),
        "kappa_linear": kappa(pairs, "linear", each),
        "relevant_agree": sum(w for (a, b), w in zip(binary, each, strict=True) if a == b) / total,
        "relevant_kappa": kappa(binary, "none", each, categories=(0, 1)),
    }


def pools(found: dict[str, dict[str, list[str]]], queries: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Each query's pool: the three systems' rankings interleaved rank by rank, without repeats."""
    return {
        query["id"]: list(
            dict.fromkeys(
                doc
                for rank in range(relevance.POOL_DEPTH)
                for system in SYSTEMS
                for doc in found[system][query["id"]][rank : rank + 1]
            )
        )
        for query in queries
    }


def strata(queries: list[dict[str, Any]], pooled: dict[str, list[str]]) -> dict[str, list[Pair]]:
    """The judged pairs by the first reader's grade, and the pooled pairs he did not list."""
    out: dict[str, list[Pair]] = {name: [] for name in STRATA}
    for query in queries:
        grades: dict[str, int] = query["grades"]
        for doc, grade in sorted(grades.items()):
            out[str(grade)].append((query["id"], doc))
        out["unlisted"] += [(query["id"], doc) for doc in sorted(pooled[query["id"]]) if doc not in grades]
    return out


def allocation(by_stratum: dict[str, list[Pair]], size: int) -> dict[str, int]:
    """`size` shared equally by the strata that have pairs (the first ones get the remainder)."""
    present = [name for name in STRATA if by_stratum[name]]
    share, extra = divmod(size, len(present))
    counts = {name: share + (n < extra) for n, name in enumerate(present)}
    return {name: min(counts.get(name, 0), len(by_stratum[name])) for name in STRATA}


def draw(by_stratum: dict[str, list[Pair]], counts: dict[str, int], seed: int) -> list[Pair]:
    """A fixed-seed sample of counts[stratum] pairs from each stratum, sorted by query and article."""
    rng = random.Random(seed)
    chosen: list[Pair] = []
    for name in STRATA:
        chosen += rng.sample(by_stratum[name], counts[name])
    return sorted(chosen)


def first_grades(queries: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    return {query["id"]: query["grades"] for query in queries}


def stratum_of(grades: dict[str, dict[str, int]], pair: Pair) -> str:
    query, doc = pair
    return str(grades[query][doc]) if doc in grades[query] else "unlisted"


async def _sample(settings: Settings, seed: int) -> None:
    queries = relevance.judged()
    es = index.client(settings, request_timeout=60)
    try:
        missing = await relevance.missing_index(es)
        if missing:
            raise SystemExit(f"judge_agreement: {missing}")
        pooled = pools(await relevance.rankings(es, queries, relevance.POOL_DEPTH), queries)
        by_stratum = strata(queries, pooled)
        counts = allocation(by_stratum, SIZE)
        chosen = draw(by_stratum, counts, seed)
        listed_not_pooled = sum(
            doc not in pooled[query["id"]] for query in queries for doc in query["grades"]
        )
        SAMPLE.write_text(
            json.dumps(
                {
                    "_comment": "The second reader's sample (benchmarks/judge_agreement.py sample): the "
                    "pairs drawn and each stratum's size in the pool; no grades, no article text.",
                    "seed": seed,
                    "allocation": counts,
                    "population": {name: len(pairs) for name, pairs in by_stratum.items()},
                    "pooled": sum(len(docs) for docs in pooled.values()),
                    "listed_not_pooled": listed_not_pooled,
                    "pairs": [list(pair) for pair in chosen],
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
        by_query: defaultdict[str, list[str]] = defaultdict(list)
        for query_id, doc in chosen:
            by_query[query_id].append(doc)
        for query in queries:
            docs = by_query.get(query["id"])
            if not docs:
                continue
            print(f"\n### {query['id']} kind={query['kind']} q={query['q']} params={query['params']}")
            got = await es.mget(
                index=relevance_index.alias(),
                ids=docs,
                source_includes=["title", "body", "published_at"],
            )
            for doc in got["docs"]:
                source = doc.get("_source") or {}
                body = " ".join(str(source.get("body", "")).split())[:BODY]
                print(f"\n-- {query['id']} {doc['_id']} {str(source.get('published_at'))[:10]}")
                print(f"TITLE: {source.get('title')}")
                print(f"BODY: {body}")
    finally:
        await es.close()


def _row(name: str, scores: dict[str, float]) -> str:
    cells = [
        f"{scores[m]:.3f}" for m in ("exact", "kappa", "kappa_linear", "relevant_agree", "relevant_kappa")
    ]
    return f"| {name} | {scores['n']} | " + " | ".join(cells) + " |"


def _agree(mine_path: Path, sample_path: Path) -> None:
    queries = relevance.judged()
    kinds = {query["id"]: query["kind"] for query in queries}
    first = first_grades(queries)
    mine: dict[str, dict[str, int]] = json.loads(mine_path.read_text(encoding="utf-8"))["grades"]
    sample = json.loads(sample_path.read_text(encoding="utf-8"))
    pairs = sorted((q, doc) for q, docs in mine.items() for doc in docs)
    graded = [(first[q].get(doc, 0), mine[q][doc]) for q, doc in pairs]
    drawn = Counter(stratum_of(first, pair) for pair in pairs)
    weights = [sample["population"][stratum_of(first, p)] / drawn[stratum_of(first, p)] for p in pairs]

    header = ["| pairs | n | exact | kappa | kappa linear | relevant agree | relevant kappa |"]
    header.append("| --- | --- | --- | --- | --- | --- | --- |")
    lines = [*header, _row("all (sample)", agreement(graded))]
    lines.append(_row("all (weighted to the pool)", agreement(graded, weights)))
    by_kind: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
    for (q, _), grades in zip(pairs, graded, strict=True):
        by_kind[kinds[q]].append(grades)
    lines += [_row(kind, agreement(values)) for kind, values in sorted(by_kind.items())]
    print("\n".join(lines))

    print("\nfirst reader (rows) by second reader (columns), sample counts:")
    confusion = Counter(graded)
    print("      " + "".join(f"{b:>5}" for b in GRADES))
    for a in GRADES:
        print(f"{a:>5} " + "".join(f"{confusion[(a, b)]:>5}" for b in GRADES))
    unlisted = [(a, b) for p, (a, b) in zip(pairs, graded, strict=True) if stratum_of(first, p) == "unlisted"]
    print(f"pooled but unlisted (first reader's 0 by default): {Counter(b for _, b in unlisted)}")
    print("\ndisagreements (query, article, first, second):")
    for (q, doc), (a, b) in zip(pairs, graded, strict=True):
        if a != b:
            print(f"  {q} {kinds[q]} {doc} {a} {b}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("sample", help="draw the sample and print it, without grades, for reading")
    sample.add_argument("--seed", type=int, default=SEED)
    agree = commands.add_parser("agree", help="the agreement of the second reader's grades with the first's")
    agree.add_argument("--mine", type=Path, default=SECOND)
    agree.add_argument("--sample", type=Path, default=SAMPLE)
    args = parser.parse_args(argv)
    if args.command == "sample":
        asyncio.run(_sample(Settings.from_env(), args.seed))
    else:
        _agree(args.mine, args.sample)


if __name__ == "__main__":
    main()
