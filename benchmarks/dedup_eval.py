"""Dedup scored on real news against the exhaustive pair truth of benchmarks/dedup_truth.py.

The first `--articles` ANT articles (default 20,000, file order) go through the dedup stage's own logic
in that order (`services.dedup.replay`: fingerprints, then the decider, revisions applied as the index
applies them), each under its corpus id, so that two identical bodies are two articles here (in the
pipeline they would have one article id and be one document). The final verdicts are read as pairs:

- near/exact groups: two articles are in one copy group when they have the same head (`duplicate_of`,
  or the article itself); truth: Jaccard of 5-gram sets >= 0.8. Exact claims: an `exact` verdict is
  right when its words are those of its `duplicate_of`;
- passages: two articles are related when they are in one copy group or their heads list each other in
  `related` (a copy's passages are its head's); truth: containment of the smaller article >= 0.2 after
  boilerplate removal, or near;
- stories: two articles are in one story when they have the same `cluster_id`; truth: connected
  components of the passage graph. All pairwise: precision = right pairs / claimed pairs, recall =
  right pairs / true pairs.

Run: .venv/bin/python benchmarks/dedup_eval.py [--articles N]   (or `make dedup-eval`)
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # as a script, beside dedup_truth

from dedup_truth import Truth, corpus_path, read_articles, score

from services.dedup.decider import Policy
from services.dedup.replay import Replay
from services.dedup.verdict import EXACT, Verdict

GOALS = {"near/exact groups": (0.95, 0.95), "passages": (0.90, 0.85), "stories": (0.85, 0.80)}
Pair = tuple[int, int]


def pairs_within(groups: Iterable[list[int]]) -> set[Pair]:
    return {(a, b) for group in groups for a, b in combinations(sorted(group), 2)}


def grouped(labels: list[str]) -> list[list[int]]:
    members: dict[str, list[int]] = {}
    for position, label in enumerate(labels):
        members.setdefault(label, []).append(position)
    return [group for group in members.values() if len(group) > 1]


def precision_recall(claimed: set[Pair], true: set[Pair]) -> tuple[float, float, int, int]:
    right = len(claimed & true)
    return right / max(1, len(claimed)), right / max(1, len(true)), len(claimed), len(true)


def story_scores(predicted: list[str], truth: list[int]) -> tuple[float, float, int, int]:
    """Pairwise over clusters without listing the pairs: counts of pairs per cluster and per overlap."""

    def pairs(counts: Iterable[int]) -> int:
        return sum(n * (n - 1) // 2 for n in counts)

    right = pairs(Counter(zip(predicted, truth, strict=True)).values())
    claimed, true = pairs(Counter(predicted).values()), pairs(Counter(truth).values())
    return right / max(1, claimed), right / max(1, true), claimed, true


def evaluate(truth: Truth, verdicts: list[Verdict]) -> dict[str, tuple[float, float, int, int]]:
    position = {article_id: n for n, article_id in enumerate(truth.ids)}
    heads = [position[v.duplicate_of] if v.duplicate_of else n for n, v in enumerate(verdicts)]
    same_group = pairs_within(grouped([str(h) for h in heads]))
    exact_true = set(truth.exact)
    exact_claims = {tuple(sorted((n, heads[n]))) for n, v in enumerate(verdicts) if v.status == EXACT}
    related_heads = {
        tuple(sorted((n, position[r.article_id]))) for n, v in enumerate(verdicts) for r in v.related
    }
    members: dict[int, list[int]] = {}
    for n, head in enumerate(heads):
        members.setdefault(head, []).append(n)
    related = set(same_group)
    for a, b in related_heads:
        related.update(tuple(sorted(pair)) for pair in _product(members.get(a, [a]), members.get(b, [b])))
    exact_right = len(exact_claims & exact_true)
    return {
        "near/exact groups": precision_recall(same_group, {(a, b) for a, b, _ in truth.near}),
        "exact claims": (
            exact_right / max(1, len(exact_claims)),
            len(same_group & exact_true) / max(1, len(exact_true)),
            len(exact_claims),
            len(exact_true),
        ),
        "passages": precision_recall(related, {(a, b) for a, b, _ in truth.passage}),
        "stories": story_scores([v.cluster_id for v in verdicts], truth.stories),
    }


def _product(first: list[int], second: list[int]) -> Iterable[Pair]:
    return ((a, b) for a in first for b in second if a != b)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=20_000)
    args = parser.parse_args()
    if not corpus_path().exists():
        sys.exit(f"no corpus at {corpus_path()} (set AKHBAR_SHARED)")
    articles = list(read_articles(args.articles))
    started = time.perf_counter()
    truth = score(articles)
    print(f"truth: {len(articles)} articles in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    replay = Replay(Policy())
    for article in articles:
        replay.send(article.id, article.body)
    print(f"dedup: {len(articles)} articles in {time.perf_counter() - started:.0f} s")
    print(f"verdicts: {dict(Counter(v.status for v in replay.indexed.values()))}")
    result = evaluate(truth, [replay.indexed[article.id] for article in articles])
    print(f"{'':<20}{'precision':>10}{'recall':>8}{'claimed':>9}{'true':>7}   goal")
    for name, (precision, recall, claimed, true) in result.items():
        goal = "{:.2f} / {:.2f}".format(*GOALS[name]) if name in GOALS else ""
        print(f"{name:<20}{precision:>10.3f}{recall:>8.3f}{claimed:>9}{true:>7}   {goal}")


if __name__ == "__main__":
    main()
