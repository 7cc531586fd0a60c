"""What a stage is held on, and for how long: the record it is working on or whose send it retries.

A stage works through its input in order, so one record that takes long, or whose send keeps
failing, holds everything behind it. The stage says so while it lasts: `/ready` answers 503 naming
the record, `akhbar status` prints the line, `/metrics` has the seconds as a gauge.

Written from the stage's worker thread and read from the event loop: each update replaces one
dictionary entry, which is atomic in CPython, so no lock is needed.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Hold:
    doing: str  # "working on" or "sending"
    article_id: str | None
    topic: str
    partition: int
    offset: int
    since: float  # time.monotonic() when it began
    filename: str | None = None  # the file a record without a key carries (ingest.files)

    def seconds(self, now: float | None = None) -> float:
        return (time.monotonic() if now is None else now) - self.since

    def describe(self, now: float | None = None) -> str:
        """`stalled 95 s on <id> (articles.language/2@1234)`, as `akhbar status` shows it; a file
        dropped in by Kafka has no article id yet, and is named by its file name."""
        what = self.article_id or self.filename or "a record"
        retrying = ", retrying its send" if self.doing == "sending" else ""
        place = f"{self.topic}/{self.partition}@{self.offset}"
        return f"stalled {self.seconds(now):.0f} s on {what} ({place}){retrying}"

    def to_json(self, now: float | None = None) -> dict[str, Any]:
        return {
            "doing": self.doing,
            "article_id": self.article_id,
            "filename": self.filename,
            "topic": self.topic,
            "partition": self.partition,
            "offset": self.offset,
            "seconds": round(self.seconds(now), 1),
        }


class StallWatch:
    """The holds a stage has now; one of them older than `threshold` seconds is a stall."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self._holds: dict[int, Hold] = {}
        self._tickets = itertools.count()

    def hold(self, hold: Hold) -> int:
        """Start a hold; returns the ticket that ends it."""
        ticket = next(self._tickets)
        self._holds[ticket] = hold
        return ticket

    def release(self, ticket: int) -> None:
        self._holds.pop(ticket, None)

    def oldest(self) -> Hold | None:
        holds = list(self._holds.values())
        return min(holds, key=lambda h: h.since) if holds else None

    def stalled(self, now: float | None = None) -> Hold | None:
        """The oldest hold, once it has lasted longer than the threshold."""
        oldest = self.oldest()
        if oldest is None or oldest.seconds(now) < self.threshold:
            return None
        return oldest

    def seconds_stalled(self) -> float:
        stall = self.stalled()
        return stall.seconds() if stall else 0.0
