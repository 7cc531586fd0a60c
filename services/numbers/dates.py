"""Dates and times of day: `12 ديسمبر، 2016`, `11/ديسمبر/2016`, `الثالث من ديسمبر`, `09:11 م`.

Arabic papers name a month in the Western form (ديسمبر), the Levantine one (كانون الأول) or both
(`نوفمبر/تشرين الثاني`, `يناير كانون الثاني`); a paired name is read as one month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.numbers.lexicon import Lexicon
from services.numbers.numerals import read_ordinal
from services.numbers.tokens import Token, TokenKind

_FIRST_YEAR, _LAST_YEAR = 1900, 2100
# Between the two names of a month, and between the parts of a date.
_NAME_JOINERS = frozenset({"/", "-", "(", "،", ","})
_DATE_JOINERS = frozenset({"/", "-", "."})
_YEAR_JOINERS = frozenset({"،", ",", "/", "-"})
_ARTICLE = "ال"
# News mostly looks back: a month named without its year is more likely the last one than the
# next, so a date in the future counts this many times its distance when choosing the year.
_FUTURE_PENALTY = 4
_MID_MONTH = 15


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date over tokens [first, end); `day` and `year` are None where the text omits them."""

    first: int
    end: int
    month: int
    day: int | None = None
    year: int | None = None
    # "past" or "future" when the text says الماضي or المقبل after a bare month.
    direction: str | None = None


@dataclass(frozen=True, slots=True)
class TimeMatch:
    first: int
    end: int
    iso: str


def _word(tokens: list[Token], index: int) -> str | None:
    if index < len(tokens) and tokens[index].kind is TokenKind.WORD:
        return tokens[index].key
    return None


def _punct(tokens: list[Token], index: int, allowed: frozenset[str]) -> bool:
    return index < len(tokens) and tokens[index].kind is TokenKind.PUNCT and tokens[index].key in allowed


def _integer(tokens: list[Token], index: int, low: int, high: int) -> int | None:
    if index < len(tokens) and tokens[index].kind is TokenKind.NUM and tokens[index].key.isdigit():
        value = int(tokens[index].key)
        if low <= value <= high:
            return value
    return None


def _month_name(lexicon: Lexicon, tokens: list[Token], index: int) -> tuple[int, int, bool] | None:
    # Most words name no month: one set look-up spares building the tuples of keys.
    if _word(tokens, index) not in lexicon.month_firsts:
        return None
    for length in (2, 1):
        keys = tuple(key for offset in range(length) if (key := _word(tokens, index + offset)) is not None)
        if len(keys) < length:
            continue
        entry = lexicon.months.get(keys)
        if entry is not None:
            return entry.number, index + length, entry.strict
    return None


def read_month(lexicon: Lexicon, tokens: list[Token], index: int) -> tuple[int, int, bool] | None:
    """Month number, the token index after it, and whether it is a month only beside a number."""
    found = _month_name(lexicon, tokens, index)
    if found is None:
        return None
    number, end, strict = found
    # A second name of the same month, after a slash, in brackets or right after the first.
    joined = end + 1 if _punct(tokens, end, _NAME_JOINERS) else end
    second = _month_name(lexicon, tokens, joined)
    if second is not None and second[0] == number:
        end, strict = second[1], strict and second[2]
        if _punct(tokens, end, frozenset({")"})):
            end += 1
    return number, end, strict


def _year(tokens: list[Token], index: int) -> tuple[int, int] | None:
    at = index + 1 if _punct(tokens, index, _YEAR_JOINERS) else index
    year = _integer(tokens, at, _FIRST_YEAR, _LAST_YEAR)
    return (year, at + 1) if year is not None else None


def _ordinal_day(lexicon: Lexicon, tokens: list[Token], index: int) -> tuple[int, int] | None:
    """A day in words: an ordinal (`الثالث`, `الحادي والعشرين`) or `العشرين`, `الثلاثين`."""
    ordinal = read_ordinal(lexicon, tokens, index)
    if ordinal is not None:
        return ordinal if ordinal[0] <= 31 else None
    key = _word(tokens, index)
    if key is None or not key.startswith(_ARTICLE):
        return None
    tens = lexicon.cardinals.get(key.removeprefix(_ARTICLE), {}).get("ten")
    return (int(tens), index + 1) if tens in (20, 30) else None


def _day(lexicon: Lexicon, tokens: list[Token], index: int) -> tuple[int, int] | None:
    at = index + 1 if _word(tokens, index) == _ARTICLE else index  # "الـ 9 من ديسمبر"
    day = _integer(tokens, at, 1, 31)
    if day is not None and len(tokens[at].key) <= 2:
        return day, at + 1
    return _ordinal_day(lexicon, tokens, index)


