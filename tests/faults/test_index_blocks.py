"""Elasticsearch refusing writes: the indexer holds and retries, says why, and loses nothing.

`index.blocks.read_only_allow_delete` is what Elasticsearch sets itself when a disk passes the
flood-stage watermark; here it is set by hand on the live index for 30 s with 500 articles in
flight. None of them may become a dead letter, and `akhbar status` must show the block meanwhile.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from shared import index
from shared.cli import status
from shared.settings import Settings
from tests.faults import drill
from tests.faults.test_faults import report

pytestmark = pytest.mark.faults
BLOCK_SECONDS = 30


async def _block(settings: Settings, value: bool | None) -> None:
    es = index.client(settings)
    try:
        await es.indices.put_settings(
            index=settings.index_alias, settings={"index.blocks.read_only_allow_delete": value}
        )
    finally:
        await es.close()


def indexer_problems(settings: Settings) -> list[str]:
    statuses, _ = status.collect(settings)
    return next(s.problems for s in statuses if s.name == "indexer")


def test_a_write_block_on_the_index_holds_the_indexer_and_loses_nothing(stack: Settings) -> None:
    batch = drill.make_batch(f"block-{uuid.uuid4().hex[:6]}", 500)
    since = drill.dlq_offsets(stack)
    asyncio.run(_block(stack, True))
    try:
        drill.send(stack, batch)
        seen: list[str] = []

        def block_shown() -> bool:
            seen.extend(p for p in indexer_problems(stack) if "holds writes" in p)
            return bool(seen)

        drill.wait_until(block_shown, 60, "the block shown by akhbar status", every=2)
        time.sleep(max(0.0, BLOCK_SECONDS - 2))
        assert drill.indexed_count(stack, batch) == 0, "nothing is written while the index is blocked"
    finally:
        asyncio.run(_block(stack, None))
    try:
        drill.wait_all_indexed(stack, batch, seconds=300)
        drill.wait_until(lambda: indexer_problems(stack) == [], 60, "the indexer ready again", every=2)
        letters = drill.dead_letters_of(stack, since, batch)
        report("index write block 30 s", batch, stack, letters)
        print(f"status while blocked: {seen[0]}")
        assert letters == []
        assert drill.indexed_count(stack, batch) == 500
    finally:
        drill.forget(stack, batch)
