"""Numbers service: quantities, percentages, dates and times, normalised; the publication date."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from services.numbers.extract import NumberExtractor
from shared import observability, topics
from shared.observability import Metrics
from shared.schema import Article, NumberMention
from shared.service import create_app
from shared.settings import Settings
from shared.stage import Stage
from shared.worker import run

SERVICE = "numbers"

settings = Settings.from_env()
app = create_app(SERVICE, settings)
metrics = Metrics(SERVICE)
stage = Stage(app, SERVICE, settings, metrics)
stage.output = stage.article_topic(topics.ARTICLES_NUMBERS)
source = stage.article_topic(topics.ARTICLES_ENTITIES)
observability.install(app, metrics)
extractor = NumberExtractor()


def reference_date(published_at: str | None) -> date | None:
    """The article's own date, so that "الثالث من ديسمبر" gets its year."""
    if not published_at:
        return None
    try:
        return datetime.fromisoformat(published_at).date()
    except ValueError:
        return None


def annotate(article: Article) -> Article:
    published = article.published_at or extractor.publication_date(article.body)
    mentions = extractor.extract(article.body, reference_date=reference_date(published))
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


@app.agent(source)
async def extract_numbers(stream: Any) -> None:
    await stage.enrich(stream, annotate)


def main() -> None:
    run(app, SERVICE, settings)
