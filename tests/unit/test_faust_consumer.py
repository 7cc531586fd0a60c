"""The consumer commits only records a stage handled, and never passes over one that it did not."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from types import SimpleNamespace

import faust
import pytest
from aiokafka.structs import ConsumerRecord
from faust.transport.consumer import Consumer, ConsumerMessage
from faust.types import TP

from shared.faust_overrides import consumer as transport
from shared.faust_overrides.consumer import HandledOnlyConsumer
from shared.service import create_app
from shared.settings import Settings

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


def test_the_first_record_not_handed_on_is_found_per_partition() -> None:
    other = TP(TOPIC, 1)
    fetched = {PARTITION: range(236, 513), other: range(30, 41)}
    assert transport.first_dropped(fetched, {PARTITION: 512, other: 40}) == {}
    assert transport.first_dropped(fetched, {PARTITION: 300, other: 40}) == {PARTITION: 301}
    assert transport.first_dropped(fetched, {other: 40}) == {PARTITION: 236}


def fetching(
    consumer: HandledOnlyConsumer, monkeypatch: pytest.MonkeyPatch, offsets: range, committed: int | None
) -> list[tuple[TP, int]]:
    """Every fetch of the consumer returns these records of one partition; returns its seeks."""
    records = [
        ConsumerRecord(TOPIC, 0, offset, 0, 0, b"k", b"v", None, 1, 1, [])  # type: ignore[arg-type]
        for offset in offsets
    ]
    seeks: list[tuple[TP, int]] = []

    async def fetch(active_partitions: object, timeout: float) -> dict[TP, list[ConsumerRecord]]:
        return {PARTITION: records}

    async def seek_wait(partitions: dict[TP, int]) -> None:
        seeks.extend(partitions.items())

    monkeypatch.setattr(consumer, "_getmany", fetch)
    monkeypatch.setattr(consumer, "_get_active_partitions", lambda: {PARTITION})
    monkeypatch.setattr(consumer, "assignment", lambda: {PARTITION})
    monkeypatch.setattr(consumer, "highwater", lambda tp: offsets.stop)
    monkeypatch.setattr(consumer, "seek_wait", seek_wait)
    consumer._committed_offset[PARTITION] = committed
    return seeks


def drain_stopping_after(consumer: HandledOnlyConsumer, count: int) -> list[int]:
    """Offsets Faust's own getmany hands on when the flow stops after `count` of them."""

    async def drain() -> list[int]:
        handed_on = []
        async for _, message in consumer.getmany(timeout=1.0):
            handed_on.append(message.offset)
            if len(handed_on) == count:
                consumer.flow_active = False  # as a rebalance's stop_flow does
        return handed_on

    return asyncio.get_event_loop().run_until_complete(drain())


