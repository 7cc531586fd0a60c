import io
import json
import logging
import time

from shared.logs import CHUNK_CHARS, FLUSH_SECONDS, ChunkedStreamHandler, JsonFormatter


def test_a_log_line_is_one_json_object_with_its_context_fields() -> None:
    record = logging.LogRecord("shared.stage", logging.INFO, __file__, 1, "processed %s", ("x",), None)
    record.article_id = "abc"
    record.partition = 3
    line = JsonFormatter("language").format(record)
    data = json.loads(line)
    assert "\n" not in line
    assert data["msg"] == "processed x" and data["level"] == "info" and data["service"] == "language"
    assert data["article_id"] == "abc" and data["partition"] == 3
    assert data["ts"].endswith("Z")


class CountingStream(io.StringIO):
    """A stream that counts the writes reaching it, as an unbuffered pipe would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def _logger(stream: CountingStream) -> tuple[logging.Logger, ChunkedStreamHandler]:
    handler = ChunkedStreamHandler(stream)
    handler.setFormatter(JsonFormatter("language"))
    logger = logging.getLogger(f"test-chunked-{id(stream)}")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger, handler


def test_info_lines_wait_for_the_next_chunk_and_leave_in_one_write() -> None:
    stream = CountingStream()
    logger, handler = _logger(stream)
    for n in range(50):
        logger.info("processed %d", n)
    handler.flush()
    assert stream.writes <= 2  # one, or two if the flusher thread woke up meanwhile
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["msg"] for line in lines] == [f"processed {n}" for n in range(50)]


def test_a_warning_leaves_at_once_with_the_lines_before_it() -> None:
    stream = CountingStream()
    logger, _handler = _logger(stream)
    logger.info("processed")
    logger.warning("dead-lettered")
    assert [json.loads(line)["msg"] for line in stream.getvalue().splitlines()] == [
        "processed",
        "dead-lettered",
    ]


def test_a_burst_is_written_before_the_chunk_grows_past_its_limit() -> None:
    stream = CountingStream()
    logger, handler = _logger(stream)
    for _ in range(CHUNK_CHARS // 100):  # each line is longer than 100 characters with its fields
        logger.info("x" * 100)
    assert 1 <= stream.writes <= 3
    assert len(handler._chunk) < CHUNK_CHARS // 100


def test_the_flusher_thread_writes_held_lines_within_its_interval() -> None:
    stream = CountingStream()
    logger, _handler = _logger(stream)
    logger.info("processed")
    deadline = time.monotonic() + FLUSH_SECONDS * 4
    while stream.writes == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert json.loads(stream.getvalue())["msg"] == "processed"
