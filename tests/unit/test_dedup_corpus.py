"""Dedup scored on the labelled corpus (benchmarks/corpus.py): precision and recall per class.

The decision logic runs in-process in stream order, as the sequencer would run it. A verdict counts
as right only when it also names the right earlier article: the source for exact and near, one of
the related articles for partial.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from services.dedup.decider import Decider, Policy
from services.dedup.fingerprints import fingerprint
from services.dedup.verdict import Verdict

CLASSES = ("exact", "near", "partial")
MINIMUM = 0.95


def load_corpus() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "corpus.py"
    spec = importlib.util.spec_from_file_location("corpus", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the module runs
    spec.loader.exec_module(module)
    return module


corpus = load_corpus()


def right(item: Any, verdict: Verdict) -> bool:
    label, source = item.label, item.source
    if verdict.status != label:
        return False
    if label in ("exact", "near"):
        return verdict.duplicate_of == source
    if label == "partial":
        return source in {r.article_id for r in verdict.related}
    return True


def score(items: Iterable[Any], policy: Policy) -> dict[str, tuple[float, float]]:
    decider = Decider(policy, {}, {})
    outcomes = []
    for seq, item in enumerate(items):
        body = item.body
        verdict = decider.decide(item.id, fingerprint(body), len(body), seq, 0.0).verdict
        outcomes.append((item.label, verdict.status, right(item, verdict)))
    result = {}
    for name in CLASSES:
        predicted = [ok for _, status, ok in outcomes if status == name]
        labelled = [ok for label, _, ok in outcomes if label == name]
        result[name] = (sum(predicted) / max(1, len(predicted)), sum(labelled) / max(1, len(labelled)))
    return result


@pytest.fixture(scope="module")
def items() -> list[Any]:
    return list(corpus.generate(originals=40, seed=6))


def test_the_corpus_has_every_class(items: list[Any]) -> None:
    counts = {name: sum(1 for i in items if i.label == name) for name in (*CLASSES, "unique")}
    print("corpus:", counts)
    assert min(counts.values()) >= 40


def test_precision_and_recall_per_class(items: list[Any]) -> None:
    result = score(items, Policy())
    for name, (precision, recall) in result.items():
        print(f"{name:<8} precision {precision:.3f}  recall {recall:.3f}")
    assert all(p >= MINIMUM and r >= MINIMUM for p, r in result.values()), result


def test_the_score_catches_a_detector_that_misses_near_copies(items: list[Any]) -> None:
    _, recall = score(items, Policy(near_threshold=0.99))["near"]
    assert recall < MINIMUM
