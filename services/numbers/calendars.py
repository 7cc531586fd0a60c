"""The two calendars of Arabic news, and the year of a date written without one.

Gulf papers date in the Hijri calendar, usually with the Gregorian day beside it. Conversion is
hijridate's Umm al-Qura tables (the Saudi civil calendar), which cover 1343-1500 AH; a Hijri date
outside them, or a day its month does not have, gets no Gregorian value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hijridate import Gregorian, Hijri

# The years each calendar's dates are read in: modern news, and what the tables convert.
GREGORIAN_YEARS = range(1900, 2101)
HIJRI_YEARS = range(1343, 1501)
# News mostly looks back: a month named without its year is more likely the last one than the
# next, so a date in the future counts this many times its distance when choosing the year. Not
# more: papers announce festivals, deadlines and matches months ahead.
_FUTURE_PENALTY = 2
# "يناير من العام الماضي": the year named relative to the publication year.
_RELATIVE_YEARS = {"last_year": -1, "this_year": 0, "next_year": 1}
_MID_MONTH = 15


@dataclass(frozen=True, slots=True)
class Day:
    """A date as written: `day` and `year` are None where the text leaves them out."""

    month: int
    day: int | None = None
    year: int | None = None
    hijri: bool = False
    # "past" or "future" when the text says الماضي or المقبل after a bare month; "last_year",
    # "this_year" or "next_year" when it says من العام الماضي, الجاري or المقبل.
    direction: str | None = None


@dataclass(frozen=True, slots=True)
class Resolved:
    """ISO forms of a date: `iso` in the Gregorian calendar, `hijri` for a Hijri date."""

    iso: str | None
    hijri: str | None = None


def hijri_to_gregorian(year: int, month: int, day: int) -> dt.date | None:
    try:
        gregorian = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return dt.date(*gregorian.datetuple())


def hijri_year_of(day: dt.date) -> int | None:
    try:
        return int(Gregorian(day.year, day.month, day.day).to_hijri().year)
    except (ValueError, OverflowError):
        return None


def _gregorian(written: Day, year: int, day: int) -> dt.date | None:
    if written.hijri:
        return hijri_to_gregorian(year, written.month, day)
    try:
        return dt.date(year, written.month, day)
    except ValueError:  # 29 February
        return None


def _cost(candidate: dt.date, reference: dt.date) -> int:
    days = (candidate - reference).days
    return days * _FUTURE_PENALTY if days > 0 else -days


def infer_year(written: Day, reference: dt.date) -> int | None:
    """The year, in the date's own calendar, that puts it nearest `reference` (looking back)."""
    this_year = hijri_year_of(reference) if written.hijri else reference.year
    if this_year is None:
        return None
    if written.direction in _RELATIVE_YEARS:
        return this_year + _RELATIVE_YEARS[written.direction]
    candidates = []
    for year in (this_year - 1, this_year, this_year + 1):
        day = _gregorian(written, year, written.day or _MID_MONTH)
        if day is not None:
            candidates.append((day, year))
    if written.direction == "past":
        candidates = [c for c in candidates if c[0] <= reference] or candidates
    elif written.direction == "future":
        candidates = [c for c in candidates if c[0] >= reference] or candidates
    if not candidates:
        return None
    return min(candidates, key=lambda candidate: _cost(candidate[0], reference))[1]


def resolve(written: Day, reference: dt.date | None) -> Resolved:
    """ISO values of a written date; a missing year comes from `reference`.

    A month without a day is `YYYY-MM`; a Hijri month's Gregorian value is the month its first
    day falls in.
    """
    year = written.year
    if year is None:
        year = infer_year(written, reference) if reference is not None else None
        if year is None:
            return Resolved(None)
    if not written.hijri:
        if written.day is None:
            return Resolved(f"{year:04d}-{written.month:02d}")
        day = _gregorian(written, year, written.day)
        return Resolved(day.isoformat() if day else None)
    hijri = f"{year:04d}-{written.month:02d}" + (f"-{written.day:02d}" if written.day else "")
    first = hijri_to_gregorian(year, written.month, written.day or 1)
    if first is None:
        return Resolved(None, hijri)
    return Resolved(first.isoformat() if written.day else first.isoformat()[:7], hijri)
