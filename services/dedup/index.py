"""In-memory lookups over the live articles of the dedup state.

Derived data only: the changelog-backed table is the state, and this index is rebuilt from it
whenever the table was recovered, so losing a process loses nothing. Only copy-group heads are in
the LSH and passage lookups: a copy's text is its head's, so thousands of copies of one article
cost a later article one comparison, not thousands.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Generic, TypeVar

import numpy as np
from datasketch import LeanMinHash

from services.dedup import codec, minhash
from services.dedup.fingerprints import packed_fingerprints
from services.dedup.records import Seen

K = TypeVar("K")


class FingerprintIndex:
    def __init__(self, near_threshold: float, boilerplate_heads: int) -> None:
        self._lsh = minhash.lsh_index(near_threshold)
        self._sketches: dict[str, LeanMinHash] = {}
        # every article by its words, in the order they were decided: the first is the earliest
        self._texts: dict[str, dict[str, None]] = {}
        self._postings: Postings[int] = Postings(boilerplate_heads)
        self._seq: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._seq)

    def add(self, article_id: str, seen: Seen) -> None:
        self._seq[article_id] = seen.seq
        self._texts.setdefault(seen.digest, {})[article_id] = None
        if seen.signature:
            sketch = minhash.sketch(codec.unpack(seen.signature))
            self._sketches[article_id] = sketch
            self._lsh.insert(article_id, sketch)
        for fingerprint in packed_fingerprints(seen.passages).tolist():
            self._postings.add(fingerprint, article_id)

    def remove(self, article_id: str, seen: Seen) -> None:
        del self._seq[article_id]
        same = self._texts[seen.digest]
        del same[article_id]
        if not same:
            del self._texts[seen.digest]
        if self._sketches.pop(article_id, None) is not None:
            self._lsh.remove(article_id)
        for fingerprint in packed_fingerprints(seen.passages).tolist():
            self._postings.discard(fingerprint, article_id)

    def seq(self, article_id: str) -> int:
        return self._seq[article_id]

    def first_same_text(self, digest: str, before: int) -> str | None:
        """The earliest article decided before `before` with exactly these words."""
        for article_id in self._texts.get(digest, ()):
            if self._seq[article_id] < before:
                return article_id
        return None

    def near_candidates(self, signature: np.ndarray, before: int, limit: int) -> tuple[list[str], bool]:
        """Earlier heads that LSH proposes, the `limit` most similar by MinHash estimate first, and
        whether some were left out."""
        sketch = minhash.sketch(signature)
        earlier = [other for other in self._lsh.query(sketch) if self._seq[other] < before]
        if len(earlier) > limit:
            scored = sorted(
                earlier, key=lambda other: (-minhash.similarity(sketch, self._sketches[other]), other)
            )
            return scored[:limit], True
        return earlier, False

    def is_boilerplate(self, fingerprint: int) -> bool:
        return self._postings.is_common(fingerprint)

    def sharing(self, fingerprints: Iterable[int], exclude: str) -> Counter[str]:
        """Heads other than `exclude` with how many of these (distinct, informative) fingerprints each has."""
        shared: Counter[str] = Counter()
        for fingerprint in fingerprints:
            shared.update(self._postings.get(fingerprint))
        shared.pop(exclude, None)
        return shared


class Postings(Generic[K]):
    """Article ids by key, until a key has `common` of them: from then on it is boilerplate (text that
    many stories carry: a title, a verse, a sign-off) and only counted, until its last article expires.

    Most keys belong to one article: that id is stored bare, not in a list, which takes the decider
    from about 15 to about 10.5 KB per article (`benchmarks/bench_dedup.py`). Dropping the ids of
    common keys bounds what one key costs, in memory and in every lookup of it.
    """

    def __init__(self, common: int) -> None:
        self._ids: dict[K, str | list[str]] = {}
        self._counts: dict[K, int] = {}
        self._common = common

    def add(self, key: K, article_id: str) -> None:
        if key in self._counts:
            self._counts[key] += 1
            return
        ids = self._ids.get(key)
        if ids is None:
            self._ids[key] = article_id
        elif isinstance(ids, str):
            self._ids[key] = [ids, article_id]
        else:
            ids.append(article_id)
        if len(self.get(key)) >= self._common:
            self._counts[key] = len(self.get(key))
            del self._ids[key]

    def is_common(self, key: K) -> bool:
        return key in self._counts

    def get(self, key: K) -> list[str]:
        """The ids of a key that is not common."""
        ids = self._ids.get(key)
        if ids is None:
            return []
        return [ids] if isinstance(ids, str) else ids

    def discard(self, key: K, article_id: str) -> None:
        if key in self._counts:
            self._counts[key] -= 1
            if not self._counts[key]:
                del self._counts[key]
            return
        ids = [i for i in self.get(key) if i != article_id]
        if not ids:
            self._ids.pop(key, None)
        else:
            self._ids[key] = ids[0] if len(ids) == 1 else ids
