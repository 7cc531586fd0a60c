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

from akhbar import status
from shared import index
from shared.settings import Settings
from tests.faults import drill
from tests.faults.test_faults import report

pytestmark = pytest.mark.faults
BLOCK_SECONDS = 30


# With the disk threshold off (as the local Elasticsearch runs), the disk monitor's first round after
# the node starts, about 30 s in, lifts every `read_only_allow_delete` block once, whoever set it: run
# right after `akhbar down`/`up`, the drill saw all 500 written "while blocked". So it waits until
# the node has been up this long.
MONITOR_CLEANUP_SECONDS = 60


async def _block(settings: Settings, value: bool | None) -> None:
    es = index.client(settings)
    try:
        await es.indices.put_settings(
            index=settings.index_alias, settings={"index.blocks.read_only_allow_delete": value}
        )
    finally:
        await es.close()


async def _blocked(settings: Settings) -> bool:
    es = index.client(settings)
    try:
        answer = await es.indices.get_settings(index=settings.index_alias, name="index.blocks.*")
    finally:
        await es.close()
    blocks = [s["settings"].get("index", {}).get("blocks", {}) for s in answer.body.values()]
    return bool(blocks) and all(b.get("read_only_allow_delete") == "true" for b in blocks)


async def _node_uptime(settings: Settings) -> float:
    es = index.client(settings)
    try:
        stats = await es.nodes.stats(metric="jvm")
    finally:
        await es.close()
    return min(node["jvm"]["uptime_in_millis"] for node in stats["nodes"].values()) / 1000


def indexer_problems(settings: Settings) -> list[str]:
    statuses, _ = status.collect(settings)
    return next(s.problems for s in statuses if s.name == "indexer")


def test_a_write_block_on_the_index_holds_the_indexer_and_loses_nothing(stack: Settings) -> None:
    batch = drill.make_batch(f"block-{uuid.uuid4().hex[:6]}", 500)
    since = drill.dlq_offsets(stack)
    time.sleep(max(0.0, MONITOR_CLEANUP_SECONDS - asyncio.run(_node_uptime(stack))))
    asyncio.run(_block(stack, True))
    try:
        assert asyncio.run(_blocked(stack)), "the block is not on the index"
        drill.send(stack, batch)
        seen: list[str] = []

        def block_shown() -> bool:
            seen.extend(p for p in indexer_problems(stack) if "holds writes" in p)
            return bool(seen)

        drill.wait_until(block_shown, 60, "the block shown by akhbar status", every=2)
        time.sleep(max(0.0, BLOCK_SECONDS - 2))
        assert asyncio.run(_blocked(stack)), "Elasticsearch lifted the block during the drill"
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
