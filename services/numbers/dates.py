"""Dates and times of day in either calendar: `12 ديسمبر، 2016`, `25 شوال 1436 هـ`,
`27 / 10 / 1436 هـ`, `غرة شهر ذي القعدة`, `الثالث من ديسمبر`, `09:11 م`, `الثامنة صباحا`.

Arabic papers name a Gregorian month in the Western form (ديسمبر), the Levantine one (كانون الأول)
or both (`نوفمبر/تشرين الثاني`, `يناير كانون الثاني`); a paired name is read as one month. An era
marker after the year (هـ, م) is part of the date; a year in the Hijri range with a Hijri month or
marker is a Hijri year.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.numbers.calendars import GREGORIAN_YEARS, HIJRI_YEARS, Day
from services.numbers.lexicon import Lexicon
from services.numbers.numerals import read_ordinal
from services.numbers.tokens import Token, TokenKind

# Between the two names of a month, and between the parts of a date.
_NAME_JOINERS = frozenset({"/", "-", "(", "،", ","})
_DATE_JOINERS = frozenset({"/", "-", "."})
_YEAR_JOINERS = frozenset({"،", ",", "/", "-"})
_CLOSING = frozenset({")"})
_ARTICLE = "ال"
_MINUTE_WORDS = {"والنصف": 30, "والربع": 15, "والثلث": 20}
_ONE_OCLOCK = "الواحده"
_WAW = "و"
_NOON, _HALF_DAY = 12, 12
# Hours after which "ظهرا" no longer means early afternoon, and before which "ليلا" is past midnight.
_LAST_NOON_HOUR, _FIRST_NIGHT_HOUR = 5, 6


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date over tokens [first, end)."""

    first: int
    end: int
    day: Day


@dataclass(frozen=True, slots=True)
class TimeMatch:
    first: int
    end: int
    iso: str
    # Letters of a conjunction before an hour in words ("والثامنة"), left out of the mention.
    prefix: int = 0


@dataclass(frozen=True, slots=True)
class _Month:
    number: int
    end: int
    strict: bool
    hijri: bool


def _word(tokens: list[Token], index: int) -> str | None:
    if 0 <= index < len(tokens) and tokens[index].kind is TokenKind.WORD:
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


def _month_name(lexicon: Lexicon, tokens: list[Token], index: int) -> _Month | None:
    # Most words name no month: one set look-up spares building the tuples of keys.
    if _word(tokens, index) not in lexicon.month_firsts:
        return None
    for length in (2, 1):
        keys = tuple(key for offset in range(length) if (key := _word(tokens, index + offset)) is not None)
        if len(keys) < length:
            continue
        entry = lexicon.months.get(keys)
        if entry is not None:
            return _Month(entry.number, index + length, entry.strict, entry.hijri)
    return None


def _read_month(lexicon: Lexicon, tokens: list[Token], index: int) -> _Month | None:
    """The month named at `index`, with a second name of the same month after a slash, in
    brackets or right after the first."""
    month = _month_name(lexicon, tokens, index)
    if month is None:
        return None
    joined = month.end + 1 if _punct(tokens, month.end, _NAME_JOINERS) else month.end
    second = _month_name(lexicon, tokens, joined)
    if second is not None and (second.number, second.hijri) == (month.number, month.hijri):
        end = second.end + 1 if _punct(tokens, second.end, _CLOSING) else second.end
        return _Month(month.number, end, month.strict and second.strict, month.hijri)
    return month


def _era(lexicon: Lexicon, tokens: list[Token], index: int) -> bool | None:
    """Whether the word at `index` marks a Hijri year (True), a Gregorian one (False), or neither."""
    key = _word(tokens, index)
    if key in lexicon.single_markers("hijri_era"):
        return True
    if key in lexicon.single_markers("gregorian_era"):
        return False
    return None


def read_year(
    lexicon: Lexicon, tokens: list[Token], index: int, hijri: bool | None
) -> tuple[int, int, bool] | None:
    """A year at `index` and the era marker after it: (year, index after, whether Hijri).

    `hijri` is the calendar the context requires (a Hijri or Gregorian month before it), or None
    when only the marker or the year's range can tell.
    """
    year = _integer(tokens, index, HIJRI_YEARS.start, GREGORIAN_YEARS.stop - 1)
    if year is None:
        return None
    era = _era(lexicon, tokens, index + 1)
    if hijri is None:
        hijri = era if era is not None else year not in GREGORIAN_YEARS
    if year not in (HIJRI_YEARS if hijri else GREGORIAN_YEARS):
        return None
    end = index + 2 if era is hijri else index + 1
    return year, end, hijri


