"""Fingerprints of an article's text, and the verdict they give against earlier articles.

Shared passages are found by winnowing (Schleimer, Wilkerson and Aiken, 2003) over hashes of word
5-grams of the normalised text: a stable subset of the 5-grams is kept as fingerprints, so two
articles that share a passage of a few sentences share fingerprints there, whatever their
diacritics, digits or punctuation, even when the rest of each article differs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from shared.arabic import normalize_for_matching

SHINGLE_WORDS = 5
WINDOW = 4  # winnowing window: every run of WINDOW + SHINGLE_WORDS - 1 shared words is caught
# fewer matched fingerprints than this is chance (a common phrase), not a shared passage
MIN_SHARED_FINGERPRINTS = 4
# matched shingles closer than this many words are one passage
MERGE_GAP_WORDS = 8
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Fingerprint:
    digest: str
    start: int  # character span of the 5-gram in the original body
    end: int


@dataclass(frozen=True)
class Owner:
    """The earliest article that had a fingerprint, and the story cluster it belongs to."""

    article_id: str
    cluster_id: str


@dataclass(frozen=True)
class Related:
    article_id: str
    overlap: float  # share of this article's characters inside passages shared with that one
    passages: list[tuple[int, int]]


@dataclass(frozen=True)
class Verdict:
    status: str  # unique, exact, partial
    cluster_id: str
    duplicate_of: str | None = None
    similarity: float | None = None
    related: list[Related] = field(default_factory=list)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def _words(body: str) -> list[tuple[str, int, int]]:
    words = []
    for match in WORD.finditer(body):
        word = normalize_for_matching(match.group())
        if word:
            words.append((word, match.start(), match.end()))
    return words


def body_digest(body: str) -> str:
    return _digest(" ".join(word for word, _, _ in _words(body)))


def fingerprints(body: str) -> list[Fingerprint]:
    """The winnowed 5-gram fingerprints of a body, in text order, each once."""
    words = _words(body)
    grams = [
        (_digest(" ".join(w for w, _, _ in words[i : i + SHINGLE_WORDS])), i)
        for i in range(len(words) - SHINGLE_WORDS + 1)
    ]
    chosen: dict[int, str] = {}
    for left in range(max(1, len(grams) - WINDOW + 1)):
        window = grams[left : left + WINDOW]
        digest, position = min(window, key=lambda g: (g[0], -g[1]))
        chosen[position] = digest
    return [
        Fingerprint(digest, words[i][1], words[i + SHINGLE_WORDS - 1][2])
        for i, digest in sorted(chosen.items())
    ]


def _merge(spans: list[tuple[int, int]], gap_chars: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + gap_chars:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def judge(
    article_id: str, body: str, lookup: Callable[[str], Owner | None]
) -> tuple[Verdict, list[Fingerprint]]:
    """Compare an article with what earlier articles left in the fingerprint store.

    `lookup(key)` answers which earlier article owns a fingerprint. The article's own earlier
    visits (a re-delivery, or the same file dropped again) do not count as another article.
    """
    whole = lookup("body:" + body_digest(body))
    if whole is not None and whole.article_id != article_id:
        return Verdict("exact", whole.cluster_id, whole.article_id, 1.0), []
    own = fingerprints(body)
    shared: dict[str, list[Fingerprint]] = {}
    clusters: dict[str, str] = {}
    for fingerprint in own:
        owner = lookup("shingle:" + fingerprint.digest)
        if owner is not None and owner.article_id != article_id:
            shared.setdefault(owner.article_id, []).append(fingerprint)
            clusters[owner.article_id] = owner.cluster_id
    length = max(1, len(body))
    average_word = max(1, length // max(1, len(_words(body))))
    related = []
    for other, matched in shared.items():
        if len(matched) < MIN_SHARED_FINGERPRINTS:
            continue
        passages = _merge([(f.start, f.end) for f in matched], MERGE_GAP_WORDS * average_word)
        overlap = round(sum(end - start for start, end in passages) / length, 4)
        related.append(Related(other, overlap, passages))
    if not related:
        return Verdict("unique", article_id), own
    related.sort(key=lambda r: -r.overlap)
    # the story is the one of the earlier article this one shares the most with
    cluster = clusters[related[0].article_id]
    return Verdict("partial", cluster, similarity=related[0].overlap, related=related), own
