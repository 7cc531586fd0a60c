"""Numbers service: quantities, percentages, dates and times, normalised; the publication date."""

from __future__ import annotations

from functools import partial
from typing import Any

from services.numbers import enrich
from services.numbers.extract import NumberExtractor
from shared import observability
from shared.bootstrap import build

SERVICE = "numbers"

service = build(SERVICE)
app, stage = service.app, service.stage
observability.install(app, service.metrics)
annotate = partial(enrich.annotate, extractor=NumberExtractor(), max_numbers=service.settings.max_numbers)


@app.agent(service.source())
async def extract_numbers(stream: Any) -> None:
    await stage.enrich(stream, annotate)


def main() -> None:
    service.run()
