"""Precision, recall and F1 of entity mentions, with exact and with overlapping spans."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from services.entities.normalize import fold
from services.entities.recognizer import Recognition

TYPES = ("PERSON", "LOCATION", "ORGANIZATION")
# a mention as the older gold sets (tests/gold/entities_*.json) are scored: file, start, end, type
# and folded canonical
Key = tuple[str, int, int, str, str]


@dataclass(frozen=True, slots=True)
class Span:
    doc: str
    start: int
    end: int
    type: str


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float
    f1: float
    gold: int
    predicted: int


def _score(matched: int, gold: int, predicted: int) -> Score:
    precision = matched / predicted if predicted else 0.0
    recall = matched / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if matched else 0.0
    return Score(precision, recall, f1, gold, predicted)


def overlap_pairs(gold: Iterable[Span], predicted: Iterable[Span]) -> list[tuple[Span, Span]]:
    """One-to-one pairs of a gold and a predicted mention of one type whose spans overlap,
    exact matches first, then the earliest overlapping gold for each prediction."""
    by_doc: dict[tuple[str, str], list[Span]] = {}
    for g in sorted(gold, key=lambda s: s.start):
        by_doc.setdefault((g.doc, g.type), []).append(g)
    gold_set = {g for spans in by_doc.values() for g in spans}
    used: set[Span] = set()
    pairs = []
    left = []
    for p in predicted:
        if p in gold_set and p not in used:
            used.add(p)
            pairs.append((p, p))
        else:
            left.append(p)
    for p in left:
        for g in by_doc.get((p.doc, p.type), ()):
            if g not in used and g.start < p.end and p.start < g.end:
                used.add(g)
                pairs.append((g, p))
                break
    return pairs


def score(gold: list[Span], predicted: list[Span]) -> dict[str, dict[str, Score]]:
    """Per type and ``ALL``: ``exact`` (same span and type) and ``overlap`` (same type,
    overlapping spans, one to one)."""
    out: dict[str, dict[str, Score]] = {}
    for type_ in (*TYPES, "ALL"):
        g = [s for s in gold if type_ in ("ALL", s.type)]
        p = [s for s in predicted if type_ in ("ALL", s.type)]
        exact = len(set(g) & set(p))
        out[type_] = {
            "exact": _score(exact, len(g), len(p)),
            "overlap": _score(len(overlap_pairs(g, p)), len(g), len(p)),
        }
    return out


def table(scores: dict[str, dict[str, Score]]) -> str:
    lines = [f"{'type':<13} {'gold':>5} {'pred':>5}  exact P/R/F1        overlap P/R/F1"]
    for type_, by in scores.items():
        e, o = by["exact"], by["overlap"]
        lines.append(
            f"{type_:<13} {e.gold:>5} {e.predicted:>5}  {e.precision:.3f} {e.recall:.3f} {e.f1:.3f}"
            f"   {o.precision:.3f} {o.recall:.3f} {o.f1:.3f}"
        )
    return "\n".join(lines)


def gold_keys(path: Path, root: Path) -> set[Key]:
    """The mentions of a gold set of texts, offsets found by searching each text in order (its
    files are named from ``root``)."""
    keys: set[Key] = set()
    for article in json.loads(path.read_text(encoding="utf-8"))["articles"]:
        text = (root / article["file"]).read_text(encoding="utf-8")
        pos = 0
        for surface, type_, canonical in article["mentions"]:
            start = text.index(surface, pos)
            pos = start + len(surface)
            keys.add((article["file"], start, pos, type_, fold(canonical)))
    return keys


def found_keys(recognize: Callable[[str], Recognition], path: Path, root: Path) -> set[Key]:
    """What a recogniser finds in the texts of the same gold set."""
    keys: set[Key] = set()
    for article in json.loads(path.read_text(encoding="utf-8"))["articles"]:
        text = (root / article["file"]).read_text(encoding="utf-8")
        for m in recognize(text).mentions:
            keys.add((article["file"], m.start, m.end, m.type, fold(m.canonical)))
    return keys
