"""`akhbar dlq` against the real stack: a letter a setting caused is replayed once the setting allows it.

The entities stage runs for a while as a second process with a budget far too short for a long
article (AKHBAR_STAGE_BUDGET_SECONDS=0.05), so the article is dead-lettered `stage_timeout`; then
the supervised entities (default budget) is back, `akhbar dlq replay` sends the record again, and
it is indexed once. A second replay indexes nothing new.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from akhbar import dlq, local
from benchmarks.workload import long_article
from services.ingest.articles import to_article
from services.ingest.parsing import parse_file
from shared.settings import Settings
from tests.faults import drill

pytestmark = pytest.mark.integration
PORT_OFFSET = 400
AKHBAR = Path(sys.prefix) / "bin" / "akhbar"


def akhbar(*args: str) -> str:
    done = subprocess.run([str(AKHBAR), *args], capture_output=True, text=True, timeout=300, check=True)
    return done.stdout


def test_a_timed_out_article_is_replayed_and_indexed_once(
    stack: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tag = uuid.uuid4().hex[:8]
    paragraphs = [
        p for seed in drill.SEEDS for p in seed.read_text(encoding="utf-8").splitlines() if p.strip()
    ]
    data = long_article(paragraphs, 300_000, tag)  # a second or so of entities: far past 0.05 s
    name = f"dlq-{tag}.txt"
    article_id = to_article(parse_file(data, name), name).id
    batch = drill.Batch(f"dlq-{tag}", {name: data}, {article_id})
    since = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(time.time() - 1))
    local._ctl(stack, "stop", "services:entities")
    try:
        monkeypatch.setenv("AKHBAR_STAGE_BUDGET_SECONDS", "0.05")
        with local.extra_worker(stack, "entities", PORT_OFFSET, tmp_path / "entities"):
            monkeypatch.delenv("AKHBAR_STAGE_BUDGET_SECONDS")
            offsets = drill.dlq_offsets(stack)
            drill.send(stack, batch)
            drill.wait_until(
                lambda: bool(drill.dead_letters_of(stack, offsets, batch)), 180, "the article dead-lettered"
            )
    finally:
        local._ctl(stack, "start", "services:entities")
    try:
        (letter,) = drill.dead_letters_of(stack, offsets, batch)
        assert (letter["stage"], letter["reason"]) == ("entities", "stage_timeout")
        assert letter["payload_truncated"], "the test means to replay a record from its topic"
        assert drill.indexed_count(stack, batch) == 0
        drill.wait_until(lambda: drill.ready(stack, "entities"), 180, "entities ready with its own budget")

        listed = akhbar("dlq", "list", "--stage", "entities", "--reason", "stage_timeout", "--since", since)
        assert name in listed and "stage_timeout" in listed
        assert name in akhbar("dlq", "show", article_id)
        dry = akhbar(
            "dlq", "replay", "--stage", "entities", "--reason", "stage_timeout", "--since", since, "--dry-run"
        )
        assert "1 would go to articles.language" in dry
        assert drill.indexed_count(stack, batch) == 0, "a dry run sends nothing"

        replayed = akhbar(
            "dlq", "replay", "--stage", "entities", "--reason", "stage_timeout", "--since", since
        )
        assert "1 sent to articles.language" in replayed
        drill.wait_all_indexed(stack, batch, seconds=180)

        before = drill.dlq_offsets(stack)
        akhbar("dlq", "replay", "--stage", "entities", "--reason", "stage_timeout", "--since", since)
        time.sleep(10)  # time enough for the second copy to pass every stage
        assert drill.indexed_count(stack, batch) == 1
        assert drill.dead_letters_of(stack, before, batch) == []
        letters = dlq.read(stack, dlq.Filters(stage="entities", since=time.time() - 3600))
        assert [found.get("article_id") for found in letters].count(article_id) == 1
    finally:
        drill.forget(stack, batch)
