"""Entities service: people, places and organisations, with canonical names and places' GeoNames."""

from __future__ import annotations

from functools import partial
from typing import Any

from services.entities import enrich, stacked
from shared import observability
from shared.bootstrap import build

SERVICE = "entities"

service = build(SERVICE)
app, stage = service.app, service.stage
observability.install(app, service.metrics)
# AKHBAR_ENTITIES_RECOGNIZER: the trained labeller with the rules (crf, the default), or the rules alone
# (README, "Entities")
recognizer = stacked.load(service.settings.entities_recognizer)
annotate = partial(enrich.annotate, recognizer=recognizer, max_mentions=service.settings.max_entities)


@app.agent(service.source())
async def recognise_entities(stream: Any) -> None:
    await stage.enrich(stream, annotate)


def main() -> None:
    service.run()
