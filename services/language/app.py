"""Language service: which languages an article is written in, and where the others are."""

from __future__ import annotations

from typing import Any

from services.language.detect import LanguageDetector, LanguageReport
from shared import observability, topics
from shared.observability import Metrics
from shared.schema import Article, LanguageInfo, LanguageSpan
from shared.service import create_app
from shared.settings import Settings
from shared.stage import Stage
from shared.worker import run

SERVICE = "language"

settings = Settings.from_env()
app = create_app(SERVICE, settings)
metrics = Metrics(SERVICE)
stage = Stage(app, SERVICE, settings, metrics)
stage.output = stage.article_topic(topics.ARTICLES_LANGUAGE)
source = stage.article_topic(topics.ARTICLES_RAW)
observability.install(app, metrics)
detector = LanguageDetector()


def to_record(report: LanguageReport) -> LanguageInfo:
    return LanguageInfo(
        primary=report.primary,
        confidence=report.confidence,
        shares=dict(report.shares),
        spans=[
            LanguageSpan(language=s.language, start=s.start, end=s.end, text=s.text) for s in report.spans
        ],
        script=report.script,
        is_arabic=report.is_arabic,
    )


def annotate(article: Article) -> Article:
    return article.derive(language=to_record(detector.detect(article.body)))


@app.agent(source)
async def detect_languages(stream: Any) -> None:
    await stage.enrich(stream, annotate)


def main() -> None:
    run(app, SERVICE, settings)
