"""What an input record says about itself: where it lies, and its headers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from faust.types import Message


def message_context(message: Message) -> dict[str, Any]:
    """key=value log fields that locate one input record."""
    return {"topic": message.topic, "partition": message.partition, "offset": message.offset}


def header(message: Message, name: str) -> str | None:
    """A header's value as text; Kafka headers are (name, bytes) pairs, names case-sensitive."""
    headers = message.headers or []
    pairs: Iterable[tuple[str, Any]] = headers.items() if isinstance(headers, Mapping) else headers
    for key, value in pairs:
        if key.lower() == name.lower() and value is not None:
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return None
