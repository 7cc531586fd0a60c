"""The numbers step on an article record: mentions, and the publication date from the dateline."""

from __future__ import annotations

from dataclasses import asdict
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
    # the extractor's mentions have exactly the record's fields
    numbers = [NumberMention(**asdict(m)) for m in mentions]
    return article.derive(numbers=numbers, published_at=published)
