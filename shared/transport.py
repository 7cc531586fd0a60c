"""Faust's Kafka transport with an idempotent producer and a consumer that commits only handled records.

Faust turns on idempotence only for exactly-once transactions; at-least-once delivery with retries
wants it too, so that a retried send can never write a record twice.

Faust's consumer commits offsets that nobody handled, in two ways (faust-streaming 0.15): a stream
acknowledges a record it skips because it arrived while flow was paused or from an older
generation, and the commit passes over a single unacknowledged offset (`min(acked) - committed > 1`).
After a `kill -9` and recovery, a record of the input was skipped once and never read again. Here
only records that a stage marked as handled are acknowledged, the commit never passes the first
unhandled offset, and a partition with a skipped record is read again from its committed offset.

Registered as the `akhbar://` broker scheme and used by every service.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from faust.transport.drivers import TRANSPORTS
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP, ConsumerT, Message, ProducerT

SCHEME = "akhbar"
log = logging.getLogger(__name__)
SKIP_GRACE_SECONDS = 5.0


class IdempotentProducer(faust_aiokafka.Producer):
    def _settings_extra(self) -> Mapping[str, Any]:
        return {**super()._settings_extra(), "acks": "all", "enable_idempotence": True}


class HandledOnlyConsumer(faust_aiokafka.Consumer):
    """Acknowledges a record only once a stage has handled it; see the module's docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._handled: defaultdict[TP, set[int]] = defaultdict(set)
        self._rereads: set[asyncio.Task[None]] = set()

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
    Producer: ClassVar[type[ProducerT]] = IdempotentProducer
    Consumer: ClassVar[type[ConsumerT]] = HandledOnlyConsumer


TRANSPORTS.data[SCHEME] = f"{__name__}:Transport"
