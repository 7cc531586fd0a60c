"""Structured logs: one JSON object per line, with key=value context fields.

Call sites pass context as `extra={"article_id": ..., "topic": ..., "partition": ..., "offset": ...}`;
every field lands as a top-level key of the line, so logs can be filtered by article or stage.
"""

from __future__ import annotations

import json
import logging
import logging.config
import time
from typing import Any

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


def logging_config(service: str, level: str = "INFO") -> dict[str, Any]:
    """A dictConfig that sends every logger to stdout as JSON lines."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter, "service": service}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
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
