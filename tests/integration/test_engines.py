"""The engines are the real ones: the official Elasticsearch build, and an Apache Kafka broker."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from elasticsearch import AsyncElasticsearch
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic

from akhbar import provision
from shared import index
from shared.settings import Settings

pytestmark = pytest.mark.integration


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


async def _with_es(settings: Settings, work):  # type: ignore[no-untyped-def]
    es: AsyncElasticsearch = index.client(settings)
    try:
        return await work(es)
    finally:
        await es.close()


def test_elasticsearch_is_the_official_distribution(engines: Settings) -> None:
    async def work(es: AsyncElasticsearch):  # type: ignore[no-untyped-def]
        # the Python client checks the X-Elastic-Product header on every answer; this passing
        # means the client accepted the server as genuine Elasticsearch
        health = await es.cluster.health()
        nodes = await es.nodes.info(node_id="_local")
        return health, next(iter(nodes["nodes"].values()))

    health, node = run(_with_es(engines, work))
    assert health["status"] in ("green", "yellow")
    expected = provision.pom_property(provision.ES_POM, "elasticsearch.version")
    if not engines.external_elasticsearch:
        assert node["version"] == expected
        assert node["build_flavor"] == "default"
        assert len(node["build_hash"]) == 40
        assert "akhbar-analysis" in {p["name"] for p in node["plugins"]}


def _analyze(settings: Settings, text: str) -> list[str]:
    async def work(es: AsyncElasticsearch):  # type: ignore[no-untyped-def]
        await index.ensure_index(es, settings.index_alias)
        result = await es.indices.analyze(index=settings.index_alias, analyzer="arabic_text", text=text)
        return [t["token"] for t in result["tokens"]]

    tokens: list[str] = run(_with_es(settings, work))
    return tokens


def test_arabic_analyzer_stems_and_normalises(engines: Settings) -> None:
    opponents = _analyze(engines, "والمعارضين")
    opposition = _analyze(engines, "المعارضة")
    assert opponents == opposition and len(opponents) == 1
    assert _analyze(engines, "٢٠١٦") == ["2016"]
    assert _analyze(engines, "إدلب") == _analyze(engines, "ادلب")


def test_kafka_topic_round_trip_with_kafka_python(engines: Settings) -> None:
    topic = f"akhbar-test-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=engines.kafka_bootstrap)
    admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
    try:
        producer = KafkaProducer(bootstrap_servers=engines.kafka_bootstrap, acks="all")
        producer.send(topic, key=b"k", value="مرحبا".encode(), headers=[("filename", b"a.txt")]).get(30)
        producer.close()
        consumer = KafkaConsumer(
            topic,
            bootstrap_servers=engines.kafka_bootstrap,
            auto_offset_reset="earliest",
            consumer_timeout_ms=20_000,
            group_id=f"{topic}-reader",
        )
        received = [(m.key, m.value.decode(), m.headers) for m in consumer]
        consumer.close()
        assert received == [(b"k", "مرحبا", [("filename", b"a.txt")])]
    finally:
        admin.delete_topics([topic])
        admin.close()
