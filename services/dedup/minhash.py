"""MinHash signatures of shingle sets, and the LSH index that finds near-duplicate candidates.

datasketch does the hashing and banding. Shingles arrive already hashed to 32 bits, so the
MinHash hash function is the identity; datasketch's affine32 scheme mixes them before permuting.
"""

from __future__ import annotations

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

# 192, not 128: on the first 20,000 ANT articles the estimate's error near the 0.8 threshold (about
# 0.035 at 128) put 7 pairs on the wrong side; at 192 (0.029) 3, for 19% more state per article
# and a decider as fast (`make eval-dedup`, benchmarks/bench_dedup.py)
NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
# LSH only proposes candidates; they are confirmed on the Jaccard similarity of the shingle sets,
# so the banding is tuned below the near threshold and leans towards recall: with 128 permutations
# and a threshold of 0.8 that is 21 bands of 6, which proposes 99.8% of pairs at 0.8 and 1.5% at 0.3.
LSH_MARGIN = 0.15
LSH_WEIGHTS = (0.2, 0.8)
# update_batch holds a shingles x NUM_PERM matrix: in slices, a 20 MB article needs megabytes, not gigabytes
BATCH = 8192

# generating the permutations is the costly part of a MinHash; every signature shares them
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def _identity(value: int) -> int:
    return value


def signature(shingle_hashes: np.ndarray) -> np.ndarray:
    """The MinHash values (uint32, NUM_PERM of them) of a set of 32-bit shingle hashes."""
    sketch = MinHash(
        num_perm=NUM_PERM, seed=SEED, hashfunc=_identity, permutations=_PERMUTATIONS, scheme=SCHEME
    )
    for start in range(0, len(shingle_hashes), BATCH):
        sketch.update_batch(shingle_hashes[start : start + BATCH])
    return sketch.hashvalues


def sketch(values: np.ndarray) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


def lsh_index(threshold: float) -> MinHashLSH:
    return MinHashLSH(threshold=max(0.05, threshold - LSH_MARGIN), num_perm=NUM_PERM, weights=LSH_WEIGHTS)
