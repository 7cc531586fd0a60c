"""Ranking metrics with binary judgments: a document is relevant or it is not."""

from __future__ import annotations

import math
from collections.abc import Sequence


def recall_at(k: int, ranked: Sequence[str], relevant: set[str]) -> float:
    """Share of the relevant documents in the top k; a query with none is perfect only if it finds none."""
    if not relevant:
        return 1.0 if not ranked else 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


def ndcg_at(k: int, ranked: Sequence[str], relevant: set[str]) -> float:
    """DCG of the top k over the DCG of the ideal ranking (every relevant document first)."""
    if not relevant:
        return 1.0 if not ranked else 0.0
    dcg = sum(1 / math.log2(rank + 2) for rank, doc in enumerate(ranked[:k]) if doc in relevant)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(k, len(relevant))))
    return dcg / ideal
