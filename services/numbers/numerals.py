"""Reading one number expression: digits, number words, or both (`5 آلاف`, `ثلاثة عشر ألفا`).

Arabic number words combine by a small grammar: units before عشر make teens, units or tens joined
by و add up, مئة multiplies what precedes it and so do the scales (ألف, مليون). The parser
walks tokens left to right, accepting a word only where that grammar allows it, so that
"ثلاثة أيام وأربعة" stops after ثلاثة.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.numbers.lexicon import Lexicon
from services.numbers.tokens import Token, TokenKind, number_value

# Clitics that may stand before a number word: conjunctions, prepositions, the article. Besides
# و and the article they are one letter glued to a short word, so they need a longer remainder
# lest لست "I am not" read as ست "six". ك is left out: كمية and كميات "quantity" would read as
# ك + مية (100) and ك + مئات, and "as three" is rare in news.
_FIRST_PREFIXES = ("", "ال", "و", "وال", "ف", "فال", "ب", "بال", "ل", "لل")
# A fraction stands bare, with the article ("النصف الأول", "الربع الأول") or after a preposition;
# with و it adds to what precedes ("ساعتين ونصف"), which the caller reads.
_FRACTION_PREFIXES = ("", "ال", "ب", "بال", "ل", "لل", "ف")
_LOOSE_PREFIXES = frozenset({"", "ال", "و", "وال"})
_MIN_REMAINDER = 3
_WAW = "و"
_OF = "من"
_ORDINAL_CLITICS = frozenset("وبلف")
_ARTICLE = "ال"

# Which role may follow which without و ("ثلاثة آلاف", "ثلاثة عشر") and with it ("ألف ومئة").
_BARE_FOLLOWS = {
    "scale": {"scale"},  # "ألف مليار": a thousand billion
    "unit": {"teen", "hundred", "scale"},
    "teen_head": {"teen"},
    "teen": {"scale"},
    "ten": {"scale"},
    "hundred": {"scale"},
    "hundreds": {"scale"},
}
_WAW_FOLLOWS = {
    "unit": {"ten"},
    "one": {"ten"},
    "hundred": {"unit", "one", "teen", "teen_head", "ten"},
    "hundreds": {"unit", "one", "teen", "teen_head", "ten"},
    "scale": {"unit", "one", "teen", "teen_head", "ten", "hundred", "hundreds"},
    "scale_dual": {"unit", "one", "teen", "teen_head", "ten", "hundred", "hundreds"},
}


@dataclass(frozen=True, slots=True)
class Numeral:
    """A number expression over tokens [first, end); `prefix` clitic letters are not part of it."""

    first: int
    end: int
    prefix: int
    value: float
    vague: bool = False
    # A bare integer written in digits: the only shape a year can take.
    plain_digits: bool = False
    # Written with a decimal point or as a fraction: 19.3 مليون, ثلثا.
    decimal: bool = False
    # The scale word that multiplied the number, 1 without one: a range's lower bound takes the
    # upper bound's scale when it has none of its own ("بين 100 و150 مليار").
    scale: float = 1.0


@dataclass(frozen=True, slots=True)
class _Atom:
    role: str
    value: float
    prefix: str


def _atom(lexicon: Lexicon, key: str, prefixes: tuple[str, ...], prefer_vague: bool = False) -> _Atom | None:
    for prefix in prefixes:
        if not key.startswith(prefix):
            continue
        rest = key[len(prefix) :]
        if prefix not in _LOOSE_PREFIXES and len(rest) < _MIN_REMAINDER:
            continue
        roles = lexicon.cardinals.get(rest)
        if roles:
            # آلاف opens a number only as a vague plural; after a count it is a scale.
            if prefer_vague and "vague" in roles:
                role = "vague"
            else:
                role = next((name for name in roles if name != "vague"), "vague")
            return _Atom(role, roles[role], prefix)
    return None


def _clitic_length(prefix: str) -> int:
    """Letters of a prefix left out of the mention: the article stays, "العشرين" is read whole."""
    return len(prefix.removesuffix(_ARTICLE))


def _scale_after(lexicon: Lexicon, tokens: list[Token], index: int) -> float | None:
    if index < len(tokens) and tokens[index].kind is TokenKind.WORD:
        roles = lexicon.cardinals.get(tokens[index].key, {})
        if "scale" in roles:
            return roles["scale"]
    return None


def _digits(lexicon: Lexicon, tokens: list[Token], index: int) -> Numeral | None:
    scale = _scale_after(lexicon, tokens, index + 1)
    value = number_value(tokens[index].key, scaled=scale is not None)
    if value is None:
        return None
    decimal = not value.is_integer()
    if scale is not None:
        return Numeral(index, index + 2, 0, value * scale, decimal=decimal, scale=scale)
    plain = "." not in tokens[index].key and "," not in tokens[index].key
    return Numeral(index, index + 1, 0, value, plain_digits=plain, decimal=decimal)


def _vague(lexicon: Lexicon, tokens: list[Token], index: int, first: _Atom) -> Numeral:
    # "عشرات آلاف", "مئات الآلاف": a vague plural of a scale multiplies the magnitude.
    value, end = first.value, index + 1
    if end < len(tokens) and tokens[end].kind is TokenKind.WORD:
        key = tokens[end].key
        # Exact form first: folded آلاف itself begins with the letters of the article.
        roles = lexicon.cardinals.get(key) or lexicon.cardinals.get(key.removeprefix(_ARTICLE), {})
        if "vague" in roles and "scale" in roles:
            value, end = value * roles["scale"], end + 1
    return Numeral(index, end, _clitic_length(first.prefix), value, vague=True)


def _fraction(lexicon: Lexicon, tokens: list[Token], index: int, first: _Atom) -> Numeral | None:
    """`نصف`, `ثلثا`, `ربع مليون`; not `نصف النهائي`, a round of a competition."""
    if first.prefix not in _FRACTION_PREFIXES:
        return None
    following = tokens[index + 1].key if index + 1 < len(tokens) else None
    if following in lexicon.single_markers("final"):
        return None
    scale = _scale_after(lexicon, tokens, index + 1)
    if scale is not None:
        clitic = _clitic_length(first.prefix)
        return Numeral(index, index + 2, clitic, first.value * scale, decimal=True, scale=scale)
    return Numeral(index, index + 1, _clitic_length(first.prefix), first.value, decimal=True)


def _next_atom(lexicon: Lexicon, tokens: list[Token], index: int) -> tuple[_Atom, int] | None:
    """The number word at `index` (a lone و token may stand before it) and the index after."""
    if index >= len(tokens) or tokens[index].kind is not TokenKind.WORD:
        return None
    if tokens[index].key == _WAW:
        found = _next_atom(lexicon, tokens, index + 1)
        if found is None or found[0].prefix:
            return None
        return _Atom(found[0].role, found[0].value, _WAW), found[1]
    atom = _atom(lexicon, tokens[index].key, ("", _WAW))
    return (atom, index + 1) if atom else None


def _total(atoms: list[_Atom]) -> float:
    total = current = 0.0
    for previous, atom in zip([None, *atoms], atoms, strict=False):
        if atom.role == "scale" and previous is not None and previous.role == "scale" and not atom.prefix:
            total *= atom.value
        elif atom.role in ("hundred", "scale"):
            current = (current or 1) * atom.value
            if atom.role == "scale":
                total, current = total + current, 0.0
        else:
            current += atom.value
    return total + current


def _words(lexicon: Lexicon, tokens: list[Token], index: int) -> Numeral | None:
    key = tokens[index].key
    if key in lexicon.single_markers("never") or key[1:] in lexicon.single_markers("never"):
        return None
    first = _atom(lexicon, key, _FIRST_PREFIXES, prefer_vague=True)
    if first is None:
        return None
    if first.role == "vague":
        return _vague(lexicon, tokens, index, first)
    if first.role == "fraction":
        return _fraction(lexicon, tokens, index, first)
    atoms = [first]
    end = index + 1
    while (found := _next_atom(lexicon, tokens, end)) is not None:
        atom, after = found
        follows = _WAW_FOLLOWS if atom.prefix else _BARE_FOLLOWS
        if atom.role not in follows.get(atoms[-1].role, ()):
            break
        atoms.append(atom)
        end = after
    # واحد counts, except in "واحدة من أشرس الحملات", where like أحد it means "one of".
    if [atom.role for atom in atoms] == ["one"] and end < len(tokens) and tokens[end].key == _OF:
        return None
    # أحد, اثنا and their kin mean "one of", "two of" unless عشر follows.
    if any(
        atom.role == "teen_head" and (i + 1 == len(atoms) or atoms[i + 1].role != "teen")
        for i, atom in enumerate(atoms)
    ):
        return None
    return Numeral(index, end, _clitic_length(first.prefix), _total(atoms))


def opening_keys(lexicon: Lexicon) -> frozenset[str]:
    """Every key a number word or ordinal can open with, clitics included."""
    forms = [*lexicon.cardinals, *lexicon.ordinals]
    return frozenset(prefix + form for prefix in _FIRST_PREFIXES for form in forms)


def read_ordinal(lexicon: Lexicon, tokens: list[Token], index: int) -> tuple[int, int] | None:
    """`الثالث`, `الحادي عشر`, `الحادي والعشرين`, `ثاني` before a noun, `أولى` after one:
    value, index after."""
    token = tokens[index]
    if token.kind is not TokenKind.WORD:
        return None
    # "الأولى والثانية", "لأول مرة": an ordinal after a one-letter clitic, which the caller
    # leaves out of the mention.
    key = token.key
    if key not in lexicon.ordinals and key[:1] in _ORDINAL_CLITICS:
        key = key[1:]
    value = lexicon.ordinals.get(key)
    if value is None:
        return None
    end = index + 1
    following = tokens[end] if end < len(tokens) else None
    if following is None or following.kind is not TokenKind.WORD:
        # An ordinal that leads its noun needs it: "ثاني مدن البلاد".
        return None if key in lexicon.leading_ordinals else (value, end)
    if lexicon.cardinals.get(following.key, {}).get("teen"):
        return value + 10, end + 1
    tens = lexicon.cardinals.get(following.key.removeprefix(_WAW + _ARTICLE), {}).get("ten")
    if following.key.startswith(_WAW + _ARTICLE) and tens:
        return value + int(tens), end + 1
    return value, end


def read_numeral(lexicon: Lexicon, tokens: list[Token], index: int) -> Numeral | None:
    """The number expression starting at token `index`, or None if none starts there."""
    token = tokens[index]
    if token.kind is TokenKind.NUM:
        return _digits(lexicon, tokens, index)
    if token.kind is TokenKind.WORD:
        return _words(lexicon, tokens, index)
    return None