def test_records_faust_drops_mid_fetch_are_read_again_from_the_commit(
    consumer: HandledOnlyConsumer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given a fetch of ten records, Faust's getmany stops when the flow stops after the third; the
    third's stream callback is cancelled by the stop, so the partition is read again from its commit."""
    seeks = fetching(consumer, monkeypatch, range(236, 246), committed=230)
    assert drain_stopping_after(consumer, 3) == [236, 237, 238]
    assert seeks == [(PARTITION, 230)]


def test_a_partition_never_committed_is_read_again_from_its_beginning(
    consumer: HandledOnlyConsumer, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeks = fetching(consumer, monkeypatch, range(0, 10), committed=None)
    drain_stopping_after(consumer, 3)
    assert seeks == [(PARTITION, 0)]


def test_a_commit_past_the_dropped_records_is_not_trusted(
    consumer: HandledOnlyConsumer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Faust fills gaps in the offsets it saw; a commit beyond records never handed on is one of those
    seeks = fetching(consumer, monkeypatch, range(236, 246), committed=244)
    drain_stopping_after(consumer, 3)
    assert seeks == [(PARTITION, 238)]


def test_a_fetch_handed_on_whole_seeks_nothing(
    consumer: HandledOnlyConsumer, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeks = fetching(consumer, monkeypatch, range(10), committed=0)

    async def drain() -> int:
        return len([m async for _, m in consumer.getmany(timeout=1.0)])

    assert asyncio.get_event_loop().run_until_complete(drain()) == 10
    assert seeks == []


def test_reading_again_lowers_the_read_offset_below_which_faust_drops_records(
    consumer: HandledOnlyConsumer, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeks = fetching(consumer, monkeypatch, range(236, 246), committed=230)
    consumer._read_offset[PARTITION] = 245  # as Faust's fetch loop left it after the last record
    drain_stopping_after(consumer, 3)
    assert seeks == [(PARTITION, 230)]
    assert consumer._read_offset[PARTITION] == 230


def test_faust_still_drops_fetched_records_below_the_read_offset() -> None:
    """What `_read_again` lowers the read offset for; if a Faust upgrade changes it, look again."""
    fetch_loop = inspect.getsource(Consumer._drain_messages)
    assert "r_offset is None or offset >= r_offset" in fetch_loop
    assert "set_read_offset(tp, offset)" in fetch_loop


def test_a_commit_is_lost_when_its_record_was_fetched_and_nothing_holds_it() -> None:
    fetched_beyond, not_yet_fetched, never_committed, held = (TP(TOPIC, n) for n in range(4))
    commits = {fetched_beyond: 236, not_yet_fetched: 50, never_committed: None, held: 10}
    fetched_up_to = {fetched_beyond: 512, not_yet_fetched: 49, never_committed: 9, held: 12}
    lost = transport.lost_commits(commits, fetched_up_to, lambda tp, offset: tp == held)
    assert lost == {fetched_beyond: 236}


def test_a_lost_commit_is_confirmed_only_when_seen_twice_at_the_same_offset() -> None:
    watch = transport.CommitWatch()
    assert watch.confirm({PARTITION: 236}) == {}
    assert watch.confirm({PARTITION: 236}) == {PARTITION: 236}
    assert watch.confirm({PARTITION: 240}) == {}  # the commit moved: a new suspicion
    assert watch.confirm({}) == {}
    assert watch.confirm({PARTITION: 240}) == {}  # not seen at the check before
    watch.forget()
    assert watch.confirm({PARTITION: 240}) == {}


def watching(consumer: HandledOnlyConsumer, monkeypatch: pytest.MonkeyPatch, committed: int) -> None:
    monkeypatch.setattr(consumer, "assignment", lambda: {PARTITION})
    consumer.app.flow_control.resume()  # as recovery does once the partitions are assigned
    consumer._committed_offset[PARTITION] = committed
    consumer._fetched_up_to[PARTITION] = committed + 276


def test_a_partition_whose_commit_is_held_nowhere_is_read_again_after_two_checks(
    consumer: HandledOnlyConsumer, monkeypatch: pytest.MonkeyPatch
) -> None:
    watching(consumer, monkeypatch, committed=236)
    consumer.look_for_lost_commits()
    assert consumer._requested == {}
    consumer.look_for_lost_commits()
    assert [(tp, offset) for tp, (offset, _) in consumer._requested.items()] == [(PARTITION, 236)]


def test_a_record_waiting_in_a_streams_queue_is_not_lost(
    consumer: HandledOnlyConsumer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As while Elasticsearch is away: the indexer's queue is full and its commit stands still."""
    watching(consumer, monkeypatch, committed=236)
    channel = consumer.app.topic(TOPIC).clone(is_iterator=True)
    consumer.app.topics.add(channel)
    channel.queue.put_nowait(SimpleNamespace(message=message(236)))
    for _ in range(3):
        consumer.look_for_lost_commits()
    assert consumer._requested == {}
    assert not consumer.holds(PARTITION, 237)


def test_records_in_a_stages_hands_or_done_are_held(consumer: HandledOnlyConsumer) -> None:
    taken, done, handled = message(236), message(237), message(238)
    consumer._unacked_messages.add(taken)  # as a stream does when it takes a record
    consumer._committed_offset[PARTITION] = 236
    consumer.handled([done, handled])
    consumer.ack(done)
    assert all(consumer.holds(PARTITION, offset) for offset in (236, 237, 238))
    assert not consumer.holds(PARTITION, 239)


def test_records_the_fetch_loop_passed_over_are_no_gap_the_commit_may_pass(
    consumer: HandledOnlyConsumer,
) -> None:
    """After a kill -9 of dedup, a stale batch handed on after the rebalance's seek made Faust record
    offsets 237-299 as a gap, and the commit passed them unhandled: 44 articles never reached dedup."""
    consumer._committed_offset[PARTITION] = 236
    asyncio.get_event_loop().run_until_complete(consumer._add_gap(PARTITION, 237, 300))
    assert not consumer._gap[PARTITION]
    later = [message(300), message(301)]
    consumer.handled(later)
    assert all(consumer.ack(record) for record in later)
    assert consumer._new_offset(PARTITION) is None  # 236-299 were never handled
    assert [(tp, offset) for tp, (offset, _) in consumer._requested.items()] == [(PARTITION, 237)]
    changelog = TP("akhbar-dedup-dedup-articles-v4-changelog", 0)  # not read by a stage: Faust's rules
    asyncio.get_event_loop().run_until_complete(consumer._add_gap(changelog, 10, 20))
    assert consumer._gap[changelog]


def test_faust_still_records_a_jump_in_fetched_offsets_as_a_gap() -> None:
    """What `_add_gap` is overridden for; if a Faust upgrade changes it, look again."""
    assert "await self._add_gap(tp, r_offset + 1, offset)" in inspect.getsource(Consumer._drain_messages)


def test_the_services_producer_is_not_idempotent() -> None:
    """With idempotence, one refused record fails every later send to its partition (see the
    docstring of shared/faust_overrides/consumer.py)."""
    app = create_app("language", Settings.from_env({}))
    producer = app.producer
    config = {**producer._settings_default(), **producer._settings_extra()}  # as Faust builds aiokafka's
    assert config["acks"] == -1 and not config.get("enable_idempotence", False)
