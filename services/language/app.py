"""Language service: which languages an article is written in, and where the others are."""

from __future__ import annotations

from functools import partial
from typing import Any

from services.language import enrich
from services.language.detect import LanguageDetector
from shared import observability
from shared.bootstrap import build

SERVICE = "language"

service = build(SERVICE)
app, stage = service.app, service.stage
observability.install(app, service.metrics)
annotate = partial(enrich.annotate, detector=LanguageDetector())


@app.agent(service.source())
async def detect_languages(stream: Any) -> None:
    await stage.enrich(stream, annotate)


def main() -> None:
    service.run()
