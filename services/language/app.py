"""Language service: which languages an article is written in, and where the others are."""

from __future__ import annotations

from typing import Any

from services.language.detect import LanguageDetector, LanguageReport
from shared import observability
from shared.bootstrap import build
from shared.schema import Article, LanguageInfo, LanguageSpan

SERVICE = "language"

service = build(SERVICE)
app, stage = service.app, service.stage
observability.install(app, service.metrics)
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


@app.agent(service.source())
async def detect_languages(stream: Any) -> None:
    await stage.enrich(stream, annotate)


def main() -> None:
    service.run()
