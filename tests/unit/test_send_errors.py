"""Send failures are permanent or transient by their real cause, however Faust or aiokafka wrap it."""

from __future__ import annotations

import asyncio

import aiokafka.errors as aiokafka_errors
import kafka.errors as kafka_python_errors
from faust.exceptions import ProducerSendError

from shared.reasons import Reason
from shared.send_errors import RecordTooLarge, causes, classify


def wrapped(inner: BaseException, outer: type[Exception] = ProducerSendError) -> Exception:
    """As Faust's producer does it: `raise ProducerSendError(...) from exc`."""
    try:
        try:
            raise inner
        except BaseException as exc:
            raise outer(f"Error while sending: {exc!r}") from exc
    except Exception as exc:
        return exc


def test_a_too_large_record_wrapped_by_faust_is_permanent() -> None:
    failure = classify(wrapped(aiokafka_errors.MessageSizeTooLargeError()))
    assert failure.permanent and failure.reason is Reason.TOO_LARGE
    assert isinstance(failure.cause, aiokafka_errors.MessageSizeTooLargeError)


def test_doubly_wrapped_is_still_found() -> None:
    error = wrapped(wrapped(aiokafka_errors.RecordTooLargeError("too big")), RuntimeError)
    assert classify(error).reason is Reason.TOO_LARGE


def test_an_error_kept_as_an_argument_or_implicitly_chained_is_found() -> None:
    as_argument = ProducerSendError(aiokafka_errors.TopicAuthorizationFailedError())
    assert classify(as_argument).reason is Reason.REJECTED_BY_KAFKA
    try:
        try:
            raise aiokafka_errors.CorruptRecordException()
        except Exception:
            raise ValueError("while handling it") from None
    except ValueError as exc:
        exc.__context__ = aiokafka_errors.CorruptRecordException()
        assert classify(exc).reason is Reason.REJECTED_BY_KAFKA


def test_a_delivery_future_carrying_the_error_is_looked_into() -> None:
    loop = asyncio.new_event_loop()
    try:
        future: asyncio.Future[None] = loop.create_future()
        future.set_exception(aiokafka_errors.MessageSizeTooLargeError())
        assert classify(ProducerSendError("send failed", future)).reason is Reason.TOO_LARGE
    finally:
        loop.close()


def test_kafka_python_errors_count_too() -> None:
    assert classify(kafka_python_errors.MessageSizeTooLargeError()).reason is Reason.TOO_LARGE
    assert classify(kafka_python_errors.TopicAuthorizationFailedError()).permanent


def test_our_own_size_check_is_permanent() -> None:
    failure = classify(RecordTooLarge(60_000_000, 52_000_000))
    assert failure.permanent and failure.reason is Reason.TOO_LARGE
    assert "60,000,000 bytes" in failure.describe()


def test_transient_errors_are_retried_and_name_their_innermost_cause() -> None:
    for transient in (
        aiokafka_errors.KafkaTimeoutError(),
        aiokafka_errors.NotLeaderForPartitionError(),
        aiokafka_errors.KafkaConnectionError("broker gone"),
        ConnectionResetError(),
    ):
        failure = classify(wrapped(transient))
        assert not failure.permanent and failure.reason is None
        assert failure.cause is transient


def test_a_group_with_one_permanent_error_is_permanent() -> None:
    group = ExceptionGroup(
        "sends", [aiokafka_errors.KafkaTimeoutError(), aiokafka_errors.InvalidTopicError()]
    )
    assert classify(group).reason is Reason.REJECTED_BY_KAFKA


def test_a_cycle_of_causes_ends() -> None:
    first, second = ValueError("a"), ValueError("b")
    first.__cause__, second.__cause__ = second, first
    assert [str(e) for e in causes(first)] == ["a", "b"]
    assert not classify(first).permanent
