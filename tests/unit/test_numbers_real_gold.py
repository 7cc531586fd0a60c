"""Scores the numbers extractor on real-news gold with exact spans, per kind.

Two gold sets, both annotated by reading (see tests/gold/ant/README.md):
- 24 ANT articles (`tests/gold/ant/numbers/<id>.json`); their text stays in the shared corpus,
  `$AKHBAR_SHARED/corpora/news/ant-v2.1.jsonl.gz` (default: `shared` beside the repository), and
  the test is skipped when it is absent;
- 8 Gulf-style texts with Hijri and dual dates (`tests/gold/gulf/<name>.txt`), always scored.

A prediction is right when its span is exactly a gold span and its kind is the gold kind; its value
is then judged against the gold value. `-s` prints the per-kind table and every miss.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import math
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from services.numbers.extract import Mention, NumberExtractor

ROOT = Path(__file__).parents[2]
GOLD = ROOT / "tests" / "gold"
MIN_PRECISION = 0.95
MIN_RECALL = 0.90
MIN_VALUE_ACCURACY = 0.95


def shared_dir() -> Path:
    return Path(os.environ.get("AKHBAR_SHARED", ROOT.parent / "shared"))


@dataclass
class Score:
    """Counts per kind: gold and predicted mentions, exact matches and right values among them."""

    gold: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    matched: Counter[str] = field(default_factory=Counter)
    right_value: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def add(self, name: str, text: str, gold: list[dict[str, Any]], predicted: list[Mention]) -> None:
        by_span = {(m.start, m.end): m for m in predicted}
        gold_spans = {(entry["start"], entry["end"]): entry for entry in gold}
        for entry in gold:
            assert text[entry["start"] : entry["end"]] == entry["text"], (name, entry)
            self.gold[entry["kind"]] += 1
            mention = by_span.get((entry["start"], entry["end"]))
            if mention is None or mention.kind != entry["kind"]:
                found = f" (read {mention.kind})" if mention else ""
                self.misses.append(
                    f"missed   {name} {entry['text']!r} {entry['kind']} {entry['value']}{found}"
                )
                continue
            self.matched[entry["kind"]] += 1
            if value_agrees(mention, entry):
                self.right_value[entry["kind"]] += 1
            else:
                self.misses.append(
                    f"value    {name} {entry['text']!r} {entry['kind']}: gold {entry['value']} "
                    f"{entry['iso']}, read {comparable_value(mention)} {mention.iso}"
                )
        for mention in predicted:
            self.predicted[mention.kind] += 1
            entry = gold_spans.get((mention.start, mention.end))
            if entry is None or entry["kind"] != mention.kind:
                self.misses.append(
                    f"spurious {name} {mention.text!r} {mention.kind} {comparable_value(mention)}"
                )

    def totals(self) -> tuple[float, float, float]:
        matched = sum(self.matched.values())
        precision = matched / max(sum(self.predicted.values()), 1)
        recall = matched / max(sum(self.gold.values()), 1)
        accuracy = sum(self.right_value.values()) / max(matched, 1)
        return precision, recall, accuracy

    def report(self, title: str) -> str:
        lines = [f"\n{title}", f"  {'kind':<12}{'gold':>6}{'pred':>6}{'P':>7}{'R':>7}{'value':>7}"]
        for kind in sorted(set(self.gold) | set(self.predicted)):
            matched = self.matched[kind]
            lines.append(
                f"  {kind:<12}{self.gold[kind]:>6}{self.predicted[kind]:>6}"
                f"{matched / max(self.predicted[kind], 1):>7.3f}{matched / max(self.gold[kind], 1):>7.3f}"
                f"{self.right_value[kind] / max(matched, 1):>7.3f}"
            )
        precision, recall, accuracy = self.totals()
        lines.append(
            f"  {'all':<12}{sum(self.gold.values()):>6}{sum(self.predicted.values()):>6}"
            f"{precision:>7.3f}{recall:>7.3f}{accuracy:>7.3f}"
        )
        return "\n".join(lines + ["  " + miss for miss in self.misses])

    def check(self) -> None:
        precision, recall, accuracy = self.totals()
        assert precision >= MIN_PRECISION, f"precision {precision:.3f}"
        assert recall >= MIN_RECALL, f"recall {recall:.3f}"
        assert accuracy >= MIN_VALUE_ACCURACY, f"value accuracy {accuracy:.3f}"


def comparable_value(mention: Mention) -> Any:
    """The mention's value in the gold's notation: `1436-10-25H`, `1436H`, `[low, high]`, the span
    text of an identifier, HH:MM of a time."""
    if mention.kind == "date":
        return f"{mention.hijri}H" if mention.hijri else mention.iso
    if mention.kind == "year" and mention.value is not None:
        return f"{mention.value:.0f}H" if mention.hijri else mention.value
    if mention.kind == "range":
        return [mention.value, mention.high]
    if mention.kind == "identifier":
        return mention.text
    if mention.kind == "time":
        return mention.iso
    return mention.value


def _close(read: Any, gold: Any) -> bool:
    if isinstance(gold, int | float) and isinstance(read, int | float):
        return math.isclose(read, gold, rel_tol=1e-3)
    return bool(read == gold)


def value_agrees(mention: Mention, entry: dict[str, Any]) -> bool:
    read, gold = comparable_value(mention), entry["value"]
    if isinstance(gold, list):
        return isinstance(read, list) and len(read) == len(gold) and all(map(_close, read, gold))
    if not _close(read, gold):
        return False
    return entry["kind"] != "date" or entry["iso"] is None or mention.iso == entry["iso"]


def _score(extractor: NumberExtractor, texts: dict[str, str], gold_files: list[Path]) -> Score:
    score = Score()
    for path in gold_files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        name = path.stem
        reference = dt.date.fromisoformat(gold["reference_date"])
        predicted = extractor.extract(texts[name], reference_date=reference)
        score.add(name, texts[name], gold["mentions"], predicted)
    return score


@pytest.fixture(scope="module")
def extractor() -> NumberExtractor:
    return NumberExtractor()


def test_gulf_gold_with_hijri_and_dual_dates(extractor: NumberExtractor) -> None:
    gold_files = sorted((GOLD / "gulf" / "numbers").glob("*.json"))
    assert gold_files, "tests/gold/gulf/numbers holds no gold"
    texts = {
        path.stem: (GOLD / "gulf" / f"{path.stem}.txt").read_text(encoding="utf-8") for path in gold_files
    }
    score = _score(extractor, texts, gold_files)
    print(score.report("numbers, Gulf-style gold (written texts, exact spans)"))
    score.check()


def test_ant_real_news_gold(extractor: NumberExtractor) -> None:
    corpus = shared_dir() / "corpora" / "news" / "ant-v2.1.jsonl.gz"
    if not corpus.exists():
        pytest.skip(f"the ANT corpus is not at {corpus}: set AKHBAR_SHARED to the shared material")
    gold_files = sorted((GOLD / "ant" / "numbers").glob("*.json"))
    if not gold_files:
        pytest.skip("tests/gold/ant/numbers holds no gold yet")
    wanted = {path.stem for path in gold_files}
    texts: dict[str, str] = {}
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            if article["id"] in wanted:
                texts[article["id"]] = article["body"]
    assert set(texts) == wanted, f"not in the corpus: {sorted(wanted - set(texts))}"
    score = _score(extractor, texts, gold_files)
    print(score.report("numbers, ANT real-news gold (24 articles, exact spans)"))
    score.check()
