"""A story merge after copies exist: every copy, of either story, shows the merged story id in the index.

Real Kafka, dedup, indexer and Elasticsearch. Two stories, each a head with an exact and a near copy,
go straight to `articles.numbers`; once all six are indexed, one in two stories apart, an article that
carries long passages of both merges them. Dedup revises every member of the absorbed story through
`articles.revisions`, and the indexer applies them: all seven documents end with one `cluster_id`.
The texts are random words from the seeds' vocabulary with a fresh salt, so they match nothing else in
the shared state; their documents are deleted at the end.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from typing import Any

import pytest
from kafka import KafkaProducer

from services.ingest.parsing import article_id
from shared import topics
from shared.settings import Settings
from tests.integration.test_dedup_workers import article, body, exact_copy, near_copy
from tests.integration.test_revisions import delete, document_when

pytestmark = pytest.mark.integration
WAIT_SECONDS = 90


def send(settings: Settings, texts: list[str]) -> None:
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    try:
        for text in texts:
            item = article(text)
            producer.send(topics.ARTICLES_NUMBERS, key=item.id.encode(), value=item.dumps())
        producer.flush()
    finally:
        producer.close()


def indexed(settings: Settings, ids: list[str], ready: Any) -> dict[str, dict[str, Any]]:
    found = {i: asyncio.run(document_when(settings, i, ready, timeout=WAIT_SECONDS)) for i in ids}
    missing = sorted(i for i, document in found.items() if document is None)
    assert not missing, f"not indexed as expected within {WAIT_SECONDS} s: {missing}"
    return {i: document for i, document in found.items() if document is not None}


def test_a_merge_after_copies_exist_gives_every_copy_the_merged_story(stack: Settings) -> None:
    rng = random.Random()
    salt = uuid.uuid4().hex
    first, second = body(rng, f"{salt}-a"), body(rng, f"{salt}-b")
    stories = [[text, exact_copy(text), near_copy(text)] for text in (first, second)]
    ids = [article_id(text) for story in stories for text in story]
    # long passages of both (130 of their 300 words each), among new words
    joining = " ".join([*first.split()[:130], *body(rng, f"{salt}-c").split()[:60], *second.split()[-130:]])
    try:
        for story in stories:  # each head before its copies: dedup sees them in this order
            send(stack, story[:1])
            indexed(stack, [article_id(story[0])], lambda d: True)
            send(stack, story[1:])
        before = indexed(stack, ids, lambda d: True)
        assert len({before[i]["dedup"]["cluster_id"] for i in ids}) == 2, before
        assert {before[i]["dedup"]["status"] for i in ids} == {"unique", "exact", "near"}

        send(stack, [joining])
        merged = indexed(stack, [article_id(joining)], lambda d: d["dedup"]["status"] == "partial")
        story = merged[article_id(joining)]["dedup"]["cluster_id"]
        assert story in {article_id(first), article_id(second)}

        after = indexed(stack, ids, lambda d: d["dedup"]["cluster_id"] == story)
        assert {after[i]["dedup"]["cluster_id"] for i in ids} == {story}
        # the copies still name their heads; only the story moved
        for head, *copies in stories:
            for copy in copies:
                assert after[article_id(copy)]["dedup"]["duplicate_of"] == article_id(head)
    finally:
        asyncio.run(delete(stack, [*ids, article_id(joining)]))
