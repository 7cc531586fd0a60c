"""Whether a failed send to Kafka is worth retrying, decided from its real cause.

Faust wraps the producer's errors (`ProducerSendError(...) from exc`), aiokafka's delivery futures
carry theirs inside, and either may arrive chained (`__cause__`, `__context__`) or grouped. A record
Kafka will never take (too large, invalid, not authorised) must be dead-lettered, or its stage
retries it for ever and everything behind it waits; anything else is retried with backoff.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass

import aiokafka.errors as aiokafka_errors
import kafka.errors as kafka_python_errors

from shared.reasons import Reason

# the same errors in both clients: aiokafka (the services) and kafka-python (the tools)
_TOO_LARGE = tuple(
    getattr(module, name)
    for module in (aiokafka_errors, kafka_python_errors)
    for name in ("MessageSizeTooLargeError", "RecordTooLargeError", "RecordListTooLargeError")
    if hasattr(module, name)
)
_REFUSED = tuple(
    getattr(module, name)
    for module in (aiokafka_errors, kafka_python_errors)
    for name in (
        "InvalidTopicError",
        "CorruptRecordException",
        "InvalidTimestampError",
        "UnsupportedForMessageFormatError",
        "TopicAuthorizationFailedError",
        "ClusterAuthorizationFailedError",
        "TransactionalIdAuthorizationFailed",
        "PolicyViolationError",
        "InvalidRequestError",
    )
    if hasattr(module, name)
)


class RecordTooLarge(Exception):
    """Raised before sending: the encoded record is over what the topic takes."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the record is {size:,} bytes encoded, over the {limit:,} bytes Kafka takes")
        self.size, self.limit = size, limit


@dataclass(frozen=True)
class SendFailure:
    permanent: bool
    reason: Reason | None  # the dead letter's reason when permanent
    cause: BaseException  # the innermost error that decided it

    def describe(self) -> str:
        return f"{type(self.cause).__name__}: {self.cause}"


def causes(error: BaseException) -> Iterator[BaseException]:
    """The error and everything it wraps, outermost first, each once."""
    pending: list[BaseException] = [error]
    seen: set[int] = set()
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        for inner in (current.__cause__, current.__context__, _future_error(current)):
            if inner is not None:
                pending.append(inner)
        # some wrappers keep the original as their first argument instead of chaining it
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))


def _future_error(error: BaseException) -> BaseException | None:
    future = next((a for a in error.args if isinstance(a, asyncio.Future)), None)
    if future is None or not future.done() or future.cancelled():
        return None
    return future.exception()


def classify(error: BaseException) -> SendFailure:
    """Permanent when any cause is an error Kafka will answer the same way every time."""
    for cause in causes(error):
        if isinstance(cause, (RecordTooLarge, *_TOO_LARGE)):
            return SendFailure(True, Reason.TOO_LARGE, cause)
        if isinstance(cause, _REFUSED):
            return SendFailure(True, Reason.REJECTED_BY_KAFKA, cause)
    innermost = list(causes(error))[-1]
    return SendFailure(False, None, innermost)
