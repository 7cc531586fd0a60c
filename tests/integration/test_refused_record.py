"""One record the broker refuses leaves the producer able to send everything after it.

With idempotence, aiokafka and kafka-python both fail every later send to the refused record's
partition (`OutOfOrderSequenceNumber`, or the refusal again), so the stage that made the record
would retry for ever. Both of the project's producers are checked on a real broker: the services'
(built by Faust from `shared.service.create_app`) and the tools' (`akhbar ingest`).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator

import pytest
from aiokafka import AIOKafkaProducer
from kafka import KafkaAdminClient
from kafka.admin import NewTopic

from akhbar.ingest import producer as cli_producer
from shared.send_errors import classify
from shared.service import create_app
from shared.settings import Settings

pytestmark = pytest.mark.integration
TOPIC_LIMIT = 1_000_000


@pytest.fixture
def small_topic(engines: Settings) -> Iterator[str]:
    """A one-partition topic that takes records of at most 1 MB."""
    name = f"akhbar-test-refused-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=engines.kafka_bootstrap)
    admin.create_topics([NewTopic(name, 1, 1, topic_configs={"max.message.bytes": str(TOPIC_LIMIT)})])
    try:
        yield name
    finally:
        admin.delete_topics([name])
        admin.close()


def test_the_services_producer_sends_on_after_a_refused_record(engines: Settings, small_topic: str) -> None:
    async def send_all() -> list[BaseException | int]:
        app = create_app("language", engines)
        producer: AIOKafkaProducer = app.producer._new_producer()
        await producer.start()
        try:

            async def one(value: bytes) -> int:
                return (await (await producer.send(small_topic, value))).offset

            first = await asyncio.gather(
                one(b"before"), one(os.urandom(2 * TOPIC_LIMIT)), one(b"beside"), return_exceptions=True
            )
            return [*first, await one(b"after")]
        finally:
            await producer.stop()

    before, refused, beside, after = asyncio.run(asyncio.wait_for(send_all(), 120))
    assert isinstance(refused, BaseException) and classify(refused).permanent, refused
    assert [before, beside, after] == [0, 1, 2]


def test_the_tools_producer_sends_on_after_a_refused_record(engines: Settings, small_topic: str) -> None:
    producer = cli_producer(engines.kafka_bootstrap)
    try:
        futures = [producer.send(small_topic, v) for v in (b"before", os.urandom(2 * TOPIC_LIMIT), b"beside")]
        producer.flush(60)
        with pytest.raises(Exception) as refused:
            futures[1].get(1)
        assert classify(refused.value).permanent, refused.value
        offsets = [futures[0].get(1).offset, futures[2].get(1).offset]
        offsets.append(producer.send(small_topic, b"after").get(60).offset)
    finally:
        producer.close()
    assert offsets == [0, 1, 2]
