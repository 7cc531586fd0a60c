"""Faust's Kafka transport with a consumer that commits only handled records.

The producer is Faust's own, with `acks=all` (shared/service.py) and without idempotence, on
purpose: with aiokafka's idempotent producer, one batch the broker refuses for good (a record over
the topic's `max.message.bytes`) leaves the partition's sequence numbers broken, and every later
send to that partition fails with `OutOfOrderSequenceNumber` for as long as the process lives, so
the stage that made the record retries for ever. Measured with aiokafka 0.14: refused record, then
three small ones, all `OutOfOrderSequenceNumber`; without idempotence the three are written. A send
retried after a lost acknowledgement may write a record twice; every consumer tolerates that, as it
does a record read again after a crash (the index's document id is the article's id).

Faust's consumer commits offsets that nobody handled, in two ways (faust-streaming 0.15): a stream
acknowledges a record it skips because it arrived while flow was paused or from an older
generation, and the commit passes over a single unacknowledged offset (`min(acked) - committed > 1`).
After a `kill -9` and recovery, a record of the input was skipped once and never read again. Here
only records that a stage marked as handled are acknowledged, the commit never passes the first
unhandled offset, and a partition with a skipped record is read again from its committed offset.

Faust also drops fetched records without acknowledging them at all: `Consumer.getmany` stops
yielding a fetched batch when the flow stops or the generation changes, and skips a partition that
is not active, relying on a rebalance's seek to read them again; when that seek ran before, they
are never read. Here each fetch is compared with what `getmany` handed on, and a partition with
records it dropped is read again from its commit (never further on, so no record can be passed
over). Reading again must also lower the partition's read offset, below which Faust's fetch loop
drops every record as already seen; it is done between two fetches, where that loop cannot raise
it again. Other losses leave one sign: the record at a partition's commit was fetched, and is
neither waiting in a stream's queue, nor in a stage's hands, nor done. After a `kill -9` of dedup
a commit stood at 236 with 277 records behind it and none of those signs; every
`WATCH_EVERY_SECONDS` the record at each commit is looked for, and a partition where it is missing
twice in a row is read again from its commit.

Faust takes a jump in the offsets it fetches for offsets without records and lets the commit pass
them (`_add_gap`); on the pipeline's topics, which have no transactions and no compaction, a jump
is records its fetch loop passed over after a seek: they stay unhandled and are read again.

Registered as the `akhbar://` broker scheme and used by every service.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import Any, ClassVar

from faust.transport.drivers import TRANSPORTS
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP, ConsumerT, Message
from mode import Service

SCHEME = "akhbar"
log = logging.getLogger(__name__)
SKIP_GRACE_SECONDS = 5.0
# how often the record at each commit is looked for; lost once missing at two checks in a row, so
# after 5 to 10 s, far beyond the milliseconds a record spends between Faust's hands
WATCH_EVERY_SECONDS = 5.0


def first_dropped(fetched: Mapping[TP, range], handed_on: Mapping[TP, int]) -> dict[TP, int]:
    """For each partition whose fetched records were not all handed on, the first one that was not."""
    return {
        tp: max(offsets.start, handed_on.get(tp, -1) + 1)
        for tp, offsets in fetched.items()
        if handed_on.get(tp, -1) < offsets.stop - 1
    }


def lost_commits(
    commits: Mapping[TP, int | None], fetched_up_to: Mapping[TP, int], held: Callable[[TP, int], bool]
) -> dict[TP, int]:
    """The partitions whose record at the commit was fetched but is held nowhere, with that offset.

    Such a record is never handed to a stage again unless the partition is read again: the
    consumer's position is past it, and the commit cannot pass it.
    """
    return {
        tp: commit
        for tp, commit in commits.items()
        if commit is not None and fetched_up_to.get(tp, -1) >= commit and not held(tp, commit)
    }


class CommitWatch:
    """Confirms a lost record only when the same commit was found lost at the previous check too."""

    def __init__(self) -> None:
        self._suspects: dict[TP, int] = {}

    def confirm(self, lost: Mapping[TP, int]) -> dict[TP, int]:
        confirmed = {tp: offset for tp, offset in lost.items() if self._suspects.get(tp) == offset}
        self._suspects = {tp: offset for tp, offset in lost.items() if tp not in confirmed}
        return confirmed

    def forget(self) -> None:
        """A rebalance seeks every partition to its commit: nothing suspected holds any longer."""
        self._suspects.clear()


class HandledOnlyConsumer(faust_aiokafka.Consumer):
    """Acknowledges a record only once a stage has handled it; see the module's docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._handled: defaultdict[TP, set[int]] = defaultdict(set)
        self._rereads: set[asyncio.Task[None]] = set()
        self._fetched: dict[TP, range] = {}  # the offsets of each partition in the latest fetch
        self._fetched_up_to: dict[TP, int] = {}  # the highest offset fetched since the last seek
        self._handing_on = False  # the latest fetch is being handed to the streams
        self._in_delivery: Message | None = None  # the record Faust is putting in a stream's queue
        self._requested: dict[TP, tuple[int, str]] = {}  # partitions to read again, from, and why
        self._watch = CommitWatch()

    async def _wait_next_records(self, timeout: float) -> Any:
        records, active = await super()._wait_next_records(timeout)
        self._fetched = {
            tp: range(batch[0].offset, batch[-1].offset + 1) for tp, batch in (records or {}).items() if batch
        }
        for tp, offsets in self._fetched.items():
            self._fetched_up_to[tp] = max(self._fetched_up_to.get(tp, -1), offsets.stop - 1)
        return records, active

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Message]]:
        handed_on: dict[TP, int] = {}
        self._handing_on = True
        try:
            async for tp, message in super().getmany(timeout):
                self._in_delivery = message
                yield tp, message
                self._in_delivery = None
                # handed on only if the flow went on: a stop cancels the stream's callback for it
                if self.flow_active:
                    handed_on[tp] = message.offset
        finally:
            self._handing_on, self._in_delivery = False, None
        if self.should_stop:
            return  # stopping: the next owner reads every partition from its commit
        for tp, offset in first_dropped(self._fetched, handed_on).items():
            self._request_read_again(tp, offset, "fetched records were dropped before the stage saw them")
        # here, between two fetches, Faust's fetch loop is not setting the partition's read offset
        requested, self._requested = self._requested, {}
        for tp, (offset, why) in requested.items():
            await self._read_again(tp, offset, why)

    def _request_read_again(self, tp: TP, first_unread: int, why: str) -> None:
        earlier = self._requested.get(tp)
        if earlier is None or first_unread < earlier[0]:
            self._requested[tp] = (first_unread, why)

    async def _read_again(self, tp: TP, first_unread: int, why: str) -> None:
        """Read the partition again from its commit, or from `first_unread` if that is earlier.

        Never from further on, so no record can be passed over; what is read twice is tolerated. No
        commit yet means from the beginning, as `consumer_auto_offset_reset=earliest` does.
        """
        if tp not in self.assignment() or not self.app.topics.acks_enabled_for(tp.topic):
            return  # its new owner reads it from the commit; a changelog is the tables' to read
        committed = self._committed_offset[tp]
        offset = min(first_unread, 0 if committed is None else committed)
        context = {"topic": tp.topic, "partition": tp.partition, "offset": offset}
        log.warning("%s; reading again from offset %d", why, offset, extra=context)
        try:
            # on the consumer's own thread, as Faust seeks: aiokafka's fetcher is not thread-safe
            await self.seek_wait({tp: offset})
        except Exception:  # revoked meanwhile: its new owner reads it from the commit
            log.warning("could not seek back", exc_info=True, extra=context)
            return
        # Faust's fetch loop drops every record below the partition's read offset: without this,
        # the records read again were dropped as already seen (as Faust's own `seek` does it)
        self._read_offset[tp] = offset if offset else None
        self._fetched_up_to.pop(tp, None)

    @Service.timer(WATCH_EVERY_SECONDS)
    async def _watch_commits(self) -> None:
        self.look_for_lost_commits()

    def look_for_lost_commits(self) -> None:
        """Read again each partition whose record at the commit was found lost at this check and the last."""
        if self.app.rebalancing or not self.flow_active or not self.app.flow_control.is_active():
            self._watch.forget()
            return
        commits = {
            tp: self._committed_offset[tp]
            for tp in self.assignment()
            if self.app.topics.acks_enabled_for(tp.topic)  # changelogs are the tables' to read
        }
        lost = self._watch.confirm(lost_commits(commits, self._fetched_up_to, self.holds))
        for tp, offset in lost.items():
            self._request_read_again(tp, offset, "the record at the commit was fetched but nothing holds it")

    def holds(self, tp: TP, offset: int) -> bool:
        """Whether the record is somewhere on its way to a stage, in a stage's hands, or done."""
        if offset in self._acked_index[tp] or offset in self._handled[tp]:
            return True
        if self._handing_on and offset in self._fetched.get(tp, range(0)):
            return True
        delivering = self._in_delivery
        if delivering is not None and (delivering.tp, delivering.offset) == (tp, offset):
            return True
        if any((message.tp, message.offset) == (tp, offset) for message in list(self._unacked_messages)):
            return True  # a stream took it and has not acknowledged it yet
        return any(
            (event.message.tp, event.message.offset) == (tp, offset)
            for channel in list(self.app.topics)
            if tp.topic in getattr(channel, "topics", ())
            # the events waiting for the stream (asyncio.Queue's own deque: it has no public view)
            for event in list(channel.queue._queue)  # type: ignore[attr-defined]
        )

    def handled(self, messages: Iterable[Message]) -> None:
        """The stage is done with these records: what it produced from them is in Kafka."""
        for message in messages:
            self._handled[message.tp].add(message.offset)

    def ack(self, message: Message) -> bool:
        if not self.app.topics.acks_enabled_for(message.topic):
            return super().ack(message)
        handled = self._handled[message.tp]
        if message.offset not in handled:
            self._skipped(message)
            return False
        handled.discard(message.offset)
        return super().ack(message)

    def _skipped(self, message: Message) -> None:
        """Faust let go of a record the stage has not handled: read it again unless it is handled soon.

        A record that failed to decode is acknowledged by Faust before the stage dead-letters it, so
        a refusal alone is no proof of a skip; `SKIP_GRACE_SECONDS` later, it is.
        """
        task = asyncio.ensure_future(self._read_again_if_lost(message.tp, message.offset))
        self._rereads.add(task)
        task.add_done_callback(self._rereads.discard)

    async def _read_again_if_lost(self, tp: TP, offset: int) -> None:
        await asyncio.sleep(SKIP_GRACE_SECONDS)
        committed = self._committed_offset[tp]
        context = {"topic": tp.topic, "partition": tp.partition, "offset": offset}
        if offset in self._acked_index[tp] or (committed is not None and committed > offset):
            return
        if self.app.rebalancing or tp not in self.assignment():
            # nothing after it was committed: whoever owns the partition next reads it again
            log.info("record not handled before the rebalance; it will be read again", extra=context)
            return
        self._request_read_again(tp, offset, "record skipped by the stream")

    async def _add_gap(self, tp: TP, offset_from: int, offset_to: int) -> None:
        """Faust's fetch loop takes a jump past its read offset for offsets that hold no record
        (transaction markers, compaction) and lets the commit pass them as if handled. The
        pipeline's topics have neither, so a jump there is records the loop passed over: a batch
        fetched before a rebalance's seek, handed on after it. After a `kill -9` of dedup, 44
        articles were committed that way and never fingerprinted. Here they stay unhandled, and
        are read again once the batch is handed on."""
        if not self.app.topics.acks_enabled_for(tp.topic):
            await super()._add_gap(tp, offset_from, offset_to)
            return
        self._request_read_again(tp, offset_from, "the fetch loop passed over records")

    def _new_offset(self, tp: TP) -> int | None:
        acked, committed = self._acked[tp], self._committed_offset[tp]
        # Faust's own check lets a single unacknowledged record through (the pipeline's topics
        # keep no gaps for it to fill in: see _add_gap)
        if acked and committed is not None and min(acked) > committed:
            return None
        offset: int | None = super()._new_offset(tp)
        return offset

    async def perform_seek(self) -> None:
        await super().perform_seek()
        # every partition is read from its commit now: what was fetched before tells nothing
        self._fetched_up_to.clear()
        self._watch.forget()

    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        for tp in revoked:
            self._handled.pop(tp, None)
            self._fetched_up_to.pop(tp, None)
            self._requested.pop(tp, None)
        await super().on_partitions_revoked(revoked)


class Transport(faust_aiokafka.Transport):
    Consumer: ClassVar[type[ConsumerT]] = HandledOnlyConsumer


TRANSPORTS.data[SCHEME] = f"{__name__}:Transport"
