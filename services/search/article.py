"""One article as its page shows it: dates in both calendars, and the body cut into segments.

Knows nothing of HTTP or Elasticsearch. The page builds each segment as a text node or a span with
textContent, so no text of the article is ever parsed as HTML.
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from hijridate import Gregorian

MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
          "نوفمبر", "ديسمبر")  # fmt: skip
KINDS = {
    "cardinal": "عدد",
    "decimal": "عدد عشري",
    "percent": "نسبة مئوية",
    "ordinal": "ترتيبي",
    "date": "تاريخ",
    "year": "سنة",
    "time": "وقت",
    "duration": "مدة",
    "range": "مدى",
    "approximate": "عدد تقريبي",
    "identifier": "رقم تعريف",
}
QUALIFIERS = {"approx": "نحو", "at_least": "على الأقل", "more_than": "أكثر من", "up_to": "حتى"}
ENTITY_TYPES = ("PERSON", "LOCATION", "ORGANIZATION")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # PERSON, LOCATION, ORGANIZATION or NUMBER
    title: str  # what hovering shows


def _value(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else f"{value:.0f}"


def number_title(number: dict[str, Any]) -> str:
    """`القيمة: 1000 · الوحدة: مدني · عدد تقريبي (نحو)`: what a number in the body means."""
    parts = []
    if number.get("value") is not None:
        value = _value(number["value"])
        if number.get("high") is not None:
            value = f"{value}–{_value(number['high'])}"
        parts.append(f"القيمة: {value}")
    if number.get("unit"):
        parts.append(f"الوحدة: {number['unit']}")
    if number.get("iso"):
        parts.append(f"التاريخ: {number['iso']}")
    if number.get("hijri"):
        parts.append(f"هجري: {number['hijri']}")
    kind = KINDS.get(number.get("kind") or "", number.get("kind") or "")
    qualifier = QUALIFIERS.get(number.get("qualifier") or "")
    parts.append(f"{kind} ({qualifier})" if qualifier else kind)
    return " · ".join(part for part in parts if part)


def spans(document: dict[str, Any]) -> list[Span]:
    """Entities and numbers of the document as spans of its body."""
    found = [
        Span(e["start"], e["end"], e["type"], e.get("canonical") or e.get("text") or "")
        for e in document.get("entities") or []
        if e.get("type") in ENTITY_TYPES
    ]
    found.extend(Span(n["start"], n["end"], "NUMBER", number_title(n)) for n in document.get("numbers") or [])
    return found


def segments(body: str, marks: list[Span], shared: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """The body in consecutive pieces, each with the mention it belongs to (if any) and whether a
    related article shares it; joined, their texts are the body again.

    Mentions may overlap (a number inside an organisation's name): the one that starts first, and of
    those the longest, wins the overlap, so a mention is never cut by a shorter one inside it.
    Shared passages may cross mentions; a mention they cross is cut there, keeping its type.
    """
    length = len(body)
    valid = sorted(
        (m for m in marks if 0 <= m.start < m.end <= length), key=lambda m: (m.start, -(m.end - m.start))
    )
    passages = [(max(0, a), min(length, b)) for a, b in shared if max(0, a) < min(length, b)]
    edges = [edge for m in valid for edge in (m.start, m.end)] + [edge for p in passages for edge in p]
    cuts = sorted({0, length, *edges})
    pieces: list[dict[str, Any]] = []
    owner: Span | None = None
    for start, end in itertools.pairwise(cuts):
        if owner is None or owner.end <= start:
            owner = next((m for m in valid if m.start <= start < m.end), None)
        in_passage = any(a <= start < b for a, b in passages)
        last = pieces[-1] if pieces else None
        if last is not None and last["_owner"] is owner and last["shared"] == in_passage:
            last["text"] += body[start:end]
            continue
        piece: dict[str, Any] = {"text": body[start:end], "shared": in_passage, "_owner": owner}
        pieces.append(piece)
    for piece in pieces:
        mention = piece.pop("_owner")
        if mention is not None:
            piece.update(kind=mention.kind, title=mention.title)
    return pieces


def shared_passages(related: list[dict[str, Any]]) -> list[tuple[int, int]]:
    return [(p["start"], p["end"]) for r in related for p in r.get("passages") or []]


def day(published_at: str | None) -> date | None:
    """The day of publication as the source wrote it (the date part, in the source's own zone)."""
    if not published_at:
        return None
    try:
        return date.fromisoformat(published_at[:10])
    except ValueError:
        return None


def dates(published_at: str | None) -> dict[str, str] | None:
    """`11 ديسمبر 2016` and `12 ربيع الأول 1438 هـ` (Umm al-Qura), or None when undated."""
    when = day(published_at)
    if when is None:
        return None
    gregorian = f"{when.day} {MONTHS[when.month - 1]} {when.year}"
    try:
        hijri = Gregorian(when.year, when.month, when.day).to_hijri()
    except OverflowError:  # outside the Umm al-Qura tables (1937-2077)
        return {"gregorian": gregorian, "hijri": "", "iso": when.isoformat()}
    return {
        "gregorian": gregorian,
        "hijri": f"{hijri.day} {hijri.month_name('ar')} {hijri.year} {hijri.notation('ar')}",
        "iso": when.isoformat(),
    }


def summary(document: dict[str, Any]) -> dict[str, Any]:
    """Another article as a line on this one's page: a copy or a related article."""
    dedup = document.get("dedup") or {}
    return {
        "id": document["id"],
        "title": html.unescape(document.get("title") or ""),
        "source": document.get("source"),
        "source_file": document.get("source_file"),
        "published_at": document.get("published_at"),
        "dedup_status": dedup.get("status"),
    }


def _related(related: dict[str, Any], others: dict[str, dict[str, Any]], body: str) -> dict[str, Any]:
    other = others.get(related["article_id"])
    return {
        **(summary(other) if other else {"id": related["article_id"]}),
        "overlap": related.get("overlap"),
        # the passages of this article's body that the other one also has
        "passages": [
            {"start": p["start"], "end": p["end"], "text": body[p["start"] : p["end"]]}
            for p in related.get("passages") or []
        ],
    }


def page(
    document: dict[str, Any], copies: list[dict[str, Any]], others: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """What GET /v1/articles/{id}/page answers.

    `copies` are the other articles of its story, in the order found (its copy group's head may come
    twice: as a member of its story and as the article it copies); `others` the indexed documents it
    relates to, by id (an article dedup related it to may be gone from the index: it is listed by id
    alone).
    """
    dedup = document.get("dedup") or {}
    related = dedup.get("related") or []
    body = document.get("body") or ""  # as stored: the offsets of mentions and passages count in it
    return {
        **summary(document),
        "url": document.get("url"),
        "language": (document.get("language") or {}).get("primary"),
        "dates": dates(document.get("published_at")),
        "cluster_id": dedup.get("cluster_id"),
        "duplicate_of": dedup.get("duplicate_of"),
        "segments": segments(body, spans(document), shared_passages(related)),
        "copies": [summary(copy) for copy in _each_once(copies) if copy["id"] != document["id"]],
        "related": [_related(r, others, body) for r in related],
    }


def _each_once(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return list({d["id"]: d for d in documents}.values())
