"""The indexer applies dedup revisions of earlier articles, in whatever order things arrive.

Real Kafka, Elasticsearch and indexer: records go straight to the indexer's two input topics. A
revision that overtakes its article waits for the document, and an older verdict that arrives after
a newer one does not overwrite it.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import pytest
from kafka import KafkaProducer

from shared import index, topics
from shared.schema import Article, DedupInfo, DedupRevision, RelatedArticle, SharedPassage
from shared.settings import Settings

pytestmark = pytest.mark.integration
WAIT_SECONDS = 60


def article(article_id: str, version: int, title: str) -> Article:
    return Article(
        id=article_id,
        title=title,
        body="نص للاختبار فقط",
        source_file="revision-test.txt",
        content_format="text",
        encoding="utf-8",
        ingested_at=time.time(),
        dedup=DedupInfo(status="unique", cluster_id=article_id, version=version),
    )


async def document_when(
    settings: Settings, article_id: str, ready: Any, timeout: float = WAIT_SECONDS
) -> dict[str, Any] | None:
    es = index.client(settings)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            found = await es.options(ignore_status=404).get(index=settings.index_alias, id=article_id)
            if found.get("found") and ready(found["_source"]):
                return dict(found["_source"])
            await asyncio.sleep(0.3)
        return None
    finally:
        await es.close()


async def delete(settings: Settings, ids: list[str]) -> None:
    es = index.client(settings)
    try:
        await es.bulk(operations=[{"delete": {"_index": settings.index_alias, "_id": i}} for i in ids])
    finally:
        await es.close()


def test_a_revision_waits_for_its_article_and_an_older_verdict_never_wins(stack: Settings) -> None:
    tag = uuid.uuid4().hex[:12]
    earlier, marker = f"revision-test-{tag}", f"revision-marker-{tag}"
    related = RelatedArticle(article_id="later", overlap=0.25, passages=[SharedPassage(start=0, end=5)])
    revision = DedupRevision(
        article_id=earlier,
        dedup=DedupInfo(status="partial", cluster_id="story", version=2000, related=[related]),
        cause="later",
    )
    producer = KafkaProducer(bootstrap_servers=stack.kafka_bootstrap, acks="all")
    try:
        producer.send(topics.ARTICLES_REVISIONS, key=earlier.encode(), value=revision.dumps())
        producer.flush()
        time.sleep(2)  # the revision is now waiting for a document that does not exist yet
        producer.send(
            topics.ARTICLES_ENRICHED, key=earlier.encode(), value=article(earlier, 1000, "first").dumps()
        )
        producer.flush()
        revised = asyncio.run(document_when(stack, earlier, lambda d: d["dedup"]["version"] == 2000))
        assert revised is not None, "the revision was never applied"
        assert revised["title"] == "first" and revised["dedup"]["status"] == "partial"
        assert revised["dedup"]["related"][0]["article_id"] == "later"

        # an older verdict of the same article arrives late; the marker follows it on its partition
        producer.send(
            topics.ARTICLES_ENRICHED, key=earlier.encode(), value=article(earlier, 1500, "older").dumps()
        )
        producer.send(
            topics.ARTICLES_ENRICHED, key=earlier.encode(), value=article(marker, 1, "marker").dumps()
        )
        producer.flush()
        assert asyncio.run(document_when(stack, marker, lambda d: True)) is not None
        kept = asyncio.run(document_when(stack, earlier, lambda d: True, timeout=5))
        assert kept is not None
        assert kept["title"] == "first"
        assert (kept["dedup"]["version"], kept["dedup"]["status"]) == (2000, "partial")
    finally:
        producer.close()
        asyncio.run(delete(stack, [earlier, marker]))


def copy_of(head: str, article_id: str, story: str, version: int) -> Article:
    copy = article(article_id, version, "copy")
    assert copy.dedup is not None
    dedup = DedupInfo(status="near", cluster_id=story, version=version, duplicate_of=head, similarity=0.9)
    return copy.derive(dedup=dedup)


def test_when_stories_merge_every_copy_of_the_revised_head_moves_to_the_merged_story(stack: Settings) -> None:
    """Dedup revises only heads; the indexer moves the rest of the head's old story with it."""
    tag = uuid.uuid4().hex[:12]
    head, copies, other = (
        f"story-head-{tag}",
        [f"story-copy-{tag}-{n}" for n in range(3)],
        f"story-other-{tag}",
    )
    producer = KafkaProducer(bootstrap_servers=stack.kafka_bootstrap, acks="all")
    try:
        for record in (article(head, 1000, "head"), article(other, 1000, "other")):
            producer.send(topics.ARTICLES_ENRICHED, key=record.id.encode(), value=record.dumps())
        for n, copy in enumerate(copies):
            record = copy_of(head, copy, head, 1001 + n)
            producer.send(topics.ARTICLES_ENRICHED, key=copy.encode(), value=record.dumps())
        producer.flush()
        for copy in copies:
            assert asyncio.run(document_when(stack, copy, lambda d: True)) is not None
        merged = DedupRevision(
            article_id=head,
            dedup=DedupInfo(status="partial", cluster_id=other, version=2000),
            cause=other,
        )
        producer.send(topics.ARTICLES_REVISIONS, key=head.encode(), value=merged.dumps())
        producer.flush()
        in_other = lambda d: d["dedup"]["cluster_id"] == other  # noqa: E731
        assert asyncio.run(document_when(stack, head, in_other)) is not None
        for copy in copies:
            moved = asyncio.run(document_when(stack, copy, in_other, timeout=20))
            assert moved is not None, f"{copy} kept its old story"
            assert moved["dedup"]["status"] == "near" and moved["dedup"]["duplicate_of"] == head
        untouched = asyncio.run(document_when(stack, other, lambda d: True, timeout=5))
        assert untouched is not None and untouched["dedup"]["cluster_id"] == other
    finally:
        producer.close()
        asyncio.run(delete(stack, [head, other, *copies]))
