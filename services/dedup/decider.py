"""The verdict on each article against every earlier one, in one total order, and the state it leaves.

The state is two mappings, in the service Faust tables with changelogs: `articles` (one `Seen` per
live article) and `links` (stories merged into earlier stories). Everything else is an index derived
from `articles`, rebuilt after recovery. Whether an article is a copy is a function of the order in
which articles reach the decider: "earlier" means a smaller sequence number, never a wall clock.
A copy is a copy of its group's head, judged on the exact Jaccard similarity of their shingle sets
(MinHash only proposes the candidates), so two copies of one head need not be alike enough to be
copies of each other, and no article is a copy by a chain of copies.
Shared passages go both ways: a new article that shares passages with earlier ones also revises
their verdicts, so each lists the other.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass

import numpy as np

from services.dedup import codec
from services.dedup.fingerprints import (
    WINDOW,
    Fingerprints,
    Passage,
    jaccard,
    pack_passages,
    packed_fingerprints,
    unpack_passages,
)
from services.dedup.index import FingerprintIndex
from services.dedup.records import ClusterLink, Seen
from services.dedup.verdict import EXACT, NEAR, PARTIAL, UNIQUE, Related, Verdict

DAY = 86_400.0


@dataclass(frozen=True)
class Policy:
    near_threshold: float = 0.8  # Jaccard similarity of the 5-gram sets, with the copy group's head
    window_seconds: float = 30 * DAY  # an article is forgotten this long after it was first seen
    sweep_seconds: float = 3600.0  # how often expired articles are looked for
    # the most articles kept, whatever the window: each costs about 8-10 KB of the process' memory
    # (measured by `make soak`), and the state lives in memory; the oldest go first
    max_articles: int = 200_000
    # Fewer shared passage fingerprints than this (after boilerplate) is a common phrase, not a
    # shared passage: one is a single 5-gram; two, the least that a shared sentence of 13 or more
    # words leaves (a run of WINDOW + 4 words always leaves one). A brief of 20 words has only 4 or 5.
    min_shared: int = 2
    # Passages whose 5-grams are less than this share of the smaller article's, and shorter together
    # than min_shared_chars (about 100 words, a paragraph: more than a wire sentence or a verse), are
    # a quotation in otherwise different stories: not a relation, and no reason to merge the stories.
    min_share: float = 0.2
    min_shared_chars: int = 600
    # A fingerprint that this many copy groups have is boilerplate. On the first 20,000 ANT articles
    # 10, 12 and 14 gave the same stories (precision 0.978-0.979, recall 0.976-0.984); at 16 and 24 a
    # brief that is mostly a disclaimer, carried by 16 to 23 groups, joined 21 stories (0.78-0.80).
    boilerplate_heads: int = 12
    max_related: int = 10
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
    related: list[Related]
    linked: list[str]  # the earlier articles whose stories this one belongs to


class Decider:
    def __init__(
        self, policy: Policy, articles: MutableMapping[str, Seen], links: MutableMapping[str, ClusterLink]
    ) -> None:
        self.policy = policy
        self.articles = articles
        self.links = links
        self._index: FingerprintIndex | None = None
        self._last_sweep = float("-inf")
        self._version = 0

    def invalidate(self) -> None:
        """The mappings were replaced (a table recovery): rebuild the index before the next use."""
        self._index = None

    @property
    def index(self) -> FingerprintIndex:
        if self._index is None:
            self._index = FingerprintIndex(self.policy.near_threshold, self.policy.boilerplate_heads)
            for article_id, seen in self.articles.items():
                self._index.add(article_id, seen)
        return self._index

    def decide(self, article_id: str, prints: Fingerprints, length: int, seq: int, now: float) -> Decision:
        """The verdict on an article of `length` characters that is number `seq` in the total order."""
        version = self._next_version(now)
        known = self.articles.get(article_id)
        if known is not None:
            # The same id is the same normalised body: a re-delivery or the same file ingested again.
            # It is judged against the same earlier articles, so only later articles change its answer.
            finding = self._find(article_id, prints, length, known.seq)
            verdict = self._verdict(finding, self._root(known.cluster_id), version)
            return Decision(verdict, self._revise(article_id, finding, version))
        finding = self._find(article_id, prints, length, seq)
        cluster = self._join(article_id, finding.linked)
        head = finding.status in (UNIQUE, PARTIAL)
        seen = Seen(
            seq=seq,
            first_seen=now,
            digest=prints.digest,
            cluster_id=cluster,
            copy_of=finding.duplicate_of,
            length=length,
            # a copy is never looked up again: later articles are judged against its head
            signature=codec.pack(prints.signature) if head else "",
            shingles=codec.pack(prints.shingles) if head else "",
            passages=pack_passages(prints.passages) if head else "",
        )
        self.articles[article_id] = seen
        self.index.add(article_id, seen)
        verdict = self._verdict(finding, cluster, version)
        return Decision(verdict, self._revise(article_id, finding, version))

    def expire(self, now: float) -> int:
        """Forget articles first seen longer ago than the window, and the oldest beyond the cap;
        returns how many. Cheap when neither is due."""
        due = now - self._last_sweep >= self.policy.sweep_seconds
        if not due and len(self.articles) <= self.policy.max_articles:
            return 0
        old: dict[str, Seen] = {}
        if due:
            self._last_sweep = now
            cutoff = now - self.policy.window_seconds
            old = {article_id: seen for article_id, seen in self.articles.items() if seen.first_seen < cutoff}
        over = len(self.articles) - len(old) - self.policy.max_articles
        if over > 0:
            # down to nine tenths of the cap, so that the sort is paid once per tenth, not per article
            kept = sorted((seen.seq, i) for i, seen in self.articles.items() if i not in old)
            for _, article_id in kept[: over + self.policy.max_articles // 10]:
                old[article_id] = self.articles[article_id]
        for article_id, seen in old.items():
            del self.articles[article_id]
            self.index.remove(article_id, seen)
        if old:
            self._forget_unused_links()
        return len(old)

    def _next_version(self, now: float) -> int:
        self._version = max(self._version + 1, int(now * 1000))
        return self._version

    def _revise(self, article_id: str, finding: _Finding, version: int) -> list[tuple[str, Verdict]]:
        """The new verdicts of the heads that this article, itself a head, shares passages with.

        A copy is not in the passage index (its head is), so it changes no one's verdict. Sent again
        when the article comes again: the revision may not have reached the index the first time.
        """
        if finding.status not in (UNIQUE, PARTIAL):
            return []
        revised = []
        for related in finding.related:
            seen = self.articles[related.article_id]
            prints = Fingerprints(
                seen.digest,
                codec.unpack(seen.signature),
                self._shingles(related.article_id),
                unpack_passages(seen.passages),
            )
            again = self._find(related.article_id, prints, seen.length, seen.seq)
            revised.append((related.article_id, self._verdict(again, self._root(seen.cluster_id), version)))
        return revised

    def _find(self, article_id: str, prints: Fingerprints, length: int, before: int) -> _Finding:
        index = self.index
        related = self._related(article_id, prints, length)
        heads = [r.article_id for r in related]
        same = index.same_text(prints.digest, before)
        if same:
            head = self._head(same[0])
            if head == same[0]:
                return _Finding(EXACT, head, 1.0, related, [head, *heads])
            if head in self.articles:  # else a copy of a forgotten article, judged as new
                # the same words as a near copy: near its head, as alike as that copy is
                similarity = round(jaccard(prints.shingles, self._shingles(head)), 4)
                return _Finding(NEAR, head, similarity, related, [head, *heads])
        near = [
            (similarity, -index.seq(other), other)
            for other in index.candidates(prints.signature, before)
            if (similarity := jaccard(prints.shingles, self._shingles(other))) >= self.policy.near_threshold
        ]
        if near:
            similarity, _, other = max(near)
            return _Finding(NEAR, other, round(similarity, 4), related, [other, *heads])
        if related:
            similarity = round(jaccard(prints.shingles, self._shingles(heads[0])), 4)
            return _Finding(PARTIAL, None, similarity, related, heads)
        return _Finding(UNIQUE, None, None, [], [])

    def _shingles(self, head: str) -> np.ndarray:
        return codec.unpack(self.articles[head].shingles)

    def _related(self, article_id: str, prints: Fingerprints, length: int) -> list[Related]:
        """The heads, earlier or later, that share passages with this article."""
        related = []
        sharing = self.index.sharing(prints.passages, exclude=article_id)
        for head, passages in sharing.heads.items():
            common = len({p.fingerprint for p in passages})
            if common < self.policy.min_shared:
                continue
            spans = _merge(passages, self.policy.merge_gap_chars)
            shared = sum(end - start for start, end in spans)
            if shared < self.policy.min_shared_chars:
                share = self._containment(prints, head, common, sharing.boilerplate)
                if share < self.policy.min_share:
                    continue
            related.append(Related(head, round(shared / max(1, length), 4), spans))
        related.sort(key=lambda r: (-r.overlap, self.index.seq(r.article_id)))
        return related[: self.policy.max_related]

    def _containment(
        self, prints: Fingerprints, head: str, common: int, boilerplate: frozenset[int]
    ) -> float:
        """The share of the smaller article's 5-grams that the other has too, boilerplate left out.

        The shared 5-grams are counted exactly, on the shingle sets. Which of them are boilerplate is
        known only for the winnowed ones (the index counts the heads of fingerprints, not of every
        5-gram), so that part is estimated: winnowing samples the shared 5-grams evenly, and the
        boilerplate share of the shared fingerprints is taken for the boilerplate share of all.
        """
        theirs = self._shingles(head)
        shared: float = len(np.intersect1d(prints.shingles, theirs, assume_unique=True))
        if boilerplate:
            common_boilerplate = len(
                boilerplate.intersection(packed_fingerprints(self.articles[head].passages))
            )
            shared *= common / (common + common_boilerplate)
        return shared / max(1, min(len(prints.shingles), len(theirs)))

    def _head(self, article_id: str) -> str:
        return self.articles[article_id].copy_of or article_id

    def _root(self, cluster_id: str) -> str:
        while (link := self.links.get(cluster_id)) is not None:
            cluster_id = link.root
        return cluster_id

    def _join(self, article_id: str, linked: list[str]) -> str:
        """The story of the earliest linked article; every other linked story becomes part of it."""
        if not linked:
            return article_id
        roots = [self._root(self.articles[other].cluster_id) for other in sorted(linked, key=self.index.seq)]
        for root in set(roots) - {roots[0]}:
            self.links[root] = ClusterLink(root=roots[0])
        return roots[0]

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
            finding.status, cluster, version, finding.duplicate_of, finding.similarity, finding.related
        )


def _merge(passages: list[Passage], gap_chars: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted((p.start, p.end) for p in passages):
        if merged and start <= merged[-1][1] + gap_chars:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
