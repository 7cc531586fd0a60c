"""What surrounds a number: the noun it counts and the words that qualify it.

The counted noun is reduced to a singular lemma (دبابات -> دبابة) so that analysts can search one
form. Listed nouns (broken plurals, duals, time units) come from units.tsv; any other noun has
its sound-plural and accusative endings removed by rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.numbers.lexicon import Lexicon, Phrase, UnitEntry
from services.numbers.tokens import Token, TokenKind

_MARKS = re.compile(r"[\u0610-\u061a\u0640\u064b-\u065f\u0670]")
_ARTICLES = ("وال", "بال", "ال")
_CLITICS = "وبلف"
_ALEF = "\N{ARABIC LETTER ALEF}"
# Shorter stems than these are more often whole words (قانون, تموين) than plural endings.
_MIN_PLURAL_STEM = 4
_MIN_STEM = 3
_LONGEST_QUALIFIER = 4


@dataclass(frozen=True, slots=True)
class Unit:
    lemma: str
    is_time: bool
    end: int


def _lemma_by_rule(word: str) -> str:
    if word.endswith("ات") and len(word) - 2 >= _MIN_STEM:
        return word[:-2] + "ة"
    for ending in ("ين", "ون"):
        if word.endswith(ending) and len(word) - 2 >= _MIN_PLURAL_STEM:
            return word[:-2]
    if word.endswith(_ALEF) and len(word) - 1 >= _MIN_STEM:  # accusative: شخصاً, مدنيًا
        return word[:-1]
    return word


def _listed(lexicon: Lexicon, key: str) -> UnitEntry | None:
    entry = lexicon.units.get(key)
    for article in _ARTICLES:
        if entry is None and key.startswith(article):
            entry = lexicon.units.get(key[len(article) :])
    return entry


def unit_after(lexicon: Lexicon, text: str, tokens: list[Token], index: int) -> Unit | None:
    """The counted noun at token `index`, if the word there can be one."""
    if index >= len(tokens) or tokens[index].kind is not TokenKind.WORD:
        return None
    token = tokens[index]
    if token.key in lexicon.single_markers("stop") or token.key in lexicon.cardinals:
        return None
    entry = _listed(lexicon, token.key)
    if entry is not None:
        return Unit(entry.lemma, entry.is_time, index + 1)
    word = _MARKS.sub("", text[token.start : token.end])
    for article in _ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= _MIN_STEM:
            word = word[len(article) :]
            break
    return Unit(_lemma_by_rule(word), False, index + 1)


def dual_unit(lexicon: Lexicon, tokens: list[Token], index: int) -> UnitEntry | None:
    """A dual noun that counts two by itself (`يومين`), without a number before it."""
    if tokens[index].kind is not TokenKind.WORD:
        return None
    entry = _listed(lexicon, tokens[index].key)
    return entry if entry is not None and entry.is_dual else None


def _phrase_at(tokens: list[Token], start: int, length: int) -> Phrase | None:
    if start < 0 or start + length > len(tokens):
        return None
    return tuple(token.key for token in tokens[start : start + length])


def qualifier_before(lexicon: Lexicon, tokens: list[Token], index: int) -> str | None:
    """The qualifier ending right before token `index`."""
    # Every variant tried below ends with the key before `index`, or with it less its clitic.
    if index <= 0 or index > len(tokens):
        return None
    last = tokens[index - 1].key
    if last not in lexicon.qualifier_before_lasts and last[1:] not in lexicon.qualifier_before_lasts:
        return None
    for length in range(_LONGEST_QUALIFIER, 0, -1):
        phrase = _phrase_at(tokens, index - length, length)
        if phrase is None:
            continue
        # The first word may carry a clitic: "لأكثر من", "وحوالي".
        variants = [phrase]
        if phrase[0][:1] in _CLITICS:
            variants.append((phrase[0][1:], *phrase[1:]))
        for variant in variants:
            if variant in lexicon.qualifiers_before:
                return lexicon.qualifiers_before[variant]
    return None


def qualifier_after(lexicon: Lexicon, tokens: list[Token], index: int) -> str | None:
    """The qualifier starting at token `index` ("على الأقل" after the counted noun)."""
    if index >= len(tokens) or tokens[index].key not in lexicon.qualifier_after_firsts:
        return None
    for length in range(_LONGEST_QUALIFIER, 0, -1):
        phrase = _phrase_at(tokens, index, length)
        if phrase is not None and phrase in lexicon.qualifiers_after:
            return lexicon.qualifiers_after[phrase]
    return None


def is_year_marker(lexicon: Lexicon, tokens: list[Token], index: int) -> bool:
    """Whether the word before token `index` announces a year ("منذ العام 2012", "في 2011")."""
    if index == 0 or tokens[index - 1].kind is not TokenKind.WORD:
        return False
    key = tokens[index - 1].key
    years = lexicon.single_markers("year")
    return key in years or (key[:1] in _CLITICS and key[1:] in years)
