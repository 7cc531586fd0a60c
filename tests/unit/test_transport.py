"""The consumer commits only records a stage handled, and never passes over one that it did not."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import faust
import pytest
from faust.transport.consumer import ConsumerMessage
from faust.types import TP

from shared import transport
from shared.transport import HandledOnlyConsumer

TOPIC = "articles.numbers"
PARTITION = TP(TOPIC, 0)


@pytest.fixture
def consumer() -> Iterator[HandledOnlyConsumer]:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    app = faust.App("transport-test", broker=f"{transport.SCHEME}://127.0.0.1:1", store="memory://")
    app.topics._acking_topics.add(TOPIC)  # type: ignore[attr-defined]  # as for a topic an agent reads
    consumer = app.consumer
    assert isinstance(consumer, HandledOnlyConsumer)
    yield consumer
    for reread in consumer._rereads:  # the re-read after a refusal wants a running consumer
        reread.cancel()
    loop.run_until_complete(asyncio.gather(*consumer._rereads, return_exceptions=True))
    loop.close()


def message(offset: int) -> ConsumerMessage:
    return ConsumerMessage(TOPIC, 0, offset, 0.0, 0, [], b"k", b"v", None, 1, 1, tp=PARTITION)


def test_a_handled_record_is_committable(consumer: HandledOnlyConsumer) -> None:
    consumer._committed_offset[PARTITION] = 10
    records = [message(10), message(11)]
    consumer.handled(records)
    assert all(consumer.ack(record) for record in records)
    assert consumer._new_offset(PARTITION) == 12


def test_a_record_acknowledged_without_being_handled_is_refused_and_holds_the_commit(
    consumer: HandledOnlyConsumer,
) -> None:
    consumer._committed_offset[PARTITION] = 10
    skipped, later = message(10), [message(11), message(12)]
    assert consumer.ack(skipped) is False  # as Faust's stream does with a record it skips
    consumer.handled(later)
    assert all(consumer.ack(record) for record in later)
    assert consumer._new_offset(PARTITION) is None
    consumer.handled([message(10)])  # read again after the seek, and handled this time
    assert consumer.ack(message(10))
    assert consumer._new_offset(PARTITION) == 13


def test_the_commit_never_passes_one_unacknowledged_record(consumer: HandledOnlyConsumer) -> None:
    consumer._committed_offset[PARTITION] = 182
    later = [message(183), message(184)]
    consumer.handled(later)
    assert all(consumer.ack(record) for record in later)
    # Faust's own check (`min(acked) - committed > 1`) would commit 185 here, past record 182
    assert consumer._new_offset(PARTITION) is None


def test_a_partition_behind_its_end_with_nothing_in_hand_is_lost_after_the_wait() -> None:
    watch = transport.LostRecordWatch(lost_after=20)
    assert not watch.observe(PARTITION, committed=236, end=513, busy=False, now=100)
    assert not watch.observe(PARTITION, committed=236, end=513, busy=False, now=119)
    assert watch.observe(PARTITION, committed=236, end=513, busy=False, now=120)
    # reported once; it counts again from there, so a seek that did not help is retried
    assert not watch.observe(PARTITION, committed=236, end=513, busy=False, now=121)
    assert watch.observe(PARTITION, committed=236, end=513, busy=False, now=141)


@pytest.mark.parametrize(
    ("committed", "end", "busy"),
    [
        (513, 513, False),  # everything committed
        (236, 513, True),  # a stage holds one of its records: slow work, not loss
        (236, None, False),  # nothing fetched yet
    ],
)
def test_a_partition_is_never_lost_while_caught_up_or_in_hand(
    committed: int, end: int | None, busy: bool
) -> None:
    watch = transport.LostRecordWatch(lost_after=20)
    assert not any(watch.observe(PARTITION, committed, end, busy, now) for now in range(0, 100, 5))


def test_work_in_hand_starts_the_wait_again() -> None:
    watch = transport.LostRecordWatch(lost_after=20)
    watch.observe(PARTITION, 236, 513, busy=False, now=0)
    watch.observe(PARTITION, 236, 513, busy=True, now=15)
    assert not watch.observe(PARTITION, 236, 513, busy=False, now=30)
    assert watch.observe(PARTITION, 236, 513, busy=False, now=50)


def test_a_rebalance_forgets_what_was_idle() -> None:
    watch = transport.LostRecordWatch(lost_after=20)
    watch.observe(PARTITION, 236, 513, busy=False, now=0)
    watch.forget()
    assert not watch.observe(PARTITION, 236, 513, busy=False, now=25)


def test_the_consumer_watches_for_lost_records(consumer: HandledOnlyConsumer) -> None:
    assert "_read_lost_partitions_again" in type(consumer)._tasks[f"{transport.__name__}.HandledOnlyConsumer"]
