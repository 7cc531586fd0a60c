"""Tokens of article text with their character spans and a normalised key for lexicon look-ups.

The grammar works on tokens rather than on raw characters so that word lists stay plain data:
a key is compared against normalised word-list entries, while the span still points into the
untouched body so that `body[start:end]` is exactly what the author wrote.
"""

from __future__ import annotations

import re
from enum import Enum
from itertools import accumulate, compress, count, repeat
from operator import add, itemgetter, sub
from typing import NamedTuple

from shared.arabic import digits_to_ascii, normalize_for_matching

# Digits of any script (Python's \d is Unicode-aware), with thousands or decimal separators.
# Letters include harakat and tatweel so a vocalised word stays one token; matched as runs of
# letters each followed by marks, several times faster than one alternation per character.
_TOKEN = re.compile(
    r"(?P<num>\d+(?:[.,\u066b\u066c]\d+)*)"
    r"|(?P<word>(?:[^\W\d_]+[\u0610-\u061a\u0640\u064b-\u065f\u0670]*)+)"
    r"|(?P<punct>\S)"
)
# The Arabic decimal and thousands separators, read as their ASCII counterparts.
_SEPARATORS = str.maketrans({"\u066b": ".", "\u066c": ","})
_MARK = re.compile(r"[\u0610-\u061a\u0640\u064b-\u065f\u0670]")


class TokenKind(Enum):
    NUM = "num"
    WORD = "word"
    PUNCT = "punct"


class Token(NamedTuple):
    """One token: its kind, its span in the body and the key it is looked up by.

    A named tuple rather than a frozen dataclass: an article makes thousands, and a tuple is
    built several times faster.
    """

    kind: TokenKind
    start: int
    end: int
    key: str


# Normalised key of every word seen, by its spelling in the body. A plain dict rather than an
# lru_cache: this is looked up for every word of every article, and an inline `dict.get` costs a
# fraction of a cached call. Emptied when full, which only costs recomputing some keys.
_KEYS: dict[str, str] = {}
_KEYS_LIMIT = 65536
_new_token = tuple.__new__  # builds a Token without the Python-level __new__ of a named tuple


def word_key(word: str) -> str:
    """Normalised form of a word, as word-list entries are stored. Cached: vocabulary repeats."""
    key = _KEYS.get(word)
    if key is None:
        if len(_KEYS) >= _KEYS_LIMIT:
            _KEYS.clear()
        key = _KEYS[word] = normalize_for_matching(word)
    return key


# A token with the whitespace before it. `\s` is exactly what separates tokens, so consecutive
# matches tile the text up to its trailing whitespace and spans follow from the lengths.
_SPACED_TOKEN = re.compile(
    r"(\s*)(\d+(?:[.,\u066b\u066c]\d+)*"
    r"|(?:[^\W\d_]+[\u0610-\u061a\u0640\u064b-\u065f\u0670]*)+"
    r"|\S)"
)
_TOKEN_KINDS = {"num": TokenKind.NUM, "word": TokenKind.WORD, "punct": TokenKind.PUNCT}


class _Reading(NamedTuple):
    """What a token's text says by itself: its kind and key, and whether the grammar wants it."""

    kind: TokenKind
    key: str
    opens: bool  # a number, or a word whose key opens a mention
    stops: bool  # any token whose key a scan must try


class Marked:
    """The tokens of a text, kept column by column; `Token`s are built only where asked for."""

    __slots__ = ("ends", "openings", "readings", "starts", "stops")

    def __init__(
        self,
        readings: list[_Reading],
        starts: list[int],
        ends: list[int],
        openings: list[int],
        stops: list[int],
    ) -> None:
        self.readings = readings
        self.starts = starts
        self.ends = ends
        # Tokens that open a window of context: runs of digits and words whose key opens.
        self.openings = openings
        # Where a scan must ask the readers: the openings, plus punctuation whose key opens.
        self.stops = stops

    def tokens(self, first: int, end: int) -> list[Token]:
        """Tokens [first, end) of the text; built by C-level maps, no Python loop."""
        readings = self.readings[first:end]
        return list(
            map(
                _new_token,
                repeat(Token),
                zip(
                    map(itemgetter(0), readings),
                    self.starts[first:end],
                    self.ends[first:end],
                    map(itemgetter(1), readings),
                    strict=True,
                ),
            )
        )


class TokenTable(dict[str, _Reading]):
    """Reads whole texts into `Marked` tokens for one set of opening keys.

    A token's kind, key and role follow from its text alone, so each distinct token text is
    read once and then looked up: reading an article is then a regex pass and a few C-level
    maps instead of a Python loop over thousands of tokens. Emptied when full.
    """

    _LIMIT = 131072

    def __init__(self, openers: frozenset[str]) -> None:
        super().__init__()
        self._openers = openers

    def __missing__(self, text: str) -> _Reading:
        match = _TOKEN.match(text)
        kind = _TOKEN_KINDS[match.lastgroup if match and match.lastgroup else "punct"]
        if kind is TokenKind.NUM:
            reading = _Reading(kind, digits_to_ascii(text), True, True)
        elif kind is TokenKind.WORD:
            key = word_key(text)
            reading = _Reading(kind, key, key in self._openers, key in self._openers)
        else:
            key = text.translate(_SEPARATORS)
            reading = _Reading(kind, key, False, key in self._openers)
        if len(self) >= self._LIMIT:
            self.clear()
        self[text] = reading
        return reading

    def mark(self, text: str) -> Marked:
        """The tokens of `text` and which of them open mentions."""
        found = _SPACED_TOKEN.findall(text)
        if not found:
            return Marked([], [], [], [], [])
        spaces, texts = zip(*found, strict=True)
        readings = list(map(self.__getitem__, texts))
        lengths = list(map(len, texts))
        ends = list(accumulate(map(add, map(len, spaces), lengths)))
        starts = list(map(sub, ends, lengths))
        openings = list(compress(count(), map(itemgetter(2), readings)))
        stops = list(compress(count(), map(itemgetter(3), readings)))
        return Marked(readings, starts, ends, openings, stops)


def number_value(key: str, scaled: bool = False) -> float | None:
    """The value of a digit token's key: `13,346` and `13٬346` are thousands, `2.5` a decimal.

    A comma followed by other than three digits is read as a decimal comma, as Maghreb papers
    write it. A dot followed by groups of three digits (`10.000`, `1.500.000`) is a thousands dot,
    as Levantine and European-trained papers write it, unless a scale word follows (`1.125 مليار`)
    or the number starts with 0; anything else ambiguous (`1.2.3`) is no number.
    """
    key = key.translate(_SEPARATORS)
    groups = key.split(",")
    if len(groups) > 1:
        if all(len(group) == 3 and group.isdigit() for group in groups[1:]):
            key = "".join(groups)
        elif len(groups) == 2 and "." not in key:
            key = ".".join(groups)
        else:
            return None
    dotted = key.split(".")
    thousands = all(len(group) == 3 for group in dotted[1:]) and not key.startswith("0")
    if len(dotted) > 2 or (len(dotted) == 2 and thousands and not scaled):
        return float("".join(dotted)) if thousands else None
    return float(key)


def skip_letters(text: str, start: int, count: int) -> int:
    """Offset in `text` after `count` letters from `start`, stepping over harakat and tatweel.

    Keys have no harakat, so a prefix measured on a key must be re-measured on the body.
    """
    offset = start
    while count > 0 and offset < len(text):
        if not _MARK.match(text[offset]):
            count -= 1
        offset += 1
    while offset < len(text) and _MARK.match(text[offset]):
        offset += 1
    return offset
