"""What dedup says about one article, and its form in the article record."""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.schema import DedupInfo, RelatedArticle, SharedPassage

UNIQUE, EXACT, NEAR, PARTIAL = "unique", "exact", "near", "partial"


@dataclass(frozen=True)
class Related:
    article_id: str  # the head of a copy group
    overlap: float  # share of this article's characters inside passages shared with it
    passages: list[tuple[int, int]]  # character spans in this article


@dataclass(frozen=True)
class Verdict:
    status: str
    cluster_id: str
    version: int  # when it was decided, in strictly increasing milliseconds: the newer verdict wins
    duplicate_of: str | None = None  # the head of its copy group, for exact and near
    similarity: float | None = None  # Jaccard similarity with that (or the top related) one
    related: list[Related] = field(default_factory=list)  # a copy lists none: its head's are its own
    related_cut: bool = False  # more articles share passages with it than `related` lists


def to_dedup_info(verdict: Verdict) -> DedupInfo:
    return DedupInfo(
        status=verdict.status,
        cluster_id=verdict.cluster_id,
        version=verdict.version,
        duplicate_of=verdict.duplicate_of,
        similarity=verdict.similarity,
        related=[
            RelatedArticle(
                article_id=r.article_id,
                overlap=r.overlap,
                passages=[SharedPassage(start=start, end=end) for start, end in r.passages],
            )
            for r in verdict.related
        ],
        related_cut=verdict.related_cut,
    )
