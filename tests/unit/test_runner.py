"""The step runner: work off the event loop, a time budget per record, and the stall it shows."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import Any

from faust.types import Message

from shared.runner import StepRunner
from shared.stalls import Hold, StallWatch


@dataclass
class Event:
    """The two attributes of a Faust event the runner reads."""

    message: Message
    value: Any = None


def event(offset: int, key: str | None = "article", headers: list[tuple[str, bytes]] | None = None) -> Event:
    message = Message(
        topic="articles.language",
        partition=2,
        offset=offset,
        timestamp=0.0,
        timestamp_type=0,
        headers=headers or [],
        key=None if key is None else f"{key}-{offset}".encode(),
        value=b"{}",
        checksum=None,
    )
    return Event(message)


def spin(seconds: float) -> int:
    """Pure-Python work that stops only when it is done (or interrupted)."""
    deadline, n = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        n += 1
    return n


def step(item: Event) -> str:
    if item.message.offset == 1:
        spin(30)  # far past any budget below
    try:
        spin(0.01)
    except Exception:  # a step's own handler must not swallow the budget
        return "swallowed"
    return f"done {item.message.offset}"


def timed_out(item: Event, seconds: float) -> str:
    return f"timeout {item.message.offset} after {seconds:.1f}"


def test_a_record_over_budget_is_cut_and_the_batch_goes_on() -> None:
    runner = StepRunner("test", budget=0.3, stalls=StallWatch(threshold=0.1))
    started = time.monotonic()
    results = asyncio.run(runner.run([event(0), event(1), event(2)], step, timed_out))
    took = time.monotonic() - started
    assert results[0] == "done 0" and results[2] == "done 2"
    assert results[1].startswith("timeout 1 after 0.")
    assert took < 5, "the 30-second record must be cut at its budget"
    assert runner.stalls.oldest() is None, "nothing is held once the batch is done"


def test_the_loop_answers_and_sees_the_stall_while_the_step_works() -> None:
    stalls = StallWatch(threshold=0.2)
    runner = StepRunner("test", budget=2.0, stalls=stalls)
    seen: list[str] = []

    async def main() -> list[str]:
        work = asyncio.ensure_future(runner.run([event(7)], lambda e: str(spin(0.8)), timed_out))
        for _ in range(6):  # the loop is free: these run while the step spins
            await asyncio.sleep(0.1)
            stall = stalls.stalled()
            if stall is not None:
                seen.append(stall.describe())
        return await work

    results = asyncio.run(main())
    assert results[0].isdigit()
    assert seen, "a record held past the threshold shows as a stall"
    assert seen[-1].startswith("stalled ") and seen[-1].endswith(" s on article-7 (articles.language/2@7)")
    assert stalls.stalled() is None


def test_a_file_without_a_key_is_named_by_its_file_name_while_it_stalls() -> None:
    # what a file sent to ingest.files by a Kafka tool is: no article id yet, only its name
    stalls = StallWatch(threshold=0.1)
    runner = StepRunner("test", budget=2.0, stalls=stalls)
    seen: list[str] = []

    async def main() -> None:
        work = asyncio.ensure_future(
            runner.run(
                [event(3, key=None, headers=[("filename", b"big.txt")])], lambda e: spin(0.5), timed_out
            )
        )
        while not work.done():
            await asyncio.sleep(0.05)
            stall = stalls.stalled()
            if stall is not None:
                seen.append(stall.describe())
        await work

    asyncio.run(main())
    assert seen and seen[-1].endswith(" s on big.txt (articles.language/2@3)"), seen


def test_no_budget_means_no_cut() -> None:
    runner = StepRunner("test", budget=0, stalls=StallWatch(threshold=10))
    results = asyncio.run(runner.run([event(5)], lambda e: spin(0.3) > 0, timed_out))
    assert results == [True]


def test_cancelling_the_batch_stops_the_record_in_hand() -> None:
    runner = StepRunner("test", budget=0, stalls=StallWatch(threshold=10))

    async def main() -> float:
        work = asyncio.ensure_future(runner.run([event(1), event(2)], step, timed_out))
        await asyncio.sleep(0.2)
        work.cancel()
        started = time.monotonic()
        with contextlib.suppress(asyncio.CancelledError):
            await work
        # the worker thread is free again soon, not after the 30-second record
        await asyncio.get_running_loop().run_in_executor(runner._executor, lambda: None)
        return time.monotonic() - started

    assert asyncio.run(main()) < 5


def test_a_send_retried_past_the_threshold_is_told_apart_from_work() -> None:
    stalls = StallWatch(threshold=5)
    ticket = stalls.hold(Hold("sending", "f00d", "articles.raw", 1, 99, since=time.monotonic() - 95))
    stall = stalls.stalled()
    assert stall is not None
    assert stall.describe() == "stalled 95 s on f00d (articles.raw/1@99), retrying its send"
    assert stall.to_json()["offset"] == 99 and stall.to_json()["seconds"] >= 95
    stalls.release(ticket)
    assert stalls.stalled() is None and stalls.seconds_stalled() == 0.0