def _year_after(lexicon: Lexicon, tokens: list[Token], index: int, hijri: bool) -> tuple[int, int] | None:
    at = index + 1 if _punct(tokens, index, _YEAR_JOINERS) else index
    found = read_year(lexicon, tokens, at, hijri)
    return (found[0], found[1]) if found is not None else None


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


def _day(lexicon: Lexicon, tokens: list[Token], index: int) -> tuple[int, int, int] | None:
    """Day of the month at `index`: (day, first token of the mention, index after).

    A detached article before digits ("الـ 9 من ديسمبر") is left out of the mention."""
    at = index + 1 if _word(tokens, index) == _ARTICLE else index
    day = _integer(tokens, at, 1, 31)
    if day is not None and len(tokens[at].key) <= 2:
        return day, at, at + 1
    if _word(tokens, index) in lexicon.single_markers("first_day"):  # غرة شهر ذي القعدة
        after = index + 2 if _word(tokens, index + 1) in lexicon.single_markers("month_word") else index + 1
        return 1, index, after
    ordinal = _ordinal_day(lexicon, tokens, index)
    return (ordinal[0], index, ordinal[1]) if ordinal else None


def _day_first(lexicon: Lexicon, tokens: list[Token], index: int) -> DateMatch | None:
    found = _day(lexicon, tokens, index)
    if found is None:
        return None
    day, first, at = found
    # "11/ديسمبر/2016" is written close; "2 - صفر" with spaces is a score.
    if _word(tokens, at) in lexicon.single_markers("of") or (
        _punct(tokens, at, _DATE_JOINERS) and tokens[at].start == tokens[at - 1].end
    ):
        at += 1
    month = _read_month(lexicon, tokens, at)
    if month is None:
        return None
    year = _year_after(lexicon, tokens, month.end, month.hijri)
    if year is None:
        if month.strict:  # "3 صفر" is a score as often as a date
            return None
        return DateMatch(first, month.end, Day(month.number, day, hijri=month.hijri))
    return DateMatch(first, year[1], Day(month.number, day, year[0], month.hijri))


def _numeric(lexicon: Lexicon, tokens: list[Token], index: int) -> DateMatch | None:
    """`11/12/2016`, `27 / 10 / 1436 هـ`, `2016-12-11`, and `11.12.2016`, which is one token."""
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
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    era = _era(lexicon, tokens, end)
    hijri = era if era is not None else year not in GREGORIAN_YEARS
    if year not in (HIJRI_YEARS if hijri else GREGORIAN_YEARS):
        return None
    return DateMatch(index, end + 1 if era is hijri else end, Day(month, day, year, hijri))


def _month_first(lexicon: Lexicon, tokens: list[Token], index: int) -> DateMatch | None:
    month = _read_month(lexicon, tokens, index)
    if month is None:
        return None
    end = month.end
    day = _integer(tokens, end, 1, 31)  # "December 12, 2016"
    if day is not None and len(tokens[end].key) <= 2:
        year = _year_after(lexicon, tokens, end + 1, month.hijri)
        if year is not None:
            return DateMatch(index, year[1], Day(month.number, day, year[0], month.hijri))
    year = _year_after(lexicon, tokens, end, month.hijri)
    if year is not None:
        return DateMatch(index, year[1], Day(month.number, None, year[0], month.hijri))
    before = _word(tokens, index - 1) or ""
    alone = lexicon.single_markers("month_alone")
    if month.strict and before not in alone and before[1:] not in alone:  # "لشهر رمضان"
        return None
    following = _word(tokens, end)
    direction = None
    if following in lexicon.single_markers("past"):
        direction = "past"
    elif following in lexicon.single_markers("future"):
        direction = "future"
    elif following in lexicon.single_markers("of") and _word(tokens, end + 1) in lexicon.single_markers(
        "year"
    ):
        # "يناير من العام الماضي": the month of last year, this year's, next year's.
        which = _word(tokens, end + 2)
        for cls, relative in (("past", "last_year"), ("current", "this_year"), ("future", "next_year")):
            if which in lexicon.single_markers(cls):
                direction = relative
    return DateMatch(index, end, Day(month.number, hijri=month.hijri, direction=direction))


