"""The numbers step on an article record: mentions, and the publication date from the dateline."""

from __future__ import annotations

from datetime import date, datetime

from services.numbers.extract import NumberExtractor
from shared.schema import Article, NumberMention


def reference_date(published_at: str | None) -> date | None:
    """The article's own date, so that "الثالث من ديسمبر" gets its year."""
    if not published_at:
        return None
    try:
        return datetime.fromisoformat(published_at).date()
    except ValueError:
        return None


def annotate(article: Article, extractor: NumberExtractor) -> Article:
    published = article.published_at or extractor.publication_date(article.body)
    mentions = extractor.extract(article.body, reference_date=reference_date(published))
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
        )
        for m in mentions
    ]
    return article.derive(numbers=numbers, published_at=published)
