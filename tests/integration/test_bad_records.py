"""Malformed article records written straight into the pipeline's topics, past the doors.

Each is dead-lettered by the first stage that reads the broken part, with that stage's name and a
reason; the stage goes on, and a good article sent after them is indexed.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import httpx
import orjson
import pytest
from kafka import KafkaProducer

from shared import topics
from shared.schema import Article, DedupInfo
from shared.settings import Settings
from tests.e2e.test_pipeline import dlq_end_offsets, fetch_documents, read_dead_letters, service_url
from tests.faults.drill import delete_documents

pytestmark = pytest.mark.integration


def article(article_id: str) -> dict[str, Any]:
    record = Article(
        id=article_id,
        title="خبر",
        # no place the search tests count hits for: this article stays out of their totals
        body="قال مصدر إن 12 شخصا أصيبوا.",
        source_file=f"{article_id}.txt",
        content_format="text",
        encoding="utf-8",
        ingested_at=time.time(),
        dedup=DedupInfo(status="unique", cluster_id=article_id),
    )
    return record.to_data()


def test_malformed_records_are_dead_lettered_by_the_stage_that_reads_them(stack: Settings) -> None:
    tag = uuid.uuid4().hex[:8]
    ids = {name: f"badrec-{tag}-{name}" for name in ("mention", "language", "trace", "json", "good")}
    mention = {**article(ids["mention"]), "entities": [{"text": "حلب"}]}  # every other field missing
    language = {**article(ids["language"]), "language": "ar"}  # a record, given as a string
    trace = {**article(ids["trace"]), "trace": 5}  # dedup is the first to add a step to it
    since = dlq_end_offsets(stack)
    started = time.time()
    producer = KafkaProducer(bootstrap_servers=stack.kafka_bootstrap, acks="all")
    for topic, key, value in [
        (topics.ARTICLES_ENRICHED, ids["mention"], orjson.dumps(mention)),
        (topics.ARTICLES_ENRICHED, ids["language"], orjson.dumps(language)),
        (topics.ARTICLES_NUMBERS, ids["trace"], orjson.dumps(trace)),
        (topics.ARTICLES_RAW, ids["json"], b'{"id": "not closed'),
        (topics.ARTICLES_ENRICHED, ids["good"], orjson.dumps(article(ids["good"]))),
    ]:
        producer.send(topic, key=key.encode(), value=value)
    producer.flush()
    producer.close()

    letters = read_dead_letters(
        stack, since, {ids[n] for n in ("mention", "language", "trace", "json")}, by="key"
    )
    assert {key: (letter["stage"], letter["reason"]) for key, letter in letters.items()} == {
        ids["mention"]: ("indexer", "stage_error"),
        ids["language"]: ("indexer", "stage_error"),
        ids["trace"]: ("dedup", "stage_error"),
        ids["json"]: ("language", "bad_record"),
    }
    assert "KeyError" in letters[ids["mention"]]["error"]
    assert json.loads(letters[ids["trace"]]["payload"])["trace"] == 5
    documents = asyncio.run(fetch_documents(stack, {ids["good"]}, started))
    delete_documents(stack, {ids["good"]})
    assert set(documents) == {ids["good"]}
    for name in ("indexer", "dedup", "language"):
        assert httpx.get(f"{service_url(stack, name)}/health", timeout=5).status_code == 200