def read_date(lexicon: Lexicon, tokens: list[Token], index: int) -> DateMatch | None:
    """The date starting at token `index`, or None."""
    return (
        _numeric(lexicon, tokens, index)
        or _day_first(lexicon, tokens, index)
        or _month_first(lexicon, tokens, index)
    )


def _day_part(lexicon: Lexicon, key: str | None) -> str | None:
    for part in ("am", "pm", "noon", "night"):
        if key in lexicon.single_markers(part):
            return part
    return None


def _on_the_clock(hour: int, part: str | None) -> int:
    """A 12-hour clock's hour on the 24-hour clock, placed by the day part after it."""
    if part == "am":
        return hour % _HALF_DAY
    afternoon = part == "noon" and hour <= _LAST_NOON_HOUR
    evening = part == "night" and hour >= _FIRST_NIGHT_HOUR
    if part == "pm" or afternoon or evening:
        return hour % _HALF_DAY + _HALF_DAY
    return hour


def _clock_digits(tokens: list[Token], index: int) -> tuple[int, int, int, bool] | None:
    """`09:11` (three tokens), or `04,00` / `04.00` (one token, as some papers write the time):
    hour, minute, index after, and whether written with a colon (a time with nothing beside it)."""
    token = tokens[index]
    if token.kind is not TokenKind.NUM:
        return None
    for separator in (",", "."):
        hours, found, minutes = token.key.partition(separator)
        if found and len(hours) <= 2 and len(minutes) == 2 and hours.isdigit() and minutes.isdigit():
            return int(hours), int(minutes), index + 1, False
    if len(token.key) > 2 or not token.key.isdigit():
        return None
    if not _punct(tokens, index + 1, frozenset(":")):
        return int(token.key), 0, index + 1, False
    minute = _integer(tokens, index + 2, 0, 59)
    if minute is None or len(tokens[index + 2].key) != 2:
        return None
    return int(token.key), minute, index + 3, True


def _hour_word(lexicon: Lexicon, tokens: list[Token], index: int) -> tuple[int, int, int, bool] | None:
    """`الثامنة`, `الواحدة`, `الحادية عشرة`, `الثامنة والنصف`: hour, minute, index after."""
    key = _word(tokens, index)
    if key is None:
        return None
    key = key.removeprefix(_WAW) if key.startswith(_WAW + _ARTICLE) else key
    if not key.startswith(_ARTICLE):
        return None
    ordinal = (1, index + 1) if key == _ONE_OCLOCK else read_ordinal(lexicon, tokens, index)
    if ordinal is None or ordinal[0] > _NOON:
        return None
    minute = _MINUTE_WORDS.get(_word(tokens, ordinal[1]) or "")
    if minute is None:
        return ordinal[0], 0, ordinal[1], False
    return ordinal[0], minute, ordinal[1] + 1, False


def read_time(lexicon: Lexicon, tokens: list[Token], index: int) -> TimeMatch | None:
    """A time of day on the 24-hour clock: `09:11 م`, `04,00 بتوقيت غرينتش`, `الساعة 10 صباحا`,
    `الثامنة صباحا`, `الواحدة ظهرا`, `الساعة الثامنة والنصف مساء`.

    Only `09:11` is a time by itself; a number or an hour in words needs الساعة before it, or a
    day part or time zone after it. The one-letter day parts (م, ص) count only after a colon
    form: after a bare number they are as often metres or an era.
    """
    clock = _clock_digits(tokens, index) or _hour_word(lexicon, tokens, index)
    if clock is None:
        return None
    hour, minute, end, colon = clock
    if hour > 23 or minute > 59:
        return None
    following = _word(tokens, end)
    part = _day_part(lexicon, following)
    if part is not None and not colon and len(following or "") == 1:
        part = None
    announced = _word(tokens, index - 1) in lexicon.single_markers("hour")
    zoned = following in lexicon.single_markers("zone")
    if not (colon or announced or zoned or part is not None):
        return None
    if part is not None and hour <= _HALF_DAY:
        hour, end = _on_the_clock(hour, part), end + 1
    conjunction = tokens[index].key.startswith(_WAW + _ARTICLE)
    return TimeMatch(index, end, f"{hour:02d}:{minute:02d}", 1 if conjunction else 0)
