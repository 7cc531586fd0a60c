"""Everything the decision needs from an article body, computed where the article is consumed.

Three views of the normalised word 5-grams: the set of their hashes, on which near-duplicates are
decided (its exact Jaccard similarity with a candidate's); a MinHash signature of that set, which
only finds the candidates (LSH); and winnowed passage fingerprints (Schleimer,
Wilkerson and Aiken, 2003): a stable subset of the 5-gram hashes, chosen so that any run of shared
text at least WINDOW + 4 words long yields at least one common fingerprint, whatever else each
article contains (shared passages).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from services.dedup import codec, minhash, text

WINDOW = 8
# News copy is far shorter; a larger body (the ingest door takes files of up to 20 MB) is identified by
# its beginning, which keeps one huge file from holding the stage for seconds and hundreds of megabytes.
MAX_CHARS = 200_000


@dataclass(frozen=True)
class Passage:
    fingerprint: int
    start: int  # character span, in the body, of the 5-gram the fingerprint was taken from
    end: int


@dataclass(frozen=True)
class Fingerprints:
    digest: str  # same words, same order: an exact duplicate
    signature: np.ndarray  # MinHash values, uint32
    shingles: np.ndarray  # the distinct 5-gram hashes, uint32, sorted
    passages: tuple[Passage, ...]  # winnowed, in text order


def winnow(hashes: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """Positions of the smallest hash of every window of consecutive hashes, each position once."""
    if len(hashes) <= window:
        return np.array([np.argmin(hashes)] if len(hashes) else [], np.int64)
    windows = sliding_window_view(hashes, window)
    # the rightmost minimum, so that a window sliding over a run of equal hashes keeps one
    rightmost = window - 1 - np.argmin(windows[:, ::-1], axis=1)
    return np.unique(rightmost + np.arange(len(windows)))


def fingerprint(body: str) -> Fingerprints:
    body_words = text.words(body[:MAX_CHARS])
    shingles = text.shingles(body_words)
    chosen = winnow(shingles.hashes)
    return Fingerprints(
        digest=text.digest(body_words),
        signature=minhash.signature(shingles.hashes),
        shingles=np.unique(shingles.hashes),
        passages=tuple(
            Passage(int(shingles.hashes[i]), int(shingles.starts[i]), int(shingles.ends[i])) for i in chosen
        ),
    )


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity of two sets of shingle hashes, each sorted and distinct."""
    if not len(a) and not len(b):
        return 1.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def pack_passages(passages: tuple[Passage, ...]) -> str:
    """Passages as packed (fingerprint, start, end) triples, for headers and table records."""
    triples = np.array([(p.fingerprint, p.start, p.end) for p in passages], np.uint32).reshape(-1)
    return codec.pack(triples)


def unpack_passages(packed: str) -> tuple[Passage, ...]:
    return tuple(Passage(*triple) for triple in codec.unpack(packed).reshape(-1, 3).tolist())


def packed_fingerprints(packed: str) -> list[int]:
    """Each distinct fingerprint of packed passages, without building the passages."""
    return np.unique(codec.unpack(packed).reshape(-1, 3)[:, 0]).tolist()