def _day_first(lexicon: Lexicon, tokens: list[Token], index: int) -> DateMatch | None:
    found = _day(lexicon, tokens, index)
    if found is None:
        return None
    day, at = found
    if _word(tokens, at) in lexicon.single_markers("of") or _punct(tokens, at, _DATE_JOINERS):
        at += 1
    month = read_month(lexicon, tokens, at)
    if month is None:
        return None
    year = _year(tokens, month[1])
    if year is None:
        return DateMatch(index, month[1], month[0], day)
    return DateMatch(index, year[1], month[0], day, year[0])


def _numeric(tokens: list[Token], index: int) -> DateMatch | None:
    """`11/12/2016`, `11-12-2016`, `2016-12-11`, and `11.12.2016`, which is one number token."""
    token = tokens[index]
    if token.kind is not TokenKind.NUM:
        return None
    if token.key.count(".") == 2:
        parts = token.key.split(".")
        end = index + 1
    else:
        if not (_punct(tokens, index + 1, _DATE_JOINERS) and _punct(tokens, index + 3, _DATE_JOINERS)):
            return None
        if tokens[index + 1].key != tokens[index + 3].key or index + 4 >= len(tokens):
            return None
        parts = [tokens[index].key, tokens[index + 2].key, tokens[index + 4].key]
        end = index + 5
    if not all(part.isdigit() for part in parts):
        return None
    if len(parts[0]) == 4:
        year, month, day = (int(part) for part in parts)
    else:
        day, month, year = (int(part) for part in parts)
    if not (_FIRST_YEAR <= year <= _LAST_YEAR and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return DateMatch(index, end, month, day, year)


def _month_first(lexicon: Lexicon, tokens: list[Token], index: int) -> DateMatch | None:
    month = read_month(lexicon, tokens, index)
    if month is None:
        return None
    number, end, strict = month
    day = _integer(tokens, end, 1, 31)  # "December 12, 2016"
    if day is not None and len(tokens[end].key) <= 2:
        year = _year(tokens, end + 1)
        if year is not None:
            return DateMatch(index, year[1], number, day, year[0])
    year = _year(tokens, end)
    if year is not None:
        return DateMatch(index, year[1], number, None, year[0])
    if strict:
        return None
    following = _word(tokens, end)
    if following in lexicon.single_markers("past"):
        return DateMatch(index, end, number, direction="past")
    if following in lexicon.single_markers("future"):
        return DateMatch(index, end, number, direction="future")
    return DateMatch(index, end, number)


def read_date(lexicon: Lexicon, tokens: list[Token], index: int) -> DateMatch | None:
    """The date starting at token `index`, or None."""
    return (
        _numeric(tokens, index) or _day_first(lexicon, tokens, index) or _month_first(lexicon, tokens, index)
    )


def read_time(lexicon: Lexicon, tokens: list[Token], index: int) -> TimeMatch | None:
    """`09:11`, `09:11 م`, `9:30 pm`: a time of day, on the 24-hour clock."""
    hour = _integer(tokens, index, 0, 23)
    if hour is None or len(tokens[index].key) > 2 or not _punct(tokens, index + 1, frozenset(":")):
        return None
    minute = _integer(tokens, index + 2, 0, 59)
    if minute is None or len(tokens[index + 2].key) != 2:
        return None
    end = index + 3
    suffix = _word(tokens, end)
    if suffix in lexicon.single_markers("pm") and hour <= 12:
        hour, end = hour % 12 + 12, end + 1
    elif suffix in lexicon.single_markers("am") and hour <= 12:
        hour, end = hour % 12, end + 1
    return TimeMatch(index, end, f"{hour:02d}:{minute:02d}")


def _distance_cost(candidate: dt.date, reference: dt.date) -> int:
    days = (candidate - reference).days
    return days * _FUTURE_PENALTY if days > 0 else -days


def iso_date(match: DateMatch, reference: dt.date | None) -> str | None:
    """ISO form of the date (`YYYY-MM` without a day); a missing year comes from `reference`."""
    year = match.year
    if year is None:
        if reference is None:
            return None
        year = _infer_year(match, reference)
    if match.day is None:
        return f"{year:04d}-{match.month:02d}"
    try:
        return dt.date(year, match.month, match.day).isoformat()
    except ValueError:
        return None


def _infer_year(match: DateMatch, reference: dt.date) -> int:
    day = match.day or _MID_MONTH
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(dt.date(year, match.month, day))
        except ValueError:  # 29 February
            continue
    if match.direction == "past":
        past = [date for date in candidates if date <= reference]
        candidates = past or candidates
    elif match.direction == "future":
        future = [date for date in candidates if date >= reference]
        candidates = future or candidates
    return min(candidates, key=lambda date: _distance_cost(date, reference)).year
