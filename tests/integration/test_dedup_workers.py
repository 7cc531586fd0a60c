"""Dedup with two workers and four partitions: copies meet, and a restart loses no fingerprints.

A second dedup worker runs beside the stack's own (ports shifted by AKHBAR_PORT_OFFSET); articles go
straight to `articles.numbers` on chosen partitions and verdicts are read from `articles.enriched`.
The test articles are random text from the seeds' vocabulary with a fresh salt, so they match
nothing else in the shared state; their documents are deleted from the index at the end.
"""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from akhbar import local
from services.ingest.parsing import article_id
from shared import index, topics
from shared.arabic import tokens
from shared.schema import Article
from shared.settings import Settings

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
OFFSET = 100
SOURCE = "akhbar-test-dedup"
VOCABULARY = sorted(
    {w for p in (ROOT / "seeds").glob("*.txt") for w in tokens(p.read_text(encoding="utf-8"))}
)


def body(rng: random.Random, salt: str) -> str:
    paragraphs = [" ".join(rng.choice(VOCABULARY) for _ in range(60)) + "." for _ in range(5)]
    return f"{salt}\n\n" + "\n\n".join(paragraphs)


def exact_copy(text: str) -> str:
    return text.replace(".", " .") + " ..."  # the same words, another article id


def near_copy(text: str) -> str:
    paragraphs = text.split("\n\n")
    return "\n\n".join([*paragraphs[:-1], paragraphs[-1][: len(paragraphs[-1]) // 2]])


def article(text: str) -> Article:
    return Article(
        id=article_id(text),
        title="dedup worker test",
        body=text,
        source_file="test.txt",
        content_format="text",
        encoding="utf-8",
        ingested_at=time.time(),
        source=SOURCE,
    )


def wait_until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.5)


@pytest.fixture
def second_worker(stack: Settings, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    with local.extra_worker(stack, "dedup", OFFSET, tmp_path) as worker:
        yield worker


class Pipe:
    """Sends articles to chosen partitions of the dedup input and reads their verdicts."""

    def __init__(self, settings: Settings) -> None:
        self.producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
        self.consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, enable_auto_commit=False)
        partitions = self.consumer.partitions_for_topic(topics.ARTICLES_ENRICHED) or set()
        self.consumer.assign([TopicPartition(topics.ARTICLES_ENRICHED, p) for p in partitions])
        self.consumer.seek_to_end()
        for tp in self.consumer.assignment():
            self.consumer.position(tp)  # resolve the end now, before anything is sent
        self.verdicts: dict[str, dict[str, Any]] = {}
        self.sent: list[str] = []

    def send(self, pairs: list[tuple[Article, int]]) -> None:
        for item, partition in pairs:
            self.producer.send(
                topics.ARTICLES_NUMBERS, key=item.id.encode(), value=item.dumps(), partition=partition
            )
            self.sent.append(item.id)
        self.producer.flush()

    def collect(self, ids: set[str], timeout: float) -> dict[str, dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while not ids <= set(self.verdicts) and time.monotonic() < deadline:
            for records in self.consumer.poll(timeout_ms=500).values():
                for record in records:
                    value = json.loads(record.value)
                    if value.get("source") == SOURCE:
                        self.verdicts[value["id"]] = value["dedup"]
        missing = ids - set(self.verdicts)
        assert not missing, f"no verdict after {timeout:.0f} s for {sorted(missing)}"
        return {i: self.verdicts[i] for i in ids}

    def close(self, settings: Settings) -> None:
        self.producer.close()
        self.consumer.close()
        asyncio.run(delete_documents(settings, self.sent))


async def delete_documents(settings: Settings, ids: list[str]) -> None:
    es = index.client(settings)
    try:
        await asyncio.sleep(3)  # the indexer may still be writing the last ones
        # a bulk delete: this Elasticsearch build has no _delete_by_query
        await es.bulk(
            operations=[{"delete": {"_index": settings.index_alias, "_id": i}} for i in ids], refresh=True
        )
    finally:
        await es.close()


@pytest.fixture
def pipe(stack: Settings) -> Iterator[Pipe]:
    connection = Pipe(stack)
    try:
        yield connection
    finally:
        connection.close(stack)


def test_copies_sent_at_once_to_different_partitions_meet_and_a_restart_loses_nothing(
    stack: Settings, second_worker: subprocess.Popen[bytes], pipe: Pipe
) -> None:
    rng = random.Random()
    salt = uuid.uuid4().hex
    originals = [body(rng, f"{salt}-{n}") for n in range(8)]

    # at the same moment, each text and its two copies on three different partitions
    groups = [[article(t), article(exact_copy(t)), article(near_copy(t))] for t in originals[:4]]
    pipe.send([(item, (g + k) % 4) for g, group in enumerate(groups) for k, item in enumerate(group)])
    verdicts = pipe.collect({item.id for group in groups for item in group}, 60)
    heads = {article_id(t) for t in originals[4:]}
    for group in groups:
        found = [verdicts[item.id] for item in group]
        firsts = [item.id for item, v in zip(group, found, strict=True) if v["status"] == "unique"]
        assert len(firsts) == 1, found
        assert all(v["duplicate_of"] == firsts[0] for v in found if v["status"] != "unique"), found
        assert {v["status"] for v in found} <= {"unique", "exact", "near"}, found
        assert len({v["cluster_id"] for v in found}) == 1, found
        heads.add(firsts[0])

    # the other originals, then their copies while the workers restart one after the other
    pipe.send([(article(t), n % 4) for n, t in enumerate(originals[4:])])
    pipe.collect({article_id(t) for t in originals[4:]}, 60)
    copies = [article(exact_copy(t + " " + str(n))) for n in range(3) for t in originals]
    waves = [copies[i : i + len(originals)] for i in range(0, len(copies), len(originals))]
    pipe.send([(item, n % 4) for n, item in enumerate(waves[0])])
    restart = subprocess.Popen([str(Path(sys.prefix) / "bin" / "akhbar"), "restart", "dedup"])
    time.sleep(2)
    pipe.send([(item, n % 4) for n, item in enumerate(waves[1])])
    assert restart.wait(120) == 0
    second_worker.terminate()
    pipe.send([(item, n % 4) for n, item in enumerate(waves[2])])
    second_worker.wait(30)
    verdicts = pipe.collect({item.id for item in copies}, 120)
    wrong = {i: v for i, v in verdicts.items() if v["status"] != "near" or v["duplicate_of"] not in heads}
    assert not wrong
