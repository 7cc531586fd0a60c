"""Tokens of article text with their character spans and a normalised key for lexicon look-ups.

The grammar works on tokens rather than on raw characters so that word lists stay plain data:
a key is compared against normalised word-list entries, while the span still points into the
untouched body so that `body[start:end]` is exactly what the author wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import Enum
from functools import lru_cache
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
_WORD_OR_DIGITS = re.compile(r"\d+|((?:[^\W\d_]+[\u0610-\u061a\u0640\u064b-\u065f\u0670]*)+)")
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


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """Normalised form of a word, as word-list entries are stored. Cached: vocabulary repeats."""
    return normalize_for_matching(word)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Split `text[start:end]` into number, word and punctuation tokens, spans into `text`."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text, start, len(text) if end is None else end):
        group = match.lastgroup
        value = match.group()
        if group == "num":
            tokens.append(Token(TokenKind.NUM, match.start(), match.end(), digits_to_ascii(value)))
        elif group == "word":
            tokens.append(Token(TokenKind.WORD, match.start(), match.end(), word_key(value)))
        else:
            tokens.append(Token(TokenKind.PUNCT, match.start(), match.end(), value.translate(_SEPARATORS)))
    return tokens


def words_and_numbers(text: str) -> Iterator[tuple[int, int, str | None]]:
    """Start, end and key of every word (key None for a run of digits), cheaper than tokenize.

    Lets a caller find the few places worth tokenizing without building a token for each word.
    """
    for match in _WORD_OR_DIGITS.finditer(text):
        word = match.group(1)
        yield match.start(), match.end(), word_key(word) if word else None


def number_value(key: str) -> float | None:
    """The value of a digit token's key: `13,346` and `13٬346` are thousands, `2.5` a decimal.

    A comma followed by other than three digits is read as a decimal comma, as Maghreb papers
    write it; anything else ambiguous (`1.2.3`) is no number.
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
    if key.count(".") > 1:
        return None
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
