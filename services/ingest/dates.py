"""Publication dates as feeds and scrapers write them, read into ISO 8601 for the index.

python-dateutil reads the Latin forms (RFC 2822, ISO with offsets, `12/12/2016`); hijridate converts
Umm al-Qura Hijri dates. What neither library knows is Arabic: month names (Egyptian `ديسمبر`,
Levantine `كانون الأول`, Maghrebi `ديسمبر`/`جانفي`) are swapped for their English abbreviations
before dateutil sees the text, and `هـ` marks a Hijri date. Month names come from the lexicon
the numbers service reads too (`shared/resources/months.tsv`), so both know the same months.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache

from dateutil import parser as dateutil_parser
from hijridate import Hijri

from shared import resources
from shared.arabic import digits_to_ascii

# dates outside these years are misreadings (a page count, a phone number), not publication dates
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
# epoch numbers this large are milliseconds: 1e11 seconds would be the year 5138
_EPOCH_MILLISECONDS_FROM = 100_000_000_000
# a placeholder year no article has, to tell "no year in the text" from a year dateutil found
_NO_YEAR = datetime(1, 1, 1)

_HIJRI = re.compile(
    r"^\s*(\d{1,4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,4})\s*(?:هـ|ه|AH)\.?\s*$", re.IGNORECASE
)
_EPOCH = re.compile(r"^\s*-?\d{9,13}(?:\.\d+)?\s*$")
_ARABIC_COMMA = str.maketrans({"،": ",", "؛": ";"})
# dateutil reads "10:00 ص" only in Latin: morning and evening in Arabic
_MERIDIEM = {"ص": "AM", "صباحا": "AM", "صباحاً": "AM", "م": "PM", "مساء": "PM", "مساءً": "PM"}


@dataclass(frozen=True)
class PublishedAt:
    """`iso` when the value was read; `raw` (the value as given) when it was not."""

    iso: str | None
    raw: str | None = None


NO_DATE = PublishedAt(None)


def read_date(value: object) -> PublishedAt:
    """Read one date value of a JSON article (a string, or epoch seconds or milliseconds)."""
    if value is None or value == "":
        return NO_DATE
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return PublishedAt(None, str(value))
    if not isinstance(value, str):
        return _checked(_from_epoch(value), str(value))
    raw = " ".join(value.split())
    if not raw:
        return NO_DATE
    text = digits_to_ascii(raw)
    return _checked(_read_text(text), raw)


def _read_text(text: str) -> datetime | date | None:
    try:
        return datetime.fromisoformat(text)  # the common case, ten times faster than dateutil
    except ValueError:
        pass
    if _EPOCH.match(text):
        return _from_epoch(float(text))
    hijri = _HIJRI.match(text)
    if hijri:
        return _from_hijri(*(int(part) for part in hijri.groups()))
    months = _month_table()
    named_hijri = months.hijri_date.search(text)
    if named_hijri:
        day, month, year = named_hijri.groups()
        return _from_hijri(int(year), months.hijri[month], int(day))
    latin = months.gregorian_pattern.sub(
        lambda match: months.latin[match.group(0)], text.translate(_ARABIC_COMMA)
    )
    try:
        # dayfirst: 05/03/2016 is the 5th of March where Arabic papers are written
        parsed = dateutil_parser.parse(latin, dayfirst=True, fuzzy=True, default=_NO_YEAR)
    except (ValueError, OverflowError):
        return None
    return None if parsed.year == _NO_YEAR.year else parsed


def _from_epoch(number: float) -> datetime | None:
    seconds = number / 1000 if abs(number) >= _EPOCH_MILLISECONDS_FROM else number
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _from_hijri(first: int, month: int, last: int) -> date | None:
    """A Hijri date written year first (1437-03-12) or day first (12/03/1437)."""
    year, day = (first, last) if first > 31 else (last, first)
    try:
        return Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None


def _checked(moment: datetime | date | None, raw: str) -> PublishedAt:
    if moment is None or not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        return PublishedAt(None, raw)
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)  # a date has no zone
    return PublishedAt(moment.isoformat())


@dataclass(frozen=True)
class _Months:
    latin: dict[str, str]  # Arabic Gregorian month and meridiem words -> the English dateutil reads
    gregorian_pattern: re.Pattern[str]
    hijri: dict[str, int]  # Hijri month names -> month number
    hijri_date: re.Pattern[str]  # day, Hijri month name, year: 12 ربيع الأول 1437


@cache
def _month_table() -> _Months:
    latin, hijri = dict(_MERIDIEM), {}
    for line in resources.read_text("months.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        number, form, *flags = line.split("\t")
        if "hijri" in " ".join(flags).split():
            hijri[form] = int(number)
        elif not form.isascii():
            latin[form] = calendar.month_abbr[int(number)]
    hijri_names = _alternatives(hijri)
    return _Months(
        latin=latin,
        gregorian_pattern=re.compile(rf"(?<!\w)(?:{_alternatives(latin)})(?!\w)"),
        hijri=hijri,
        hijri_date=re.compile(rf"(?<!\d)(\d{{1,2}})\s+(?:من\s+)?({hijri_names})\s*[,،]?\s+(\d{{4}})(?!\d)"),
    )


def _alternatives(forms: Iterable[str]) -> str:
    # longest first, so that كانون الأول is not read as a shorter form
    return "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
