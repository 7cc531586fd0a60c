"""The dead-letter record and header reading, on Faust's own Message type (no broker needed)."""

import asyncio
import base64
import json

import faust
from faust.types import TP, Message

from shared.faust_overrides.topic import DeadLetteringTopic
from shared.observability import Metrics
from shared.records import header
from shared.schema import Article, DeadLetter
from shared.settings import Settings
from shared.stage import DEAD_LETTER_PAYLOAD_BYTES, Stage, dead_letter


def message(value: bytes | None, headers: list[tuple[str, bytes]] | None = None) -> Message:
    return Message(
        topic="ingest.files",
        partition=2,
        offset=41,
        timestamp=0.0,
        timestamp_type=0,
        headers=headers or [],
        key=b"k1",
        value=value,
        checksum=None,
    )


def test_text_payload_is_kept_as_text() -> None:
    letter = dead_letter("ingest", message("نص".encode()), "empty", "the file is empty", "a.txt")
    assert (letter.payload, letter.payload_encoding) == ("نص", "utf-8")
    assert (letter.topic, letter.partition, letter.offset, letter.key) == ("ingest.files", 2, 41, "k1")
    assert letter.stage == "ingest" and letter.reason == "empty" and letter.filename == "a.txt"


def test_binary_payload_survives_as_base64() -> None:
    raw = b"\x89PNG\r\n\x1a\n\xff\x00"
    letter = dead_letter("ingest", message(raw), "binary", "an image")
    assert letter.payload_encoding == "base64"
    assert base64.b64decode(letter.payload) == raw


def test_dead_letter_round_trips_as_plain_json() -> None:
    letter = dead_letter("dedup", message(b"{}"), "stage_error", "KeyError: x")
    data = json.loads(letter.dumps())
    assert "__faust" not in data
    assert DeadLetter.loads(letter.dumps()).reason == "stage_error"


def test_header_lookup_ignores_case_and_decodes() -> None:
    msg = message(b"x", [("Filename", "خبر.txt".encode()), ("content-type", b"text/plain")])
    assert header(msg, "filename") == "خبر.txt"
    assert header(msg, "Content-Type") == "text/plain"
    assert header(msg, "missing") is None


def test_a_large_payload_is_cut_to_its_head_on_a_character_boundary() -> None:
    raw = ("ب" * 40_000).encode()  # 80,000 bytes, two a letter
    letter = dead_letter("ingest", message(raw), "too_large", "over the limit")
    assert letter.payload_truncated and letter.payload_bytes == 80_000
    assert letter.payload_encoding == "utf-8" and set(letter.payload) == {"ب"}
    assert len(letter.payload.encode()) <= DEAD_LETTER_PAYLOAD_BYTES


def test_the_clone_an_agent_iterates_over_still_dead_letters_through_the_stage() -> None:
    app = faust.App("test-stage", broker="memory://", autodiscover=False)
    stage = Stage(app, "language", Settings(), Metrics("language-test"))
    topic = stage.article_topic("articles.raw")
    clone = topic.clone(is_iterator=True)
    assert isinstance(clone, DeadLetteringTopic) and clone.on_bad_record == stage.bad_record


def test_a_record_faust_cannot_decode_goes_to_the_callback_and_not_to_the_agent() -> None:
    """What DeadLetteringTopic relies on: Faust's conductor hands a value it cannot decode to the
    channel's `on_value_decode_error`, and puts nothing in the queue the agent reads."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    app = faust.App("test-topic", broker="akhbar://127.0.0.1:1", autodiscover=False)  # never connects
    refused: list[tuple[str, int]] = []

    async def bad_record(exc: Exception, record: Message) -> None:
        refused.append((type(exc).__name__, record.offset))

    topic = DeadLetteringTopic(
        app, topics=["ingest.files"], key_type=str, value_type=Article, on_bad_record=bad_record
    )
    clone = topic.clone(is_iterator=True)
    deliver = app.topics._build_handler(TP("ingest.files", 2), {clone})  # type: ignore[attr-defined]
    app.flow_control.resume()
    try:
        loop.run_until_complete(deliver(message(b"{not json")))
    finally:
        loop.close()
    assert refused == [("ValueDecodeError", 41)]
    assert clone.queue.empty()
