"""Scores the numbers extractor against the hand-written gold mentions of the five seeds."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from pathlib import Path

import pytest

from services.numbers.extract import Mention, NumberExtractor

ROOT = Path(__file__).parents[2]
GOLD = json.loads((ROOT / "tests" / "gold" / "numbers.json").read_text(encoding="utf-8"))
MIN_PRECISION = 0.95
MIN_RECALL = 0.90


@dataclass(frozen=True)
class GoldMention:
    article: str
    start: int
    end: int
    kind: str
    value: float | None
    iso: str | None
    unit: str | None
    qualifier: str | None


def _locate(body: str, text: str, occurrence: int) -> int:
    start = -1
    for _ in range(occurrence + 1):
        start = body.find(text, start + 1)
        assert start >= 0, f"gold text {text!r} (occurrence {occurrence}) is not in the article"
    return start


def _gold_mentions(article: str, body: str) -> list[GoldMention]:
    mentions = []
    for entry in GOLD["articles"][article]["mentions"]:
        start = _locate(body, entry["text"], entry.get("occurrence", 0))
        mentions.append(
            GoldMention(
                article,
                start,
                start + len(entry["text"]),
                entry["kind"],
                entry.get("value"),
                entry.get("iso"),
                entry.get("unit"),
                entry.get("qualifier"),
            )
        )
    return mentions


def _agrees(predicted: Mention, gold: GoldMention) -> bool:
    if predicted.start >= gold.end or gold.start >= predicted.end or predicted.kind != gold.kind:
        return False
    if gold.iso is not None or predicted.iso is not None:
        return predicted.iso == gold.iso
    if gold.value is None or predicted.value is None:
        return gold.value is None and predicted.value is None
    return math.isclose(predicted.value, gold.value)


@pytest.fixture(scope="module")
def extractor() -> NumberExtractor:
    return NumberExtractor()


def test_gold_texts_are_in_their_articles() -> None:
    for article in GOLD["articles"]:
        body = (ROOT / "seeds" / article).read_text(encoding="utf-8")
        assert _gold_mentions(article, body)


def test_publication_dates_match_gold(extractor: NumberExtractor) -> None:
    for article, entry in GOLD["articles"].items():
        body = (ROOT / "seeds" / article).read_text(encoding="utf-8")
        assert extractor.publication_date(body) == entry["published_at"], article


def test_precision_and_recall_on_gold(extractor: NumberExtractor) -> None:
    true_positives = predicted_total = gold_total = units_right = qualifiers_right = 0
    misses: list[str] = []
    for article, entry in GOLD["articles"].items():
        body = (ROOT / "seeds" / article).read_text(encoding="utf-8")
        gold = _gold_mentions(article, body)
        reference = dt.date.fromisoformat(entry["reference_date"])
        predicted = extractor.extract(body, reference_date=reference)
        predicted_total += len(predicted)
        gold_total += len(gold)
        unmatched = list(predicted)
        for expected in gold:
            match = next((p for p in unmatched if _agrees(p, expected)), None)
            if match is None:
                misses.append(f"missed {article} {body[expected.start : expected.end]!r}")
                continue
            unmatched.remove(match)
            true_positives += 1
            units_right += match.unit == expected.unit
            qualifiers_right += match.qualifier == expected.qualifier
        misses += [f"spurious {article} {p.text!r} {p.kind} {p.value} {p.iso}" for p in unmatched]

    precision = true_positives / predicted_total if predicted_total else 0.0
    recall = true_positives / gold_total
    print(
        f"\nnumbers gold: precision {precision:.3f} recall {recall:.3f} "
        f"({true_positives} of {gold_total} gold, {predicted_total} predicted); "
        f"unit agreement {units_right}/{true_positives}, "
        f"qualifier agreement {qualifiers_right}/{true_positives}"
    )
    for line in misses:
        print("  " + line)
    assert precision >= MIN_PRECISION, misses
    assert recall >= MIN_RECALL, misses
