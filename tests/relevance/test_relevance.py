"""Relevance, measured: the judged queries against the seeds and tests/relevance/docs.

Fails below recall@10 0.95 over all queries; prints recall@10 and nDCG@10 per kind of query.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import corpus
import pytest
from metrics import ndcg_at, recall_at

from services.search import engine
from services.search.params import parse
from shared import index
from shared.settings import Settings

pytestmark = pytest.mark.integration
JUDGMENTS = Path(__file__).with_name("judgments.json")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
MIN_RECALL = 0.95
K = 10


def judgments() -> list[dict[str, Any]]:
    queries: list[dict[str, Any]] = json.loads(JUDGMENTS.read_text(encoding="utf-8"))["queries"]
    return queries


async def _rankings(settings: Settings) -> dict[str, list[str]]:
    """Each judged query's top K, as file names; the test index is gone afterwards."""
    es = index.client(settings)
    try:
        name = await corpus.build(es)
        try:
            rankings = {}
            for judged in judgments():
                params = parse({"q": [judged["q"]], "size": [str(K)], "collapse": ["false"]})
                answer = await engine.search(es, name, params)
                rankings[judged["q"]] = [hit["source_file"] for hit in answer["hits"]]
            return rankings
        finally:
            await es.indices.delete(index=name)
    finally:
        await es.close()


@pytest.fixture(scope="module")
def rankings(engines: Settings) -> Iterator[dict[str, list[str]]]:
    yield asyncio.run(_rankings(engines))


def test_the_judged_set_covers_what_the_issue_asks() -> None:
    kinds = defaultdict(int)
    for judged in judgments():
        kinds[judged["kind"]] += 1
        for name in judged["relevant"]:
            assert any(path.name == name for path in corpus.FILES), name
    assert sum(kinds.values()) >= 30
    for kind in ("morphology", "spelling", "digits", "entity", "phrase", "nothing"):
        assert kinds[kind] >= 3, kind


def test_recall_at_10(rankings: dict[str, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    by_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    lines = []
    misses = []
    for judged in judgments():
        ranked, relevant = rankings[judged["q"]], set(judged["relevant"])
        recall, ndcg = recall_at(K, ranked, relevant), ndcg_at(K, ranked, relevant)
        by_kind[judged["kind"]].append((recall, ndcg))
        lines.append(f"{recall:6.2f} {ndcg:6.2f}  {judged['kind']:<10} {judged['q']}")
        if recall < 1:
            misses.append(f"{judged['q']}: missing {sorted(relevant - set(ranked))}, got {ranked}")
    scores = [score for kind in by_kind.values() for score in kind]
    recall = sum(r for r, _ in scores) / len(scores)
    ndcg = sum(n for _, n in scores) / len(scores)
    lines.append("")
    for kind, kind_scores in sorted(by_kind.items()):
        mean_recall = sum(r for r, _ in kind_scores) / len(kind_scores)
        mean_ndcg = sum(n for _, n in kind_scores) / len(kind_scores)
        lines.append(f"{mean_recall:6.2f} {mean_ndcg:6.2f}  {kind} ({len(kind_scores)} queries)")
    lines.append(f"{recall:6.3f} {ndcg:6.3f}  all {len(scores)} queries: recall@{K}, nDCG@{K}")
    report = "\n".join(["recall  nDCG   kind       query", *lines, *misses])
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "relevance.txt").write_text(report + "\n", encoding="utf-8")
    with capsys.disabled():
        print(f"\nrelevance over {len(corpus.FILES)} documents\n{report}")
    assert recall >= MIN_RECALL, report
