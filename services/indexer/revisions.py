"""A dedup revision applied to the indexed document of an earlier article.

The revision carries the earlier article's whole new verdict, so applying it replaces the document's
`dedup` part; everything else in the document stays as it was indexed. A revision that moves an
article to another story means dedup merged the two stories: every document of the old story, the
article's copies among them, moves with it (`story_moves`), since dedup revises only the heads.
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


def story_moves(documents: dict[str, dict[str, Any]], revisions: Iterable[DedupRevision]) -> dict[str, str]:
    """Old story id -> new story id, for each revision whose indexed document is in another story."""
    moves = {}
    for revision in revisions:
        indexed = (documents.get(revision.article_id) or {}).get("dedup") or {}
        old, new = indexed.get("cluster_id"), revision.dedup.cluster_id
        if old and new and old != new:
            moves[old] = new
    return moves
