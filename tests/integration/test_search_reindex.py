"""`akhbar index reindex`: a template version change moves an alias to a new index, losing nothing."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from shared import index
from shared.settings import Settings

pytestmark = pytest.mark.integration


async def _reindex(settings: Settings) -> tuple[index.Reindexed, index.Reindexed, dict[str, object]]:
    es = index.client(settings)
    alias = f"akhbar-test-reindex-{uuid.uuid4().hex[:8]}"
    old = f"{alias}-old"
    template = index.load_template()
    try:
        await index.create_index(es, old, template, aliases={alias: {"is_write_index": True}})
        for n in range(7):
            await es.index(index=alias, id=f"doc{n}", document={"id": f"doc{n}", "title": f"النازحين {n}"})
        moved = await index.reindex(es, alias)
        again = await index.reindex(es, alias)
        await es.index(index=alias, id="after", document={"id": "after", "title": "بعد النقل"}, refresh=True)
        found = await es.search(index=alias, query={"match": {"title": "نازح"}}, size=0)
        return (
            moved,
            again,
            {
                "behind": list((await es.indices.get_alias(name=alias)).body),
                "found": found["hits"]["total"]["value"],
                "after_in": (await es.get(index=alias, id="after"))["_index"],
                "old": (await es.count(index=old))["count"],
            },
        )
    finally:
        await es.indices.delete(index=f"{alias}-*", ignore_unavailable=True)
        await es.close()


def test_reindex_moves_the_alias_to_the_template_version(engines: Settings) -> None:
    moved, again, seen = asyncio.run(_reindex(engines))
    target = f"{moved.alias}-v{index.load_template()['_meta']['index_version']}"
    assert (moved.target, moved.copied) == (target, 7)
    assert seen["behind"] == [target] and seen["found"] == 7
    assert seen["after_in"] == target  # writers through the alias now write to the new index
    assert again.source == again.target == target and again.copied == 0
    assert seen["old"] == 7  # kept, for going back
