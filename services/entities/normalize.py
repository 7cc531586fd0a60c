"""Orthographic folding and tokenisation that keep every token's offsets in the raw text."""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

_DIACRITICS = {chr(c) for c in range(0x064B, 0x0653)} | {"\u0670", "\u0640"}
_FOLD = str.maketrans(
    {
        **{c: "" for c in _DIACRITICS},
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ى": "ي",
        "ی": "ي",
        "ة": "ه",
        "ک": "ك",
        "گ": "ج",
        "ڤ": "ف",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
# Lighter than _FOLD: keeps taa marbuta and hamza on waw/yaa so that canonical names stay
# readable, while still merging the spellings writers alternate between freely.
_LIGHT = str.maketrans(
    {**{c: "" for c in _DIACRITICS}, "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي"}
)

# A word is a run of Arabic letters (with marks), Latin letters or digits; not the underscore,
# which hashtags write between words (#محمد_حفظي is two words of one name).
_WORD = re.compile(r"(?:[\u0621-\u064A\u064B-\u0652\u0670\u0640\u0671-\u06D3\u06F0-\u06F9]|[^\W_])+")
_PROCLITIC_CONJ = "وف"
_PROCLITIC_PREP = "بلك"


_NO_MARKS = str.maketrans({c: "" for c in _DIACRITICS})


def without_marks(text: str) -> str:
    """The text without diacritics or tatweel: canonical names are written so (`بَنِ` is `بن`)."""
    return text.translate(_NO_MARKS)


# folded words that carry a lineage on in a name: بن and ابن ("son of"), and the family's آل
SON_OF = frozenset({"بن", "ابن"})
FAMILY = "ال"  # آل folded


def fold(text: str) -> str:
    """Matching form: no diacritics or tatweel, one alef, ى→ي, ة→ه, ASCII digits."""
    return text.translate(_FOLD)


def as_written(text: str) -> str:
    """Words as written, one space apart, a hashtag's underscores among the spaces."""
    return " ".join(text.replace("_", " ").split())


def light(text: str) -> str:
    """Display form for canonical names: ``as_written`` with no diacritics, and alef and yaa
    forms unified."""
    return as_written(text.translate(_LIGHT))


class Token(NamedTuple):
    """A word of the text with its offsets. A named tuple rather than a frozen dataclass:
    every article makes hundreds, and a frozen dataclass's __init__ was a tenth of the
    recogniser's time; it is as immutable and reads its fields as fast."""

    start: int
    end: int
    raw: str
    norm: str


# raw word -> fold(raw): the translate() call is the dearest part of tokenising, and news
# repeats its words; bounded so that a long-running service does not grow without limit.
_FOLDED: dict[str, str] = {}
_FOLDED_LIMIT = 200_000


def tokenize(text: str) -> list[Token]:
    tokens = []
    folded = _FOLDED
    for m in _WORD.finditer(text):
        raw = m.group()
        norm = folded.get(raw)
        if norm is None:
            if len(folded) > _FOLDED_LIMIT:
                folded.clear()
            norm = folded[raw] = fold(raw)
        if norm:
            tokens.append(Token(m.start(), m.end(), raw, norm))
    return tokens


@dataclass(frozen=True, slots=True)
class Variant:
    """A token read without some of its proclitics: ``skip`` folded letters were dropped."""

    form: str
    skip: int


@lru_cache(maxsize=65536)
def variants(norm: str) -> tuple[Variant, ...]:
    """The token itself first, then the readings with conjunction and preposition removed.

    ``لل`` is a preposition fused with the article (``للمرصد`` = ``ل`` + ``المرصد``), so the
    article is restored in that reading; or the preposition before a word that begins with ``ل``
    (``للبنان`` = ``ل`` + ``لبنان``), read after it.
    """
    out = [Variant(norm, 0)]
    bases = [Variant(norm, 0)]
    if norm[0] in _PROCLITIC_CONJ and len(norm) > 3:
        bases.append(Variant(norm[1:], 1))
        out.append(bases[-1])
    for base in list(bases):
        rest = base.form
        if len(rest) > 3 and rest[0] in _PROCLITIC_PREP:
            if rest.startswith("لل"):
                out.append(Variant("ا" + rest[1:], base.skip + 1))
            out.append(Variant(rest[1:], base.skip + 1))
    return tuple(out)


def join_abd(words: tuple[str, ...]) -> tuple[str, ...]:
    """Folded name words with ``عبد`` joined to the next, so that عبد الرحمن and عبدالرحمن
    compare equal."""
    out: list[str] = []
    for w in words:
        if out and out[-1] == "عبد":
            out[-1] += w
        else:
            out.append(w)
    return tuple(out)


def strip_article(form: str) -> str:
    return form[2:] if form.startswith("ال") and len(form) > 3 else form


def raw_offset(raw: str, folded_chars: int) -> int:
    """Index in ``raw`` of the first letter after ``folded_chars`` letters that survive folding:
    the marks and tatweel that follow a proclitic stay out of the span (لـCNN is ل + CNN)."""
    seen = 0
    for i, ch in enumerate(raw):
        kept = bool(fold(ch))
        if seen == folded_chars and kept:
            return i
        seen += kept
    return len(raw)
