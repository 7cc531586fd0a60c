"""The entities step on an article record: mentions and per-entity counts."""

from __future__ import annotations

from dataclasses import asdict

from services.entities.stacked import Recognises
from shared.schema import Article, EntityCount, EntityMention, cap


def annotate(article: Article, recognizer: Recognises, max_mentions: int | None = None) -> Article:
    """The article with its mentions (the first `max_mentions` of them, when given; then `truncated`
    names "entities" if there were more) and per-entity counts over all of them."""
    found = recognizer.recognize(article.body)
    kept, truncated = found.mentions, article.truncated
    if max_mentions is not None:
        kept, cut = cap(kept, max_mentions)
        truncated = [*truncated, "entities"] if cut else truncated
    # the recogniser's mentions have exactly the record's fields
    mentions = [EntityMention(**asdict(m)) for m in kept]
    counts = [EntityCount(canonical=c, type=t, count=n) for c, t, n in found.counts()]
    return article.derive(entities=mentions, entity_counts=counts, truncated=truncated)
