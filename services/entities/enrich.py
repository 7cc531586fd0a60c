"""The entities step on an article record: mentions and per-entity counts."""

from __future__ import annotations

from dataclasses import asdict

from services.entities.recognizer import Recognizer
from shared.schema import Article, EntityCount, EntityMention


def annotate(article: Article, recognizer: Recognizer) -> Article:
    found = recognizer.recognize(article.body)
    # the recogniser's mentions have exactly the record's fields
    mentions = [EntityMention(**asdict(m)) for m in found.mentions]
    counts = [EntityCount(canonical=c, type=t, count=n) for c, t, n in found.counts()]
    return article.derive(entities=mentions, entity_counts=counts)
