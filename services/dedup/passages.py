"""What two articles share, measured on their 5-gram hashes in text order, boilerplate left out.

Boilerplate is known by document frequency only for the winnowed fingerprints (the index counts how
many heads carry each). A 5-gram between two consecutive boilerplate fingerprints lies in the same run
of common text, since winnowing picks one fingerprint in every WINDOW consecutive 5-grams; so a text's
boilerplate is the stretches its boilerplate fingerprints span, and the rest is what can be shared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from services.dedup.fingerprints import winnow
from services.dedup.text import SHINGLE_WORDS


@dataclass(frozen=True)
class Informative:
    hashes: np.ndarray  # every 5-gram hash in text order
    boilerplate: np.ndarray  # bool per 5-gram
    distinct: np.ndarray  # the distinct hashes of the 5-grams that are not boilerplate, ascending


def informative(hashes: np.ndarray, is_boilerplate: Callable[[int], bool]) -> Informative:
    chosen = winnow(hashes)
    flagged = np.fromiter((is_boilerplate(h) for h in hashes[chosen].tolist()), bool, len(chosen))
    mask = np.zeros(len(hashes), bool)
    mask[chosen[flagged]] = True
    if len(chosen) and flagged[0]:
        mask[: chosen[0]] = True
    if len(chosen) and flagged[-1]:
        mask[chosen[-1] :] = True
    for left in np.flatnonzero(flagged[:-1] & flagged[1:]).tolist():
        mask[chosen[left] : chosen[left + 1]] = True
    return Informative(hashes, mask, np.unique(hashes[~mask]))


@dataclass(frozen=True)
class Overlap:
    common: np.ndarray  # distinct informative hashes both have, ascending
    share: float  # of the informative 5-grams of the one with fewer
    longest_words: int  # words in the longest run of consecutive shared 5-grams of the first text


def overlap(mine: Informative, theirs: Informative) -> Overlap:
    common = np.intersect1d(mine.distinct, theirs.distinct, assume_unique=True)
    share = len(common) / max(1, min(len(mine.distinct), len(theirs.distinct)))
    shared = ~mine.boilerplate & np.isin(mine.hashes, common, assume_unique=False)
    return Overlap(common, share, _longest_run(shared) + SHINGLE_WORDS - 1 if shared.any() else 0)


def _longest_run(mask: np.ndarray) -> int:
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return int((ends - starts).max()) if len(starts) else 0
