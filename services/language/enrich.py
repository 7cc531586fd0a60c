"""The language step on an article record: the detector's report as the record's `language`."""

from __future__ import annotations

from dataclasses import asdict

from services.language.detect import LanguageDetector
from shared.schema import Article, LanguageInfo, LanguageSpan


def annotate(article: Article, detector: LanguageDetector) -> Article:
    report = detector.detect(article.body)
    # the report's fields are the record's; its spans become records too
    spans = [LanguageSpan(**asdict(span)) for span in report.spans]
    return article.derive(language=LanguageInfo(**{**asdict(report), "spans": spans}))
