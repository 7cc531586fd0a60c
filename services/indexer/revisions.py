"""A dedup revision applied to the indexed document of an earlier article.

The revision carries the earlier article's whole new verdict, so applying it replaces the document's
`dedup` part; everything else in the document stays as it was indexed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from services.indexer.documents import iso_time
from shared.schema import DedupRevision


def newest(revisions: Iterable[DedupRevision]) -> dict[str, DedupRevision]:
    """The newest revision of each article among these (a batch may revise one article twice)."""
    latest: dict[str, DedupRevision] = {}
    for revision in revisions:
        seen = latest.get(revision.article_id)
        if seen is None or revision.dedup.version >= seen.dedup.version:
            latest[revision.article_id] = revision
    return latest


def revised_document(source: dict[str, Any], revision: DedupRevision, now: float) -> dict[str, Any]:
    # indexed_at moves: the document changed, and a reindex copies what changed after it started
    return {**source, "dedup": revision.dedup.to_data(), "indexed_at": iso_time(now)}
