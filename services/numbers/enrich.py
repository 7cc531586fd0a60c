"""The numbers step on an article record: mentions, and the publication date.

The date comes from the article's metadata when ingest could read it; else from a date in the
metadata that ingest kept unread (a Hijri date, `25 شوال 1436 هـ`); else from the dateline at the
top of the body, in either calendar.
"""

from __future__ import annotations

from datetime import date, datetime

from services.numbers.extract import NumberExtractor
from shared.schema import Article, NumberMention, cap


def reference_date(published_at: str | None) -> date | None:
    """The article's own date, so that "الثالث من ديسمبر" gets its year."""
    if not published_at:
        return None
    try:
        return datetime.fromisoformat(published_at).date()
    except ValueError:
        return None


def publication_date(article: Article, extractor: NumberExtractor) -> str | None:
    if article.published_at:
        return article.published_at
    if article.published_at_raw:
        from_metadata = extractor.publication_date(article.published_at_raw)
        if from_metadata:
            return from_metadata
    return extractor.publication_date(article.body)


def annotate(article: Article, extractor: NumberExtractor, max_numbers: int | None = None) -> Article:
    """The article with its number mentions (the first `max_numbers` of them, when given; then
    `truncated` names "numbers" if there were more) and its publication date."""
    published = publication_date(article, extractor)
    mentions = extractor.extract(article.body, reference_date=reference_date(published))
    truncated = article.truncated
    if max_numbers is not None:
        mentions, cut = cap(mentions, max_numbers)
        truncated = [*truncated, "numbers"] if cut else truncated
    # Field by field rather than through dataclasses.asdict, which deep-copies every value of
    # every mention; the values are immutable, so the records hold the same data.
    numbers = [
        NumberMention(
            text=m.text,
            start=m.start,
            end=m.end,
            kind=m.kind,
            value=m.value,
            iso=m.iso,
            unit=m.unit,
            qualifier=m.qualifier,
            high=m.high,
            hijri=m.hijri,
        )
        for m in mentions
    ]
    return article.derive(numbers=numbers, published_at=published, truncated=truncated)
