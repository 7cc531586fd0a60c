"""The metrics themselves, on rankings whose values are known by hand."""

from __future__ import annotations

import math

import pytest
from metrics import ndcg_at, recall_at


def test_recall_counts_only_the_top_k() -> None:
    assert recall_at(2, ["a", "x", "b"], {"a", "b"}) == 0.5
    assert recall_at(3, ["a", "x", "b"], {"a", "b"}) == 1.0


def test_a_query_that_should_find_nothing() -> None:
    assert recall_at(10, [], set()) == 1.0
    assert recall_at(10, ["x"], set()) == 0.0
    assert ndcg_at(10, ["x"], set()) == 0.0


def test_ndcg_rewards_relevant_documents_ranked_first() -> None:
    assert ndcg_at(10, ["a", "b", "x"], {"a", "b"}) == 1.0
    expected = (1 / math.log2(3) + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert ndcg_at(10, ["x", "a", "b"], {"a", "b"}) == pytest.approx(expected)
