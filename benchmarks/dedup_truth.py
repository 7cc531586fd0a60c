"""Which articles of a corpus really are copies, share passages or tell one story: exact pair scores.

The reference that dedup's verdicts are scored against (benchmarks/eval_dedup.py). It imports nothing
from services.dedup on purpose: no MinHash, no LSH, no winnowing, no shared thresholds in code, so a
mistake in the service cannot hide by being repeated here. Only the text normalisation is shared
(`shared.arabic.tokens`: `normalize_for_matching`, then runs of letters and digits), since what counts
as "the same word" is the project's definition, not dedup's.

Each article becomes the set of its word 5-grams (the whole word list when it has fewer than five),
each hashed to 64 bits with blake2b, so runs agree and a collision is negligible. Every pair of
articles that shares at least one counted 5-gram is scored from an inverted index: any other pair has
nothing in common, so this is exhaustive, not sampled. Per pair, over the counted 5-grams:

- Jaccard J = |A ∩ B| / |A ∪ B|: how much of both texts is the same;
- containment C = |A ∩ B| / min(|A|, |B|): how much of the shorter text is in the longer one.

Boilerplate: a 5-gram in more than `max_df` articles is not counted at all, in the sets or their
sizes. Wire copy repeats formulas that unrelated stories share: the king's and crown prince's full
titles, agency sign-offs and "follow us on" footers, Quran verses quoted in condolence and religious
stories. Counted, they would link unrelated stories through containment and make every pair that
carries them look closer than it is. The cap also keeps the postings short, which is what makes the
exhaustive pairing affordable. A story copied more than `max_df` times loses its shared 5-grams too,
so `max_df` must stay above the largest copy group expected in the corpus (exact copies are found
without 5-grams, below, and are unaffected).

The relations, in the order the articles are given (their arrival order):

- exact: the same normalised word sequence, compared on the full word lists, boilerplate included;
- near: exact, or J >= `near_jaccard` (0.8);
- copy: an article near some EARLIER article; every other article is a head;
- passage: two heads with C >= `min_containment` (0.2) that are not near;
- story: connected components of the graph whose edges are the near pairs and the pairs with
  C >= `min_containment` (heads or copies); two articles are in the same story when in one component.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from shared.arabic import tokens

GRAM_WORDS = 5
MAX_DF = 20
NEAR_JACCARD = 0.8
MIN_CONTAINMENT = 0.2

Pair = tuple[str, str]  # two article ids, the smaller first


def pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class PairScore:
    jaccard: float
    containment: float
    shared: int  # counted 5-grams in common


@dataclass(frozen=True)
class Truth:
    ids: list[str]  # in the order given
    positions: dict[str, int]  # place of each id in `ids`
    exact: set[Pair]
    near: set[Pair]  # exact pairs included
    copies: set[str]  # near an earlier article
    passage: set[Pair]
    story: dict[str, int]  # component number of every article
    grams: dict[str, int]  # counted 5-grams of each article, after the boilerplate cap
    boilerplate_grams: int  # distinct 5-grams dropped for being in more than max_df articles
    # every pair sharing a counted 5-gram, as first * len(ids) + second (positions, first < second),
    # sorted, with its scores: arrays rather than a dict of millions of tuples
    pair_keys: np.ndarray
    pair_shared: np.ndarray
    pair_jaccard: np.ndarray
    pair_containment: np.ndarray

    def score(self, a: str, b: str) -> PairScore | None:
        """J and C of two articles, or None when they share no counted 5-gram (both are 0 then)."""
        first, second = sorted((self.positions[a], self.positions[b]))
        key = first * len(self.ids) + second
        at = int(np.searchsorted(self.pair_keys, key))
        if at == len(self.pair_keys) or self.pair_keys[at] != key:
            return None
        return PairScore(
            float(self.pair_jaccard[at]), float(self.pair_containment[at]), int(self.pair_shared[at])
        )


def gram_hashes(words: Sequence[str]) -> np.ndarray:
    """The distinct 64-bit hashes of the word 5-grams (one gram for a text of fewer words)."""
    if not words:
        return np.zeros(0, np.uint64)
    if len(words) < GRAM_WORDS:
        grams = {" ".join(words)}
    else:
        grams = {" ".join(gram) for gram in zip(*(words[n:] for n in range(GRAM_WORDS)), strict=False)}
    return np.unique(
        np.fromiter(
            (int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little") for g in grams),
            np.uint64,
            len(grams),
        )
    )


def build(
    documents: Sequence[tuple[str, str]],
    max_df: int = MAX_DF,
    min_containment: float = MIN_CONTAINMENT,
    near_jaccard: float = NEAR_JACCARD,
) -> Truth:
    """The truth over (article_id, body) pairs in arrival order; ids must be distinct."""
    ids = [article_id for article_id, _ in documents]
    if len(set(ids)) != len(ids):
        raise ValueError("article ids must be distinct: one id is one document")
    count = len(ids)
    by_text: dict[str, list[int]] = defaultdict(list)
    hashes = []
    for n, (_, body) in enumerate(documents):
        words = tokens(body)
        by_text[" ".join(words)].append(n)
        hashes.append(gram_hashes(words))

    exact_positions = {(a, b) for group in by_text.values() for a, b in combinations(group, 2)}
    keys, shared, sizes, boilerplate = _shared_grams(hashes, max_df)
    first, second = np.divmod(keys, count)
    union = sizes[first] + sizes[second] - shared
    jaccard = shared / union
    containment = shared / np.minimum(sizes[first], sizes[second])

    near_positions = exact_positions | set(
        zip(first[jaccard >= near_jaccard].tolist(), second[jaccard >= near_jaccard].tolist(), strict=True)
    )
    copy_positions = {later for _, later in near_positions}
    contained = containment >= min_containment
    contained_positions = set(zip(first[contained].tolist(), second[contained].tolist(), strict=True))
    passage_positions = {
        (a, b)
        for a, b in contained_positions - near_positions
        if a not in copy_positions and b not in copy_positions
    }
    components = _components(count, contained_positions | near_positions)

    def named(positions: set[tuple[int, int]]) -> set[Pair]:
        return {pair(ids[a], ids[b]) for a, b in positions}

    return Truth(
        ids=ids,
        positions={article_id: n for n, article_id in enumerate(ids)},
        exact=named(exact_positions),
        near=named(near_positions),
        copies={ids[n] for n in copy_positions},
        passage=named(passage_positions),
        story={article_id: components[n] for n, article_id in enumerate(ids)},
        grams={article_id: int(sizes[n]) for n, article_id in enumerate(ids)},
        boilerplate_grams=boilerplate,
        pair_keys=keys,
        pair_shared=shared,
        pair_jaccard=jaccard,
        pair_containment=containment,
    )


def _shared_grams(hashes: list[np.ndarray], max_df: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(pair keys, counted 5-grams each pair shares, counted 5-grams of each article, boilerplate
    5-grams): the pairs are every pair of articles on one posting list, each list at most max_df long."""
    count = len(hashes)
    grams = np.concatenate([np.zeros(0, np.uint64), *hashes])
    owners = np.repeat(np.arange(count, dtype=np.int64), [len(h) for h in hashes])
    _, gram_of, frequency = np.unique(grams, return_inverse=True, return_counts=True)
    df = frequency[gram_of]
    counted = df <= max_df
    sizes = np.bincount(owners[counted], minlength=count)
    on_lists = counted & (df >= 2)
    # owners are ascending and the sort is stable, so each posting list lists its articles in order
    order = np.argsort(gram_of[on_lists], kind="stable")
    posted_gram, posted_owner = gram_of[on_lists][order], owners[on_lists][order]
    starts = np.flatnonzero(np.r_[True, posted_gram[1:] != posted_gram[:-1]])
    lengths = np.diff(np.r_[starts, len(posted_gram)])
    keys = [np.zeros(0, np.int64)]
    for length in np.unique(lengths).tolist():
        rows = starts[lengths == length][:, None] + np.arange(length)
        lists = posted_owner[rows]  # one row per 5-gram on `length` articles
        for a, b in combinations(range(length), 2):
            keys.append(lists[:, a] * count + lists[:, b])
    pair_keys, shared = np.unique(np.concatenate(keys), return_counts=True)
    return pair_keys, shared, sizes, int((frequency > max_df).sum())


def _components(count: int, edges: set[tuple[int, int]]) -> list[int]:
    """Connected component of each of `count` nodes (numbered by its earliest member), by union-find."""
    parent = list(range(count))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [root(node) for node in range(count)]
