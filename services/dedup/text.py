"""An article body as normalised words with their places in the original text, and its shingles.

The words are exactly `shared.arabic.tokens(body)` (the normalisation article ids and entity matching
use), but each keeps the character span it came from, so shared passages can be reported as offsets
into the body the analyst reads.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from shared.arabic import tokens

SHINGLE_WORDS = 5

# Normalisation never joins or splits across whitespace, so each whitespace-free chunk can be
# normalised on its own and keep its span; diacritics and invisible joiners stay inside their chunk.
_CHUNK = re.compile(r"\S+")
_MULTIPLIER = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime: odd, so combining loses nothing


class Word(NamedTuple):  # a tuple: an article has hundreds of words, and dataclasses build slowly
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Shingles:
    hashes: np.ndarray  # uint32, one per run of SHINGLE_WORDS words (one for a shorter text)
    starts: np.ndarray  # character span of each run in the body
    ends: np.ndarray


# news vocabulary repeats heavily, so most chunks and words are normalised and hashed once per process
_fold = lru_cache(maxsize=1 << 16)(tokens)


@lru_cache(maxsize=1 << 16)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def words(body: str) -> list[Word]:
    """Normalised words in text order; punctuation is dropped, so it never changes a fingerprint."""
    return [
        Word(text, chunk.start(), chunk.end())
        for chunk in _CHUNK.finditer(body)
        for text in _fold(chunk.group())
    ]


def digest(body_words: list[Word]) -> str:
    """Identity of the text for exact duplicates: the same words in the same order."""
    joined = " ".join(word.text for word in body_words)
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=8).hexdigest()


def _mix(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, so every bit of a shingle hash depends on every word."""
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))


def shingles(body_words: list[Word]) -> Shingles:
    """Hashes of every run of SHINGLE_WORDS words, combined from per-word hashes in one pass."""
    size = min(SHINGLE_WORDS, len(body_words))
    count = len(body_words) - size + 1 if size else 0
    word_hashes = np.fromiter((_word_hash(w.text) for w in body_words), np.uint64, len(body_words))
    combined = np.zeros(count, np.uint64)
    for offset in range(size):  # a polynomial in the word hashes: order matters, as in the text
        combined = combined * _MULTIPLIER + word_hashes[offset : offset + count]
    starts = np.fromiter((w.start for w in body_words[:count]), np.int64, count)
    ends = np.fromiter((w.end for w in body_words[size - 1 :]), np.int64, count)
    return Shingles((_mix(combined) >> np.uint64(32)).astype(np.uint32), starts, ends)
