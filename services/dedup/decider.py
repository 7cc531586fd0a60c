"""The verdict on each article against every earlier one, in one total order, and the state it leaves.

The state is two mappings, in the service Faust tables with changelogs: `articles` (one `Seen` per
live article) and `links` (stories merged into other stories). Everything else is derived from them
and rebuilt after recovery: the fingerprint index and the members of each story. Whether an article
is a copy is a function of the order in which articles reach the decider: "earlier" means a smaller
sequence number, never a wall clock.

- exact: the same normalised words as an earlier article; the verdict names that article's head.
- near: Jaccard similarity of the 5-gram sets >= the threshold with an earlier head, computed on the
  stored sets of the LSH candidates (not estimated), so a copy is always near its `duplicate_of`.
- partial: passages shared with other heads that cover at least `partial_share` of the smaller article's
  5-grams (or `passage_share`, with one passage of `passage_words` words); text that many heads carry
  is boilerplate and counts for neither (services/dedup/passages.py).
Shared passages go both ways: a new head that shares passages with others also revises their verdicts,
so each lists the other. A merge of stories revises every member of the absorbed story, copies too,
so every copy shows its story's id.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field

import numpy as np

from services.dedup import codec, passages
from services.dedup.fingerprints import (
    WINDOW,
    Fingerprints,
    Passage,
    pack_passages,
    unpack_passages,
)
from services.dedup.index import FingerprintIndex
from services.dedup.records import ClusterLink, Seen
from services.dedup.stories import Stories
from services.dedup.verdict import EXACT, NEAR, PARTIAL, UNIQUE, Related, Verdict

DAY = 86_400.0


@dataclass(frozen=True)
class Policy:
    near_threshold: float = 0.8  # Jaccard similarity of the 5-gram sets with the copy group's head
    # shared passage fingerprints over the informative fingerprints of the article that has fewer
    partial_share: float = 0.2
    # or one contiguous shared passage at least this long (several sentences, not a formula) that,
    # with the rest shared, still covers this much of the smaller article
    passage_words: int = 30
    passage_share: float = 0.17
    # a passage fingerprint that this many heads carry is boilerplate: a title, a verse, a sign-off
    boilerplate_heads: int = 10
    window_seconds: float = 30 * DAY  # an article is forgotten this long after it was first seen
    sweep_seconds: float = 3600.0  # how often expired articles are looked for
    max_related: int = 10  # related articles listed per verdict; the verdict says when it cut more
    max_candidates: int = 50  # heads compared per article, the most promising first
    # winnowed fingerprints of one shared passage are at most WINDOW words apart
    merge_gap_chars: int = 10 * WINDOW


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    revised: list[tuple[str, Verdict]]  # other articles whose verdict this one changed, new verdicts


@dataclass(frozen=True)
class _Finding:
    status: str
    duplicate_of: str | None
    similarity: float | None
    related: list[Related] = field(default_factory=list)
    related_cut: bool = False
    linked: list[str] = field(default_factory=list)  # the heads whose stories this one joins


class Decider:
    def __init__(
        self, policy: Policy, articles: MutableMapping[str, Seen], links: MutableMapping[str, ClusterLink]
    ) -> None:
        self.policy = policy
        self.articles = articles
        self.links = links
        self._index: FingerprintIndex | None = None
        self._stories: Stories | None = None
        self._last_sweep = float("-inf")
        self._version = 0

    def invalidate(self) -> None:
        """The mappings were replaced (a table recovery): rebuild what derives from them before use."""
        self._index = None
        self._stories = None

    @property
    def index(self) -> FingerprintIndex:
        if self._index is None:
            self._index = FingerprintIndex(self.policy.near_threshold, self.policy.boilerplate_heads)
            # in decision order, so that the first article with some words is the earliest
            for article_id, seen in sorted(self.articles.items(), key=lambda item: item[1].seq):
                self._index.add(article_id, seen)
        return self._index

    @property
    def stories(self) -> Stories:
        if self._stories is None:
            self._stories = Stories(self.articles, self.links)
        return self._stories

    def decide(self, article_id: str, prints: Fingerprints, length: int, seq: int, now: float) -> Decision:
        """The verdict on an article of `length` characters that is number `seq` in the total order."""
        version = self._next_version(now)
        known = self.articles.get(article_id)
        if known is not None:
            # The same id is the same normalised body: a re-delivery or the same file ingested again.
            # It is judged against the same earlier articles, so only later articles change its answer;
            # its revisions are sent again, since they may not have reached the index the first time.
            finding = self._find(article_id, prints, length, known.seq)
            verdict = self._verdict(finding, self.stories.root(known.cluster_id), version)
            absorbed = self.stories.absorbed_by(article_id)
            return Decision(verdict, self._revise(article_id, finding, absorbed, version))
        finding = self._find(article_id, prints, length, seq)
        cluster, absorbed = self._join(article_id, finding.linked)
        head = finding.duplicate_of is None
        seen = Seen(
            seq=seq,
            first_seen=now,
            digest=prints.digest,
            cluster_id=cluster,
            copy_of=finding.duplicate_of,
            status="" if head else finding.status,
            similarity=None if head else finding.similarity,
            length=length,
            signature=codec.pack(prints.signature) if head else "",
            shingles=codec.pack(prints.shingles) if head else "",
            passages=pack_passages(prints.passages) if head else "",
        )
        self.articles[article_id] = seen
        self.index.add(article_id, seen)
        self.stories.add(article_id, cluster)
        verdict = self._verdict(finding, cluster, version)
        return Decision(verdict, self._revise(article_id, finding, absorbed, version))

    def expire(self, now: float) -> int:
        """Forget articles first seen longer ago than the window; returns how many. Cheap when not due."""
        if now - self._last_sweep < self.policy.sweep_seconds:
            return 0
        self._last_sweep = now
        cutoff = now - self.policy.window_seconds
        old = [(article_id, seen) for article_id, seen in self.articles.items() if seen.first_seen < cutoff]
        for article_id, seen in old:
            del self.articles[article_id]
            self.index.remove(article_id, seen)
        if old:
            self._forget_unused_links()
            self._stories = None
        return len(old)

    def _next_version(self, now: float) -> int:
        self._version = max(self._version + 1, int(now * 1000))
        return self._version

    def _revise(
        self, article_id: str, finding: _Finding, absorbed: list[str], version: int
    ) -> list[tuple[str, Verdict]]:
        """The new verdicts of the heads this article, itself a head, shares passages with (they now
        list it), and of every member of the stories it merged into another (they now carry its id)."""
        revised: dict[str, Verdict] = {}
        if finding.duplicate_of is None:
            for related in finding.related:
                revised[related.article_id] = self._again(related.article_id, version)
        for story in absorbed:
            for member in self.stories.members(story):
                if member != article_id and member not in revised:
                    revised[member] = self._again(member, version)
        return list(revised.items())

    def _again(self, article_id: str, version: int) -> Verdict:
        """An earlier article's verdict as it stands now."""
        seen = self.articles[article_id]
        cluster = self.stories.root(seen.cluster_id)
        if seen.copy_of is not None:
            return Verdict(seen.status, cluster, version, seen.copy_of, seen.similarity)
        prints = Fingerprints(
            seen.digest,
            codec.unpack(seen.signature),
            unpack_passages(seen.passages),
            codec.unpack(seen.shingles),
        )
        return self._verdict(self._as_head(article_id, prints, seen.length), cluster, version)

    def _find(self, article_id: str, prints: Fingerprints, length: int, before: int) -> _Finding:
        return self._as_copy(prints, before) or self._as_head(article_id, prints, length)

    def _as_copy(self, prints: Fingerprints, before: int) -> _Finding | None:
        """Exact or near: the copy group, among those decided before `before`, this article belongs to."""
        same = self.index.first_same_text(prints.digest, before)
        if same is not None:
            seen = self.articles[same]
            if seen.copy_of is None:
                return _Finding(EXACT, same, 1.0, linked=[same])
            # the same words as a copy: the same relation to its head
            return _Finding(seen.status, seen.copy_of, seen.similarity, linked=[seen.copy_of])
        candidates, _ = self.index.near_candidates(prints.signature, before, self.policy.max_candidates)
        mine = np.unique(prints.shingles)
        scored = [
            (jaccard(mine, np.unique(self._shingles(other))), -self.index.seq(other), other)
            for other in candidates
        ]
        near = [item for item in scored if item[0] >= self.policy.near_threshold]
        if not near:
            return None
        similarity, _, head = max(near)  # the most similar head, the earliest on a tie
        return _Finding(NEAR, head, round(similarity, 4), linked=[head])

    def _shingles(self, head: str) -> np.ndarray:
        return codec.unpack(self.articles[head].shingles)

    def _as_head(self, article_id: str, prints: Fingerprints, length: int) -> _Finding:
        related, cut = self._related(article_id, prints, length)
        if not related:
            return _Finding(UNIQUE, None, None)
        top = np.unique(self._shingles(related[0].article_id))
        similarity = round(jaccard(np.unique(prints.shingles), top), 4)
        # every head found joins the story, also those the verdict does not list
        listed = related[: self.policy.max_related]
        return _Finding(PARTIAL, None, similarity, listed, cut, [r.article_id for r in related])

    def _related(self, article_id: str, prints: Fingerprints, length: int) -> tuple[list[Related], bool]:
        """The heads, earlier or later, whose shared passages cover at least `partial_share` of the
        smaller article (or `passage_share` with one passage of `passage_words` words), best first;
        and whether the list is cut."""
        policy = self.policy
        fingerprints = {p.fingerprint for p in prints.passages}
        informative = [f for f in fingerprints if not self.index.is_boilerplate(f)]
        shared = self.index.sharing(informative, exclude=article_id)
        if not shared:  # most articles: nothing more to measure
            return [], False
        mine = passages.informative(prints.shingles, self.index.is_boilerplate)
        # the heads sharing the most passage fingerprints first: they are the likeliest to qualify
        ranked = sorted(shared, key=lambda head: (-shared[head], self.index.seq(head)))
        found = []
        for head in ranked[: policy.max_candidates]:
            theirs = passages.informative(self._shingles(head), self.index.is_boilerplate)
            overlap = passages.overlap(mine, theirs)
            long = overlap.longest_words >= policy.passage_words and overlap.share >= policy.passage_share
            if overlap.share < policy.partial_share and not long:
                continue
            common = set(overlap.common.tolist())
            spans = _merge([p for p in prints.passages if p.fingerprint in common], policy.merge_gap_chars)
            covered = round(sum(end - start for start, end in spans) / max(1, length), 4)
            found.append(Related(head, covered, spans))
        found.sort(key=lambda r: (-r.overlap, self.index.seq(r.article_id)))
        cut = len(found) > policy.max_related or len(ranked) > policy.max_candidates
        return found, cut

    def _join(self, article_id: str, linked: list[str]) -> tuple[str, list[str]]:
        """The story this article joins, and the stories it merged into that one.

        The linked articles' stories become one: the largest keeps its id (the earliest linked one's on
        a tie), so that over time an article's story id changes, and it is revised, O(log n) times.
        """
        if not linked:
            return article_id, []
        stories = self.stories
        in_order = sorted(linked, key=self.index.seq)
        roots = list(dict.fromkeys(stories.root(self.articles[other].cluster_id) for other in in_order))
        keep = max(roots, key=lambda root: (stories.size(root), -roots.index(root)))
        absorbed = [root for root in roots if root != keep]
        for root in absorbed:
            stories.merge(root, keep, cause=article_id)
        return keep, absorbed

    def _forget_unused_links(self) -> None:
        used: set[str] = set()
        for seen in self.articles.values():
            cluster = seen.cluster_id
            while cluster not in used:
                used.add(cluster)
                link = self.links.get(cluster)
                if link is None:
                    break
                cluster = link.root
        for cluster in [c for c in self.links if c not in used]:
            del self.links[cluster]

    @staticmethod
    def _verdict(finding: _Finding, cluster: str, version: int) -> Verdict:
        return Verdict(
            finding.status,
            cluster,
            version,
            finding.duplicate_of,
            finding.similarity,
            finding.related,
            finding.related_cut,
        )


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sets of distinct values."""
    together = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - together
    return together / union if union else 1.0


def _merge(shared: list[Passage], gap_chars: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted((p.start, p.end) for p in shared):
        if merged and start <= merged[-1][1] + gap_chars:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
