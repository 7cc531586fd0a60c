"""Structured logs: one JSON object per line, with key=value context fields.

Call sites pass context as `extra={"article_id": ..., "topic": ..., "partition": ..., "offset": ...}`;
every field lands as a top-level key of the line, so logs can be filtered by article or stage.
"""

from __future__ import annotations

import json
import logging
import logging.config
import threading
import time
from typing import Any, TextIO

# Writing every line at once made each article's log line a write to supervisord's pipe in every
# stage, a tenth of a light stage's time; lines below WARNING now leave in chunks, at most this late.
FLUSH_SECONDS = 0.5
# a chunk is written sooner once it holds this many characters, so a burst cannot grow it without bound
CHUNK_CHARS = 65_536

# attributes every LogRecord has; anything else on a record came from `extra=` and is context
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class ChunkedStreamHandler(logging.StreamHandler[TextIO]):
    """Writes warnings and errors at once, and the lines before them with them; the rest every FLUSH_SECONDS.

    The handler holds the lines itself: the stream's own buffer is no help when PYTHONUNBUFFERED is
    set (as in the Docker image), where every write reaches the pipe. A `kill -9` loses at most the
    last FLUSH_SECONDS of info lines; what went wrong is never held back.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__(stream)
        self._chunk: list[str] = []
        self._chars = 0
        flusher = threading.Thread(target=self._flush_every, name="log-flusher", daemon=True)
        flusher.start()

    def _flush_every(self) -> None:
        while True:
            time.sleep(FLUSH_SECONDS)
            self.flush()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + self.terminator
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)
            return
        self._chunk.append(line)  # emit runs under the handler's lock, as flush does
        self._chars += len(line)
        if record.levelno >= logging.WARNING or self._chars >= CHUNK_CHARS:
            self.flush()

    def flush(self) -> None:
        with self.lock:  # type: ignore[union-attr]  # created by Handler.__init__
            if self._chunk:
                chunk, self._chunk, self._chars = "".join(self._chunk), [], 0
                try:
                    self.stream.write(chunk)
                except Exception:  # a closed or broken stream must not take the service down
                    return
            super().flush()


def logging_config(service: str, level: str = "INFO") -> dict[str, Any]:
    """A dictConfig that sends every logger to stdout as JSON lines."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter, "service": service}},
        "handlers": {
            "stdout": {
                "()": ChunkedStreamHandler,
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        "root": {"level": level, "handlers": ["stdout"]},
        # the Kafka client libraries are chatty at INFO about routine reconnects
        "loggers": {
            "aiokafka": {"level": "WARNING"},
            "kafka": {"level": "WARNING"},
            "elastic_transport": {"level": "WARNING"},
        },
    }


def configure(service: str, level: str = "INFO") -> None:
    logging.config.dictConfig(logging_config(service, level))
