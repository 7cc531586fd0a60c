"""Relevance on real news: the judged ANT queries against the index `make relevance-index` builds.

Skipped, saying so, when that index is absent (a fresh clone has none: it takes the ANT corpus and
seven minutes). Fails when the default search does not beat plain BM25 on recall@10, nDCG@10 and
MRR; prints the table (`pytest -s`).
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from typing import Any

import pytest

from benchmarks import relevance
from shared import index
from shared.settings import Settings

KINDS = (
    "spelling_letters",
    "clitic",
    "plural",
    "name_spelling",
    "acronym",
    "english",
    "number",
    "phrase",
    "date",
)
_ARTICLE_ID = re.compile(r"^[0-9a-f]{16}$")


def test_the_judged_set_covers_what_the_issue_asks() -> None:
    queries = relevance.judged()
    assert len(queries) >= 60
    assert len({q["id"] for q in queries}) == len(queries)
    kinds = Counter(q["kind"] for q in queries)
    assert all(kinds[kind] >= 5 for kind in KINDS), kinds
    for query in queries:
        assert query["grades"], query["id"]  # judged, from a pool
        assert all(_ARTICLE_ID.match(doc) and grade in (0, 1, 2) for doc, grade in query["grades"].items())
    assert sum(1 for q in queries if any(q["grades"].values())) >= 55


async def _scores(settings: Settings) -> dict[str, Any]:
    es = index.client(settings, request_timeout=60)
    try:
        missing = await relevance.missing_index(es)
        if missing:
            pytest.skip(f"ANT relevance: {missing} (needs the ANT corpus)")
        queries = relevance.judged()
        return relevance.scores(queries, await relevance.rankings(es, queries, relevance.K))
    finally:
        await es.close()


@pytest.mark.integration
def test_the_default_search_beats_plain_bm25(engines: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    scores = asyncio.run(_scores(engines))
    lines = [
        f"{system:<9} " + "  ".join(f"{m} {s['all'][m]:.3f}" for m in relevance.METRICS)
        for system, s in scores.items()
    ]
    with capsys.disabled():
        print("\nANT relevance, judged queries:\n" + "\n".join(lines))
    for metric in relevance.METRICS:
        assert scores["improved"]["all"][metric] > scores["plain"]["all"][metric], (metric, lines)
