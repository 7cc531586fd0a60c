"""The recogniser on real news: 24 ANT articles annotated by reading (tests/gold/ant), scored
with exact and with overlapping spans, and canonical accuracy on matched mentions. Needs the
ANT corpus from ../shared (AKHBAR_SHARED); skips without it or without the gold files."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from services.entities import stacked
from services.entities.normalize import fold
from services.entities.scoring import Span, overlap_pairs, score, table

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "gold" / "ant"


def shared() -> Path:
    return Path(os.environ.get("AKHBAR_SHARED") or ROOT.parent / "shared")


def bodies(ids: set[str]) -> dict[str, str]:
    corpus = shared() / "corpora" / "news" / "ant-v2.1.jsonl.gz"
    if not corpus.exists():
        pytest.skip(f"ANT corpus not found at {corpus} (set AKHBAR_SHARED to the shared folder)")
    out = {}
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["id"] in ids:
                out[record["id"]] = record["body"]
    return out


@pytest.fixture(scope="module")
def gold() -> dict[str, dict]:  # type: ignore[type-arg]
    ids = json.loads((GOLD / "articles.json").read_text(encoding="utf-8"))["ids"]
    files = {i: GOLD / "entities" / f"{i}.json" for i in ids}
    missing = [i for i, f in files.items() if not f.exists()]
    if missing:
        pytest.skip(f"no entity gold yet for {len(missing)} of {len(ids)} ANT articles, e.g. {missing[0]}")
    return {i: json.loads(f.read_text(encoding="utf-8")) for i, f in files.items()}


# Issue 17 asks 0.85 with overlapping spans and 0.80 with exact ones: the service's crf
# recogniser is held to them (0.876 / 0.833 measured last, with the model make model gives). The
# rules alone do not reach them (0.792 / 0.725); their floors keep them from slipping.
FLOORS = {"crf": (0.85, 0.80), "rules": (0.75, 0.67)}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def scored(gold: dict[str, dict], kind: str) -> tuple[dict, float]:  # type: ignore[type-arg]
    texts = bodies(set(gold))
    recognizer = stacked.load(kind)
    gold_spans, predicted, canonical = [], [], {}
    for doc, annotated in gold.items():
        body = texts[doc]
        for m in annotated["mentions"]:
            assert body[m["start"] : m["end"]] == m["text"], f"{doc}: gold offsets off at {m['start']}"
            span = Span(doc, m["start"], m["end"], m["type"])
            gold_spans.append(span)
            canonical[span] = fold(m["canonical"])
        for m in recognizer.recognize(body).mentions:
            span = Span(doc, m.start, m.end, m.type)
            predicted.append(span)
            canonical[span] = fold(m.canonical)
    scores = score(gold_spans, predicted)
    pairs = overlap_pairs(gold_spans, predicted)
    right = sum(canonical[g] == canonical[p] for g, p in pairs)
    accuracy = right / len(pairs) if pairs else 0.0
    print(f"\nANT real-news gold, {kind}: {len(gold)} articles\n{table(scores)}")
    print(f"canonical accuracy on {len(pairs)} overlapping matches: {accuracy:.3f}")
    return scores, accuracy


def test_overlap_f1(scored: tuple[dict, float], kind: str) -> None:  # type: ignore[type-arg]
    scores, _ = scored
    assert scores["ALL"]["overlap"].f1 >= FLOORS[kind][0]


def test_exact_f1(scored: tuple[dict, float], kind: str) -> None:  # type: ignore[type-arg]
    scores, _ = scored
    assert scores["ALL"]["exact"].f1 >= FLOORS[kind][1]


def test_canonicals_measured(scored: tuple[dict, float]) -> None:  # type: ignore[type-arg]
    """Reported, not a floor: the gold's set-wide canonicals (see tests/gold/ant/README.md)
    are stricter than any gazetteer; a collapse (no canonical right) is still a failure."""
    _, accuracy = scored
    assert accuracy > 0.5
