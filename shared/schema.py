"""The article record that travels through every topic, and the dead letter that leaves it.

One schema, versioned: a stage that changes the shape of a field bumps SCHEMA_VERSION, and readers
can tell old records from new ones. Records serialise to plain JSON (no Faust metadata), so any Kafka
client can read the topics.
"""

from __future__ import annotations

import time
from typing import TypeVar

from shared.faust_overrides.record import PlainRecord

SCHEMA_VERSION = 1


class TraceStep(PlainRecord):
    stage: str
    version: str
    at: float  # epoch seconds when the stage emitted the record


class LanguageSpan(PlainRecord):
    language: str
    start: int
    end: int
    text: str


class LanguageInfo(PlainRecord):
    primary: str  # ISO 639-1, "und" when undetermined
    confidence: float
    shares: dict[str, float]
    spans: list[LanguageSpan]
    script: str
    is_arabic: bool


class EntityMention(PlainRecord):
    text: str
    start: int
    end: int
    type: str  # PERSON, LOCATION, ORGANIZATION
    canonical: str
    geonames_id: int | None = None
    country_code: str | None = None
    lat: float | None = None
    lon: float | None = None


class EntityCount(PlainRecord):
    canonical: str
    type: str
    count: int


class NumberMention(PlainRecord):
    text: str
    start: int
    end: int
    kind: str  # cardinal, decimal, percent, ordinal, date, year, time, duration, range, ...
    value: float | None = None  # the quantity, for every kind that has one; a range's lower bound
    iso: str | None = None  # ISO date for dates (Gregorian, also for Hijri ones), HH:MM for times
    unit: str | None = None  # the counted noun, singular
    qualifier: str | None = None  # approx, at_least, more_than, up_to
    high: float | None = None  # a range's upper bound
    hijri: str | None = None  # a Hijri date or year as written: YYYY-MM-DD, YYYY-MM or YYYY


class SharedPassage(PlainRecord):
    start: int
    end: int


class RelatedArticle(PlainRecord):
    article_id: str
    overlap: float  # share of this article's text that the other one also has
    passages: list[SharedPassage]


class DedupInfo(PlainRecord):
    status: str  # unique, exact, near, partial
    cluster_id: str
    # milliseconds since the epoch, strictly increasing per decision: the index keeps the newest
    # verdict when an article and a revision of it arrive out of order
    version: int = 0
    duplicate_of: str | None = None
    similarity: float | None = None
    related: list[RelatedArticle] = []
    related_cut: bool = False  # more articles share passages with it than `related` lists


class Article(PlainRecord, serializer="json"):
    id: str
    title: str
    body: str
    source_file: str
    content_format: str  # text, html, json
    encoding: str
    ingested_at: float
    url: str | None = None
    source: str | None = None
    published_at: str | None = None  # ISO 8601 date or date-time
    published_at_raw: str | None = None  # the date as the file gave it, when it could not be read
    language: LanguageInfo | None = None
    entities: list[EntityMention] = []
    entity_counts: list[EntityCount] = []
    numbers: list[NumberMention] = []
    dedup: DedupInfo | None = None
    trace: list[TraceStep] = []
    # the mention lists a stage cut to their cap (entities, numbers): the article had more; a cut
    # `related` list says so in dedup.related_cut, which a later revision can change
    truncated: list[str] = []
    schema_version: int = SCHEMA_VERSION

    def stamped(self, stage: str, version: str) -> Article:
        """This article with one more trace step: which stage emitted it, and when."""
        step = TraceStep(stage=stage, version=version, at=time.time())
        return self.derive(trace=[*self.trace, step])


T = TypeVar("T")


def cap(items: list[T], limit: int) -> tuple[list[T], bool]:
    """The first `limit` items, in text order, and whether any were left out.

    A record must stay within what Kafka and Elasticsearch take whatever the article's length:
    Elasticsearch refuses a document with more than 10,000 nested objects (entities, numbers and
    related articles together), so the caps in settings.py add up to less.
    """
    if len(items) <= limit:
        return items, False
    return items[: max(limit, 0)], True


class DedupRevision(PlainRecord, serializer="json"):
    """A later article changed what dedup says about an earlier one: the earlier one's whole new verdict.

    Dedup judges each article against earlier ones; when a later article shares passages with an
    earlier one, the earlier one's `related` (and maybe its status and story) change too.
    """

    article_id: str  # the earlier article, whose document is revised
    dedup: DedupInfo
    cause: str  # the later article that made the change
    schema_version: int = SCHEMA_VERSION


class DeadLetter(PlainRecord, serializer="json"):
    """A record a stage could not process: where it was, why, and the payload itself."""

    stage: str
    reason: str  # short machine code, e.g. "binary", "undecodable", "bad_record"
    error: str  # the human explanation
    topic: str
    partition: int
    offset: int
    key: str | None
    payload: str  # the original value: text as is, bytes as base64 (see payload_encoding)
    payload_encoding: str  # "utf-8" or "base64"
    payload_bytes: int = 0  # size of the original record's value
    payload_truncated: bool = False  # payload holds only the head of a large value
    filename: str | None = None
    article_id: str | None = None  # the article's id whenever the stage knew it
    at: float = 0.0
    schema_version: int = SCHEMA_VERSION
