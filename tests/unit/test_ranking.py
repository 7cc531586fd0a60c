"""The graded metrics, on rankings whose values are known by hand."""

from __future__ import annotations

import math

import pytest

from benchmarks.ranking import ndcg_at, recall_at, reciprocal_rank


def test_recall_counts_the_top_k_over_at_most_k_relevant() -> None:
    grades = {"a": 2, "b": 1, "c": 0}
    assert recall_at(2, ["a", "x", "b"], grades) == 0.5
    assert recall_at(3, ["a", "x", "b"], grades) == 1.0
    many = {str(n): 1 for n in range(20)}
    assert recall_at(10, [str(n) for n in range(10)], many) == 1.0


def test_a_query_with_nothing_relevant() -> None:
    assert recall_at(10, [], {"x": 0}) == 1.0
    assert recall_at(10, ["x"], {"x": 0}) == 0.0
    assert ndcg_at(10, ["x"], {"x": 0}) == 1.0
    assert reciprocal_rank(["x"], {"x": 0}) == 0.0


def test_ndcg_weighs_the_grades_and_the_order() -> None:
    grades = {"a": 2, "b": 1}
    assert ndcg_at(10, ["a", "b"], grades) == 1.0
    ideal = 2 + 1 / math.log2(3)
    assert ndcg_at(10, ["b", "a"], grades) == pytest.approx((1 + 2 / math.log2(3)) / ideal)
    assert ndcg_at(10, ["x", "y"], grades) == 0.0


def test_reciprocal_rank_is_the_first_relevant_hit() -> None:
    assert reciprocal_rank(["x", "y", "a"], {"a": 1}) == pytest.approx(1 / 3)
    assert reciprocal_rank(["a"], {"a": 2}) == 1.0
