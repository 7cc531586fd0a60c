"""Cohen's kappa of benchmarks/judge_agreement.py on a tiny example worked out by hand."""

import math

import pytest

from benchmarks.judge_agreement import agreement, kappa

# first reader, second reader: three of four agree; marginals (2, 1, 1) and (1, 2, 1) of 0/1/2
PAIRS = [(0, 0), (0, 1), (1, 1), (2, 2)]


def test_unweighted_kappa() -> None:
    # observed agreement 3/4; by chance .5 * .25 + .25 * .5 + .25 * .25 = .3125
    assert kappa(PAIRS) == pytest.approx((0.75 - 0.3125) / (1 - 0.3125))  # 7/11


def test_linearly_weighted_kappa() -> None:
    # observed disagreement (1/2) / 4 = .125; by chance, sum of p1(i) p2(j) |i - j| / 2 = .4375
    assert kappa(PAIRS, "linear") == pytest.approx(1 - 0.125 / 0.4375)  # 5/7


def test_weights_count_each_pair_that_many_times() -> None:
    assert kappa(PAIRS, weights=[2, 2, 2, 2]) == pytest.approx(kappa(PAIRS))
    assert kappa(PAIRS, weights=[1, 1, 1, 2]) == pytest.approx(kappa([*PAIRS, (2, 2)]))


def test_one_grade_throughout_leaves_kappa_undefined() -> None:
    assert math.isnan(kappa([(2, 2), (2, 2)]))


def test_agreement_on_relevant_or_not() -> None:
    scores = agreement(PAIRS)
    assert scores["exact"] == 0.75
    # as relevant (>= 1) or not: (0, 0), (0, 1), (1, 1), (1, 1); chance .5 * .25 + .5 * .75
    assert scores["relevant_agree"] == 0.75
    assert scores["relevant_kappa"] == pytest.approx((0.75 - 0.5) / (1 - 0.5))
