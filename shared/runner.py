"""Runs a stage's step on a thread of its own, one record at a time, each within a time budget.

Why a thread: a step is plain CPU-bound Python, and a long article takes it seconds. On the event
loop it would hold `/health`, `/ready`, `/metrics` and the consumer's heartbeats all that time; on a
thread of its own the loop still answers (CPython hands the interpreter over every few milliseconds).
Steps that change Faust tables (dedup's decider) stay on the loop and do not use this.

Why the budget: a step's cost grows with the article, and no single article may hold a stage for
minutes. A record still running past `budget` seconds is interrupted: the loop raises `StageTimeout`
inside the worker thread (CPython's `PyThreadState_SetAsyncExc`, the one way to stop a running Python
function from outside it). It takes effect at the thread's next Python instruction, so one long call
into C (a regular expression over the whole text) finishes first. The record becomes whatever
`on_timeout` makes of it, a dead letter, and the stage goes on with the next one.
"""

from __future__ import annotations

import asyncio
import ctypes
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

from faust.types import EventT

from shared.records import header
from shared.stalls import Hold, StallWatch

T = TypeVar("T")
E = TypeVar("E", bound=EventT)


class StageTimeout(BaseException):
    """Raised inside a step that ran past its budget.

    A BaseException, like KeyboardInterrupt: a step's own `except Exception` (a date it could not
    read, say) must not swallow it and carry on with the article.
    """


@dataclass
class _Current(Generic[E]):
    event: E
    thread: int
    started: float
    interrupted: bool = False


class StepRunner:
    def __init__(self, name: str, budget: float, stalls: StallWatch) -> None:
        """`budget` seconds per record; 0 means no budget."""
        self.name = name
        self.budget = budget
        self.stalls = stalls
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"akhbar-{name}-step")
        self._lock = threading.Lock()
        self._current: _Current[EventT] | None = None
        # how often the loop looks at the running record: a tenth of a second late at most for
        # the default budget, finer for the short budgets tests use
        self._tick = min(1.0, max(0.01, budget / 20)) if budget else 1.0

    async def run(
        self, events: Sequence[E], handle: Callable[[E], T], on_timeout: Callable[[E, float], T]
    ) -> list[T]:
        """`handle(event)` for every event, in order, on the worker thread."""
        stop = threading.Event()
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, self._run_all, events, handle, on_timeout, stop)
        try:
            while True:
                done, _ = await asyncio.wait({future}, timeout=self._tick)
                if done:
                    return future.result()
                if self.budget:
                    self._interrupt(lambda current: time.monotonic() - current.started >= self.budget)
        except asyncio.CancelledError:
            # the service is stopping: end the record in hand and leave the rest of the batch,
            # which is not committed and will be read again
            stop.set()
            self._interrupt(lambda current: True)
            raise

    def _run_all(
        self,
        events: Sequence[E],
        handle: Callable[[E], T],
        on_timeout: Callable[[E, float], T],
        stop: threading.Event,
    ) -> list[T]:
        results: list[T] = []
        for event in events:
            if stop.is_set():
                break
            started = time.monotonic()
            try:
                ticket = self._begin(event, started)
                try:
                    results.append(handle(event))
                finally:
                    self._end(ticket)
            except StageTimeout:
                # caught here, around the bookkeeping too: the interruption may land anywhere
                # between the loop deciding on it and this thread clearing the record
                results.append(on_timeout(event, time.monotonic() - started))
        return results

    def _begin(self, event: E, started: float) -> int:
        message = event.message
        key = message.key
        article_id = key.decode("utf-8", "replace") if isinstance(key, bytes) else key
        with self._lock:
            self._current = _Current(event, threading.get_ident(), started)
        # only a record without a key needs its file's name to be told apart: read the headers then
        filename = None if article_id else header(message, "filename")
        hold = Hold(
            "working on", article_id, message.topic, message.partition, message.offset, started, filename
        )
        return self.stalls.hold(hold)

    def _end(self, ticket: int) -> None:
        with self._lock:
            self._current = None
        self.stalls.release(ticket)

    def _interrupt(self, due: Callable[[_Current[EventT]], bool]) -> None:
        with self._lock:  # the worker cannot move on to another record while this decides
            current = self._current
            if current is None or current.interrupted or not due(current):
                return
            current.interrupted = True
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(current.thread), ctypes.py_object(StageTimeout)
            )
