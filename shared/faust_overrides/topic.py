"""A Faust topic whose records that cannot be decoded go to a callback instead of the agent.

Faust's default for a value it cannot decode is to raise inside the agent; one malformed record
would then stop the stage. Relies on: `Topic.on_value_decode_error(exc, message)`, awaited by the
conductor for each such record after it acknowledged it, and `Topic._clone_args()`, the arguments
`clone()` passes on (an agent iterates over a clone of its topic).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import faust
from faust.types import Message

BadRecord = Callable[[Exception, Message], Awaitable[None]]


class DeadLetteringTopic(faust.Topic):
    def __init__(self, *args: Any, on_bad_record: BadRecord | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.on_bad_record = on_bad_record

    def _clone_args(self) -> Mapping[str, Any]:
        # without the callback, the clone gave the error to the stream, and the record was neither
        # dead-lettered nor committed
        return {**super()._clone_args(), "on_bad_record": self.on_bad_record}

    async def on_value_decode_error(self, exc: Exception, message: Message) -> None:
        if self.on_bad_record is None:
            await super().on_value_decode_error(exc, message)
            return
        await self.on_bad_record(exc, message)
