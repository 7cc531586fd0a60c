"""In-memory lookups over the live articles of the dedup state.

Derived data only: the changelog-backed table is the state, and this index is rebuilt from it
whenever the table was recovered, so losing a process loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, NamedTuple, TypeVar

import numpy as np

from services.dedup import codec, minhash
from services.dedup.fingerprints import Passage, packed_fingerprints
from services.dedup.records import Seen

K = TypeVar("K")


class Sharing(NamedTuple):
    heads: dict[str, list[Passage]]  # each head sharing fingerprints, with the passages it shares
    boilerplate: frozenset[int]  # the article's fingerprints that too many heads have to count


class FingerprintIndex:
    def __init__(self, near_threshold: float, boilerplate_heads: int) -> None:
        self._lsh = minhash.lsh_index(near_threshold)
        self._texts: Postings[str] = Postings()
        self._postings: Postings[int] = Postings()
        self._seq: dict[str, int] = {}
        self._boilerplate = boilerplate_heads

    def __len__(self) -> int:
        return len(self._seq)

    def add(self, article_id: str, seen: Seen) -> None:
        self._seq[article_id] = seen.seq
        self._texts.add(seen.digest, article_id)
        if seen.signature:
            self._lsh.insert(article_id, minhash.sketch(codec.unpack(seen.signature)))
        for fingerprint in packed_fingerprints(seen.passages):
            self._postings.add(fingerprint, article_id)

    def remove(self, article_id: str, seen: Seen) -> None:
        del self._seq[article_id]
        self._texts.discard(seen.digest, article_id)
        if seen.signature:
            self._lsh.remove(article_id)
        for fingerprint in packed_fingerprints(seen.passages):
            self._postings.discard(fingerprint, article_id)

    def seq(self, article_id: str) -> int:
        return self._seq[article_id]

    def same_text(self, digest: str, before: int) -> list[str]:
        """Earlier articles with exactly these words, earliest first."""
        return sorted(self._earlier(self._texts.get(digest), before), key=self.seq)

    def candidates(self, signature: np.ndarray, before: int) -> list[str]:
        """Earlier heads whose MinHash the LSH bands match: possibly near, to be decided on the shingles."""
        return self._earlier(self._lsh.query(minhash.sketch(signature)), before)

    def sharing(self, passages: Iterable[Passage], exclude: str) -> Sharing:
        """Copy-group heads other than `exclude` that have these passage fingerprints, with the passages."""
        heads: dict[str, list[Passage]] = {}
        boilerplate: set[int] = set()
        for passage in passages:
            having = self._postings.get(passage.fingerprint)
            # text that many unrelated stories carry (a byline, a footer) is not a shared passage
            if len(having) >= self._boilerplate:
                boilerplate.add(passage.fingerprint)
                continue
            for head in having:
                if head != exclude:
                    heads.setdefault(head, []).append(passage)
        return Sharing(heads, frozenset(boilerplate))

    def _earlier(self, article_ids: Iterable[str], before: int) -> list[str]:
        return [i for i in article_ids if self._seq[i] < before]


class Postings(Generic[K]):
    """Article ids by key. Most keys belong to one article: that id is stored bare, not in a list,
    which takes the decider from about 15 to about 10.5 KB per article (`benchmarks/bench_dedup.py`)."""

    def __init__(self) -> None:
        self._ids: dict[K, str | list[str]] = {}

    def add(self, key: K, article_id: str) -> None:
        ids = self._ids.get(key)
        if ids is None:
            self._ids[key] = article_id
        elif isinstance(ids, str):
            self._ids[key] = [ids, article_id]
        else:
            ids.append(article_id)

    def get(self, key: K) -> list[str]:
        ids = self._ids.get(key)
        if ids is None:
            return []
        return [ids] if isinstance(ids, str) else ids

    def discard(self, key: K, article_id: str) -> None:
        ids = [i for i in self.get(key) if i != article_id]
        if not ids:
            self._ids.pop(key, None)
        else:
            self._ids[key] = ids[0] if len(ids) == 1 else ids
