"""The running pipeline reconfigured between phases: emptied, given more partitions, or one more worker."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from akhbar import local, reset
from benchmarks import pipeline
from benchmarks.workload import File
from shared import topics
from shared.registry import PIPELINE
from shared.settings import Settings

WORKER_PORT_OFFSET = 100  # the second worker's ports, clear of the supervised services'


def empty(settings: Settings, partitions: int) -> None:
    """Topics, consumer groups, index and dedup state deleted; topics back with `partitions`."""
    reset.reset(settings, partitions)


def grow(settings: Settings, partitions: int) -> None:
    """More partitions for every pipeline topic, and the services restarted to consume them at once."""
    topics.grow(settings.kafka_bootstrap, partitions)
    local.restart(settings, list(PIPELINE))


@contextmanager
def second_worker(settings: Settings, name: str) -> Iterator[None]:
    workdir = settings.run_dir / "bench-worker"
    with local.extra_worker(settings, name, WORKER_PORT_OFFSET, workdir):
        yield


def phase(
    settings: Settings, files: Iterator[File], tag: str, seconds: float, in_flight: int, warmup: float
) -> dict[str, Any]:
    """Saturate the pipeline for `seconds` with these files; its sustained rate, drained after."""
    deadline = time.monotonic() + seconds
    result = asyncio.run(pipeline.saturate(settings, files, f"bench-{tag}-", deadline, in_flight, warmup))
    return {"per_s": result.per_s, "produced": result.produced, "indexed": result.indexed}
