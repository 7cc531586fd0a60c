"""What surrounds a number: the noun it counts and the words that qualify it.

The counted noun is reduced to a singular lemma (دبابات -> دبابة) so that analysts can search one
form. Units come only from the lexicon of counted nouns in units.tsv (a form, or a listed lemma
once a sound-plural or accusative ending is taken off): what follows a number is as often an
adjective (الماضية), a pronoun (منهم) or an era marker (هـ), and none of those is a unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.numbers.lexicon import Lexicon, Phrase, UnitEntry
from services.numbers.tokens import Token, TokenKind, word_key

# A dual stands alone and takes any clitic ("بساعتين", "لليومين"); a noun after a number takes
# only the article ("آلاف المدنيين"): "16 لبطولة", "3 وأصيب" open a new phrase.
_DUAL_CLITICS = ("", "وال", "بال", "لل", "ال", "و", "ب", "ل")
_COUNTED_CLITICS = ("", "ال")
_DEFINITE = ("وال", "بال", "فال", "لل", "ال")
_POSSESSIVES = ("هما", "هم", "ها", "ه")
_DETACHED_ARTICLE = "ال"  # "الدورة الـ40": the article written apart, before digits
_TEH_MARBUTA_KEY = "ه"  # keys fold ة into ه
_CLITICS = "وبلف"
_ALEF = "\N{ARABIC LETTER ALEF}"
_MIN_STEM = 2
_LONGEST_QUALIFIER = 4


@dataclass(frozen=True, slots=True)
class Unit:
    lemma: str
    is_time: bool
    end: int


def _stems(key: str) -> list[str]:
    """Keys the word may be a form of once a sound-plural or accusative ending is taken off.

    Each is only a guess: it is a unit only if the lexicon lists it, so a wrong stem costs nothing.
    """
    stems = []
    if key.endswith("ات") and len(key) - 2 >= _MIN_STEM:  # طائرات -> طائره, مطارات -> مطار
        stems += [key[:-2] + _TEH_MARBUTA_KEY, key[:-2]]
    for ending in ("ين", "ون"):
        if key.endswith(ending) and len(key) - len(ending) >= _MIN_STEM:  # مسلحين, مدنيين
            stems.append(key[: -len(ending)])
    if key.endswith(_ALEF) and len(key) - 1 >= _MIN_STEM - 1:  # accusative: شخصاً, مدنيًا, طنا
        stems.append(key[:-1])
    return stems


def _listed(lexicon: Lexicon, key: str, clitics: tuple[str, ...]) -> UnitEntry | None:
    """The lexicon's entry for a word, after taking off a clitic and the article if need be."""
    for clitic in clitics:
        word = key[len(clitic) :]
        if not key.startswith(clitic) or len(word) < _MIN_STEM:
            continue
        for form in (word, *_stems(word)):
            entry = lexicon.units.get(form)
            if entry is not None:
                return entry
    return None


def unit_at(lexicon: Lexicon, tokens: list[Token], index: int) -> Unit | None:
    """The counted noun at token `index`, if the word there is one the lexicon knows."""
    if not 0 <= index < len(tokens) or tokens[index].kind is not TokenKind.WORD:
        return None
    key = tokens[index].key
    if key in lexicon.single_markers("stop") or key in lexicon.cardinals:
        return None
    entry = _listed(lexicon, key, _COUNTED_CLITICS)
    return Unit(entry.lemma, entry.is_time, index + 1) if entry is not None else None


@dataclass(frozen=True, slots=True)
class NounBefore:
    """The counted noun written before a number, and how: with the article, in the singular."""

    lemma: str
    is_time: bool
    definite: bool
    singular: bool


def noun_before(lexicon: Lexicon, tokens: list[Token], index: int) -> NounBefore | None:
    """The noun the number at `index` follows: "الأيام الثلاثة", "الدورة الـ40", "عام واحد"."""
    at = index - 1
    detached = at >= 0 and tokens[at].key == _DETACHED_ARTICLE
    if detached:
        at -= 1
    if at < 0 or tokens[at].kind is not TokenKind.WORD:
        return None
    key = tokens[at].key
    if key in lexicon.single_markers("stop"):
        return None
    article = next((prefix for prefix in _DEFINITE if key.startswith(prefix)), "")
    forms = [(key[len(article) :], bool(article))]
    if not article and detached:  # "دورته الـ40": a possessive suffix makes the noun definite too,
        # but only the detached article says the number goes with it ("فوزه 2-1" is a score)
        forms += [(stem, True) for stem in _without_possessive(key)]
    for rest, definite in forms:
        if len(rest) < _MIN_STEM:
            continue
        entry = lexicon.units.get(rest)
        if entry is None:
            entry = next((lexicon.units[stem] for stem in _stems(rest) if stem in lexicon.units), None)
        if entry is not None:
            return NounBefore(entry.lemma, entry.is_time, definite, rest == word_key(entry.lemma))
    return None


def _without_possessive(key: str) -> list[str]:
    """The noun under a possessive suffix: دورته -> دوره (ة is written ت before it), مركزها -> مركز."""
    stems = []
    for suffix in _POSSESSIVES:
        if key.endswith(suffix) and len(key) - len(suffix) >= _MIN_STEM:
            stem = key[: -len(suffix)]
            stems.append(stem[:-1] + _TEH_MARBUTA_KEY if stem.endswith("ت") else stem)
    return stems


def dual_unit(lexicon: Lexicon, tokens: list[Token], index: int) -> UnitEntry | None:
    """A dual that measures time by itself (`يومين`, `العامين`), without a number before it."""
    if tokens[index].kind is not TokenKind.WORD:
        return None
    entry = _listed(lexicon, tokens[index].key, _DUAL_CLITICS)
    return entry if entry is not None and entry.is_dual and entry.is_time else None


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
