"""Ranking metrics with graded judgments: 0 not relevant, 1 partly, 2 about the query.

An article nobody judged counts as not relevant: the judged set pools each system's top 20, deeper
than the 10 scored, so every hit that is scored has been read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def relevant(grades: Mapping[str, int]) -> set[str]:
    return {doc for doc, grade in grades.items() if grade > 0}


def recall_at(k: int, ranked: Sequence[str], grades: Mapping[str, int]) -> float:
    """Share of the relevant articles in the top k, over at most k of them: a query with 40
    relevant articles is fully served by 10 relevant hits (else no system could reach 1)."""
    wanted = relevant(grades)
    if not wanted:
        return 1.0 if not ranked else 0.0
    return len(wanted & set(ranked[:k])) / min(k, len(wanted))


def ndcg_at(k: int, ranked: Sequence[str], grades: Mapping[str, int]) -> float:
    """DCG of the top k (gain = the grade) over the DCG of the best ranking of the judged articles."""
    dcg = sum(grades.get(doc, 0) / math.log2(rank + 2) for rank, doc in enumerate(ranked[:k]))
    best = sorted(grades.values(), reverse=True)[:k]
    ideal = sum(grade / math.log2(rank + 2) for rank, grade in enumerate(best))
    if ideal == 0:
        return 1.0 if dcg == 0 else 0.0
    return dcg / ideal


def reciprocal_rank(ranked: Sequence[str], grades: Mapping[str, int]) -> float:
    """1 / the rank of the first relevant article; 0 when none is ranked."""
    for rank, doc in enumerate(ranked, start=1):
        if grades.get(doc, 0) > 0:
            return 1 / rank
    return 0.0
