"""Entities service: people, places and organisations, with canonical names and places' GeoNames."""

from __future__ import annotations

from functools import partial
from typing import Any

from services.entities import enrich
from services.entities.recognizer import Recognizer
from shared import observability
from shared.bootstrap import build

SERVICE = "entities"

service = build(SERVICE)
app, stage = service.app, service.stage
observability.install(app, service.metrics)
annotate = partial(enrich.annotate, recognizer=Recognizer.load(), max_mentions=service.settings.max_entities)


@app.agent(service.source())
async def recognise_entities(stream: Any) -> None:
    await stage.enrich(stream, annotate)


def main() -> None:
    service.run()
