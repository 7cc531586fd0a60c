"""The entities step on an article record: mentions and per-entity counts."""

from __future__ import annotations

from dataclasses import asdict
from typing import TypeVar

from services.entities.recognizer import Recognizer
from shared.schema import Article, EntityCount, EntityMention

T = TypeVar("T")


def cap(mentions: list[T], limit: int | None) -> tuple[list[T], bool]:
    """The first ``limit`` mentions in text order, and whether any were left out; ``None``
    keeps them all. A record must stay within Kafka's and Elasticsearch's limits whatever
    the article's length, and the first mentions are the ones a reader sees first."""
    if limit is None or len(mentions) <= limit:
        return mentions, False
    return mentions[: max(limit, 0)], True


def annotate(article: Article, recognizer: Recognizer) -> Article:
    found = recognizer.recognize(article.body)
    # the recogniser's mentions have exactly the record's fields
    mentions = [EntityMention(**asdict(m)) for m in found.mentions]
    counts = [EntityCount(canonical=c, type=t, count=n) for c, t, n in found.counts()]
    return article.derive(entities=mentions, entity_counts=counts)
