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
yielding a fetched batch when the flow stops or the generation changes, and relies on the
rebalance's seek to read them again, which a seek that already ran does not. After a `kill -9` of
dedup, records 236-512 of one partition were fetched, never handed to the stream, and never read
again; the commit stood at 236 and 277 articles waited for good. So a partition whose committed
offset stays behind its end while none of its records is in the stages' hands is read again from
that offset (`LostRecordWatch`).

Registered as the `akhbar://` broker scheme and used by every service.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, ClassVar

from faust.transport.drivers import TRANSPORTS
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP, ConsumerT, Message
from mode import Service

SCHEME = "akhbar"
log = logging.getLogger(__name__)
SKIP_GRACE_SECONDS = 5.0
# a partition with records behind its commit and none of them in a stage's hands for this long has
# lost them in Faust; far beyond a fetch, and short beside the minutes an operator would wait
LOST_AFTER_SECONDS = 20.0
WATCH_EVERY_SECONDS = 5.0


class LostRecordWatch:
    """Which partitions have records that were fetched but that no stage holds or will get.

    `observe` is given, per partition, the committed offset, the end of the partition, and whether
    any of its records is tracked by a stream now. A partition behind its end with nothing tracked
    for `LOST_AFTER_SECONDS` in a row is lost; it starts counting again once reported.
    """

    def __init__(self, lost_after: float = LOST_AFTER_SECONDS) -> None:
        self.lost_after = lost_after
        self._idle_since: dict[TP, float] = {}

    def observe(self, tp: TP, committed: int, end: int | None, busy: bool, now: float) -> bool:
        if end is None or committed >= end or busy:
            self._idle_since.pop(tp, None)
            return False
        since = self._idle_since.setdefault(tp, now)
        if now - since < self.lost_after:
            return False
        del self._idle_since[tp]
        return True

    def forget(self) -> None:
        """A rebalance seeks every partition to its commit: nothing idle is known any longer."""
        self._idle_since.clear()


class HandledOnlyConsumer(faust_aiokafka.Consumer):
    """Acknowledges a record only once a stage has handled it; see the module's docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._handled: defaultdict[TP, set[int]] = defaultdict(set)
        self._rereads: set[asyncio.Task[None]] = set()
        self._lost = LostRecordWatch()

    @Service.timer(WATCH_EVERY_SECONDS)
    async def _read_lost_partitions_again(self) -> None:
        if self.app.rebalancing or not self.flow_active:
            self._lost.forget()
            return
        now = time.monotonic()
        busy = {message.tp for message in list(self._unacked_messages)}
        for tp in self.assignment():
            if not self.app.topics.acks_enabled_for(tp.topic):
                continue  # changelogs are read by table recovery, not by a stage
            committed = self._committed_offset[tp]
            if committed is None:  # nothing handled here yet: Faust's first seek decides
                continue
            try:
                end = self.highwater(tp)
            except Exception:  # revoked between assignment() and here; a timer must never raise
                continue
            if not self._lost.observe(tp, committed, end, tp in busy, now):
                continue
            context = {"topic": tp.topic, "partition": tp.partition, "offset": committed}
            log.warning(
                "records after the commit were fetched but never reached the stage; reading again "
                "from offset %s",
                committed,
                extra=context,
            )
            try:
                await self.seek(tp, committed)
            except Exception:  # revoked meanwhile: its new owner reads it from the commit
                log.warning("could not seek back", exc_info=True, extra=context)

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
        restart = offset if committed is None else committed
        log.warning("record skipped by the stream; reading again from offset %d", restart, extra=context)
        try:
            await self.seek(tp, restart)
        except Exception:  # the partition may have been revoked meanwhile; its new owner reads it
            log.warning("could not seek back", exc_info=True, extra=context)

    def _new_offset(self, tp: TP) -> int | None:
        acked, committed = self._acked[tp], self._committed_offset[tp]
        # Faust's own check lets a single unacknowledged record through; gaps (offsets never
        # fetched, as transaction markers leave) are Faust's to fill in
        if acked and committed is not None and not self._gap[tp] and min(acked) > committed:
            return None
        offset: int | None = super()._new_offset(tp)
        return offset

    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        for tp in revoked:
            self._handled.pop(tp, None)
        await super().on_partitions_revoked(revoked)


class Transport(faust_aiokafka.Transport):
    Consumer: ClassVar[type[ConsumerT]] = HandledOnlyConsumer


TRANSPORTS.data[SCHEME] = f"{__name__}:Transport"
