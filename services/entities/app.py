"""Entities service: people, places and organisations, with canonical names and places' GeoNames."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from services.entities.recognizer import Recognizer
from shared import observability
from shared.bootstrap import build
from shared.schema import Article, EntityCount, EntityMention

SERVICE = "entities"

service = build(SERVICE)
app, stage = service.app, service.stage
observability.install(app, service.metrics)
recognizer = Recognizer.load()


def annotate(article: Article) -> Article:
    found = recognizer.recognize(article.body)
    # the recogniser's mentions have exactly the record's fields
    mentions = [EntityMention(**asdict(m)) for m in found.mentions]
    counts = [EntityCount(canonical=c, type=t, count=n) for c, t, n in found.counts()]
    return article.derive(entities=mentions, entity_counts=counts)


@app.agent(service.source())
async def recognise_entities(stream: Any) -> None:
    await stage.enrich(stream, annotate)


def main() -> None:
    service.run()
