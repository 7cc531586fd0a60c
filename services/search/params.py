"""The search request as the user gives it (URL query or CLI options), checked before anything runs.

Every problem is a `BadParameter` naming the parameter and the reason, which the API answers with 400.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

MAX_QUERY_CHARS = 500
MAX_SIZE = 50
MAX_PAGE = 100  # deep paging is a crawler's need, not a reader's; scan the index for that
MAX_VALUES = 20  # per repeatable filter
ENTITY_TYPES = ("PERSON", "LOCATION", "ORGANIZATION")
DEDUP_STATUSES = ("unique", "exact", "near", "partial")
SORTS = ("relevance", "newest", "oldest")
_NUMBER = re.compile(r"^\s*(?P<key>[^<>=]*?)\s*(?:(?P<op><=|>=|<|>|=)\s*(?P<value>-?\d+(?:\.\d+)?))?\s*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_FLAGS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


class BadParameter(ValueError):
    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


@dataclass(frozen=True)
class NumberCondition:
    """Articles with a number whose unit or kind is `key` (any when empty), compared with `value`."""

    key: str
    op: str | None = None
    value: float | None = None


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    persons: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()  # canonical names of any type
    entity_type: str | None = None  # articles that mention an entity of this type (of `entities`, if given)
    languages: tuple[str, ...] = ()
    dedup: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # ISO 3166 alpha-2 codes of places the article mentions
    numbers: tuple[NumberCondition, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    collapse: bool = True
    sort: str = "relevance"
    page: int = 1
    size: int = 10

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


# URL parameter -> SearchParams field, for the repeatable plain-text filters
_TEXT_FILTERS = {
    "person": "persons",
    "location": "locations",
    "organization": "organizations",
    "entity": "entities",
    "unit": "units",
}


def _one(query: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = [v for v in query.get(name, ()) if v.strip()]
    if len(values) > 1:
        raise BadParameter(name, "give it once")
    return values[0].strip() if values else None


def _many(query: Mapping[str, Sequence[str]], name: str, max_chars: int = 200) -> tuple[str, ...]:
    values = tuple(dict.fromkeys(v.strip() for v in query.get(name, ()) if v.strip()))
    if len(values) > MAX_VALUES:
        raise BadParameter(name, f"at most {MAX_VALUES} values")
    for value in values:
        if len(value) > max_chars:
            raise BadParameter(name, f"longer than {max_chars} characters")
    return values


def _int(query: Mapping[str, Sequence[str]], name: str, default: int, low: int, high: int) -> int:
    raw = _one(query, name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit():
        raise BadParameter(name, f"a whole number from {low} to {high}, got {raw!r}")
    value = int(raw)
    if not low <= value <= high:
        raise BadParameter(name, f"from {low} to {high}, got {value}")
    return value


def _date(query: Mapping[str, Sequence[str]], name: str) -> date | None:
    raw = _one(query, name)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(name, f"a date as YYYY-MM-DD, got {raw!r}") from None


def _choice(value: str, name: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise BadParameter(name, f"one of {', '.join(allowed)}, got {value!r}")
    return value


def parse_number(raw: str) -> NumberCondition:
    """`شخص>=1000`, `percent>50`, `مدني`, `>=100`: a unit or kind, a comparison, or both."""
    match = _NUMBER.match(raw)
    if not match or (not match["key"] and not match["op"]):
        raise BadParameter("number", f"a unit or kind and/or a comparison like شخص>=1000, got {raw!r}")
    value = float(match["value"]) if match["value"] is not None else None
    return NumberCondition(key=match["key"], op=match["op"], value=value)


def parse(query: Mapping[str, Sequence[str]]) -> SearchParams:
    """SearchParams from a multi-valued mapping (parameter -> values); raises BadParameter."""
    q = _one(query, "q") or ""
    if len(q) > MAX_QUERY_CHARS:
        raise BadParameter("q", f"longer than {MAX_QUERY_CHARS} characters")
    entity_type = _one(query, "type")
    if entity_type is not None:
        entity_type = _choice(entity_type.upper(), "type", ENTITY_TYPES)
    languages = _many(query, "lang", max_chars=3)
    for language in languages:
        if not _LANGUAGE.match(language):
            raise BadParameter("lang", f"an ISO 639 code like ar or en, got {language!r}")
    dedup = tuple(_choice(s, "dedup", DEDUP_STATUSES) for s in _many(query, "dedup"))
    countries = tuple(code.upper() for code in _many(query, "country", max_chars=2))
    for code in countries:
        if not _COUNTRY.match(code):
            raise BadParameter("country", f"an ISO 3166 two-letter code like SY, got {code!r}")
    date_from, date_to = _date(query, "from"), _date(query, "to")
    if date_from and date_to and date_from > date_to:
        raise BadParameter("to", "earlier than from")
    collapse_raw = (_one(query, "collapse") or "true").lower()
    if collapse_raw not in _FLAGS:
        raise BadParameter("collapse", f"true or false, got {collapse_raw!r}")
    text_filters = {attr: _many(query, name) for name, attr in _TEXT_FILTERS.items()}
    return SearchParams(
        q=q,
        entity_type=entity_type,
        languages=languages,
        dedup=dedup,
        countries=countries,
        numbers=tuple(parse_number(raw) for raw in _many(query, "number")),
        date_from=date_from,
        date_to=date_to,
        collapse=_FLAGS[collapse_raw],
        sort=_choice(_one(query, "sort") or "relevance", "sort", SORTS),
        page=_int(query, "page", 1, 1, MAX_PAGE),
        size=_int(query, "size", 10, 1, MAX_SIZE),
        **text_filters,
    )
