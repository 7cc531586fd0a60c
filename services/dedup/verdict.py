"""What dedup says about one article, and its form in the article record."""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.schema import DedupInfo, RelatedArticle, SharedPassage

UNIQUE, EXACT, NEAR, PARTIAL = "unique", "exact", "near", "partial"


@dataclass(frozen=True)
class Related:
    article_id: str  # the head of an earlier copy group
    overlap: float  # share of this article's characters inside passages shared with it
    passages: list[tuple[int, int]]  # character spans in this article


@dataclass(frozen=True)
class Verdict:
    status: str
    cluster_id: str
    version: int  # when it was decided, in strictly increasing milliseconds: the newer verdict wins
    duplicate_of: str | None = None  # the earliest article of its copy group, for exact and near
    similarity: float | None = None  # estimated Jaccard similarity with that (or the top related) one
    related: list[Related] = field(default_factory=list)


def to_dedup_info(verdict: Verdict, max_related: int | None = None) -> DedupInfo:
    """The verdict as the record carries it, listing at most `max_related` related articles (the
    ones sharing the most of this article; `related_cut` says when there were more)."""
    related = verdict.related
    cut = max_related is not None and len(related) > max_related
    if cut:
        kept = {id(r) for r in sorted(related, key=lambda r: -r.overlap)[:max_related]}
        related = [r for r in related if id(r) in kept]
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
            for r in related
        ],
        related_cut=cut,
    )
