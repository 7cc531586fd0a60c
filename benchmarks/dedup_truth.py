"""Pair-level dedup truth on real news, computed exhaustively and independently of services/dedup.

Over the first `--articles` articles (default 20,000) of the ANT corpus, in file order, every pair of
articles that shares any informative word 5-gram is scored exactly:

- words: the body folded by this module's own normalisation (NFKC, Arabic diacritics and tatweel
  removed, alef/yeh/teh-marbuta variants folded, Arabic-Indic digits to ASCII, lower case), split into
  runs of letters and digits. It is deliberately not `shared.arabic` nor the dedup code: a truth that
  shared their bugs would not find them;
- shingles: the set of word 5-grams (a text shorter than five words is one shingle);
- exact: the same normalised words in the same order;
- near: Jaccard similarity of the two full shingle sets >= 0.8 (exact pairs are near too);
- boilerplate: a shingle in at least `--boilerplate-df` distinct texts (default 10, about one in 2,000;
  identical bodies count once, since one outlet files the same article under several sections): royal
  titles, Quran verses, agency sign-offs, "read more" lines, formulaic background paragraphs;
- passage: containment of the smaller article >= 0.2, i.e. shared informative shingles divided by the
  informative shingles of the article that has fewer (both after boilerplate removal); near pairs are
  passage pairs too;
- story: connected components of the graph whose edges are the passage-or-near pairs.

Exhaustive without comparing 200 million pairs: an inverted index from each informative shingle to its
articles yields every pair that shares one, with its count of shared shingles, in one pass of numpy
over the postings (shingles past the boilerplate frequency never make pairs, which bounds the work).
Pairs sharing only boilerplate have no passage by definition; their Jaccard is below 0.8 unless both
are nearly all boilerplate, which this corpus does not have (the report counts such articles).

Run: .venv/bin/python benchmarks/dedup_truth.py [--articles N] [--out truth.json]
The corpus path is $AKHBAR_SHARED/corpora/news/ant-v2.1.jsonl.gz (AKHBAR_SHARED defaults to the folder
`shared` beside the repository).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import re
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path("corpora") / "news" / "ant-v2.1.jsonl.gz"
SHINGLE = 5
NEAR_JACCARD = 0.8
PASSAGE_CONTAINMENT = 0.2
BOILERPLATE_DF = 10

_REMOVE = dict.fromkeys(
    [c for c in range(0x0610, 0x0700) if unicodedata.category(chr(c)) == "Mn"] + [0x0640, 0x200C, 0x200D]
)
_FOLD = str.maketrans(
    {
        **{ord(c): "ا" for c in "أإآٱ"},
        ord("ى"): "ي",
        ord("ة"): "ه",
        ord("ؤ"): "و",
        ord("ئ"): "ي",
        ord("ی"): "ي",
        ord("ک"): "ك",
        **{0x0660 + d: str(d) for d in range(10)},
        **{0x06F0 + d: str(d) for d in range(10)},
    }
)
_WORD = re.compile(r"[^\W_]+")


def shared_dir() -> Path:
    return Path(os.environ.get("AKHBAR_SHARED") or ROOT.parent / "shared")


def corpus_path() -> Path:
    return shared_dir() / CORPUS


@dataclass(frozen=True)
class NewsArticle:
    id: str
    title: str
    body: str


def read_articles(count: int, path: Path | None = None) -> Iterator[NewsArticle]:
    """The first `count` articles of the corpus, in file order."""
    with gzip.open(path or corpus_path(), "rt", encoding="utf-8") as lines:
        for line in itertools.islice(lines, count):
            record = json.loads(line)
            yield NewsArticle(record["id"], record["title"], record["body"])


def normalised_words(body: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", body).translate(_REMOVE).translate(_FOLD).lower()
    return _WORD.findall(folded)


def shingle_set(words: list[str], vocabulary: dict[str, int]) -> set[tuple[int, ...]]:
    ids = [vocabulary.setdefault(word, len(vocabulary)) for word in words]
    if len(ids) < SHINGLE:
        return {tuple(ids)} if ids else set()
    return set(zip(*(ids[i:] for i in range(SHINGLE)), strict=False))


@dataclass
class Truth:
    ids: list[str]
    exact: list[tuple[int, int]]  # article positions, smaller first
    near: list[tuple[int, int, float]]  # with the Jaccard similarity
    passage: list[tuple[int, int, float]]  # with the containment of the smaller article
    stories: list[int]  # per article: the position of the first article of its story
    boilerplate_shingles: int
    all_boilerplate: int  # articles with no informative shingle left

    def to_json(self) -> dict[str, object]:
        return {
            "ids": self.ids,
            "exact": self.exact,
            "near": self.near,
            "passage": self.passage,
            "stories": self.stories,
            "boilerplate_shingles": self.boilerplate_shingles,
            "all_boilerplate": self.all_boilerplate,
        }


def _components(count: int, edges: list[tuple[int, int]]) -> list[int]:
    """Per node, the smallest node of its connected component (union-find)."""
    parent = list(range(count))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(node) for node in range(count)]


def _shared_counts(postings: list[np.ndarray], count: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of articles that share a shingle of `postings` (article positions per shingle,
    ascending), with how many they share."""
    keys = []
    for docs in postings:
        first, second = np.triu_indices(len(docs), 1)
        keys.append(docs[first].astype(np.int64) * count + docs[second])
    if not keys:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    pairs, shared = np.unique(np.concatenate(keys), return_counts=True)
    return pairs, shared


def score(articles: list[NewsArticle], boilerplate_df: int = BOILERPLATE_DF) -> Truth:
    vocabulary: dict[str, int] = {}
    words = [normalised_words(article.body) for article in articles]
    sets = [shingle_set(w, vocabulary) for w in words]
    shingle_ids: dict[tuple[int, ...], int] = {}
    encoded = [
        np.array(sorted(shingle_ids.setdefault(s, len(shingle_ids)) for s in shingles), np.int64)
        for shingles in sets
    ]
    joined = [" ".join(w) for w in words]
    # one count per distinct text: a story reprinted word for word by several sections is not boilerplate
    distinct = list({text: e for text, e in zip(joined, encoded, strict=True)}.values())
    frequency = np.bincount(np.concatenate(distinct), minlength=len(shingle_ids)) if distinct else np.zeros(0)
    boilerplate = frequency >= boilerplate_df
    informative = [e[~boilerplate[e]] for e in encoded]
    count = len(articles)

    # postings of informative shingles that at least two articles have
    owners = np.concatenate([np.full(len(e), n, np.int64) for n, e in enumerate(informative)])
    shingle_of = np.concatenate(informative)
    order = np.lexsort((owners, shingle_of))
    shingle_of, owners = shingle_of[order], owners[order]
    bounds = np.flatnonzero(np.diff(shingle_of)) + 1
    postings = [docs for docs in np.split(owners, bounds) if len(docs) > 1]
    pairs, shared = _shared_counts(postings, count)

    exact, near, passage = [], [], []
    sizes = np.array([len(s) for s in encoded])
    informative_sizes = np.array([len(s) for s in informative])
    for key, common in zip(pairs.tolist(), shared.tolist(), strict=True):
        a, b = divmod(key, count)
        containment = common / max(1, min(informative_sizes[a], informative_sizes[b]))
        # the full intersection is at most the informative one plus the smaller boilerplate part, and
        # Jaccard is at most intersection / larger set: compute it only where 0.8 is within reach
        jaccard = 0.0
        reach = common + min(sizes[a] - informative_sizes[a], sizes[b] - informative_sizes[b])
        if reach >= NEAR_JACCARD * max(sizes[a], sizes[b]):
            together = len(np.intersect1d(encoded[a], encoded[b], assume_unique=True))
            jaccard = together / (sizes[a] + sizes[b] - together)
        if joined[a] == joined[b]:
            exact.append((a, b))
        if jaccard >= NEAR_JACCARD:
            near.append((a, b, round(jaccard, 4)))
        if containment >= PASSAGE_CONTAINMENT or jaccard >= NEAR_JACCARD:
            passage.append((a, b, round(containment, 4)))
    # identical texts made only of boilerplate share no informative shingle: group them by their words
    by_text: dict[str, list[int]] = {}
    for n in np.flatnonzero(informative_sizes == 0).tolist():
        by_text.setdefault(joined[n], []).append(n)
    for group in by_text.values():
        for a, b in itertools.combinations(group, 2):
            exact.append((a, b))
            near.append((a, b, 1.0))
            passage.append((a, b, 1.0))
    stories = _components(count, [(a, b) for a, b, _ in passage])
    return Truth(
        [article.id for article in articles],
        exact,
        near,
        passage,
        stories,
        int(boilerplate.sum()),
        int((informative_sizes == 0).sum()),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--boilerplate-df", type=int, default=BOILERPLATE_DF)
    parser.add_argument("--out", type=Path, help="write the truth as JSON here")
    args = parser.parse_args()
    if not corpus_path().exists():
        sys.exit(f"no corpus at {corpus_path()} (set AKHBAR_SHARED)")
    started = time.perf_counter()
    truth = score(list(read_articles(args.articles)), args.boilerplate_df)
    elapsed = time.perf_counter() - started
    story_sizes = np.bincount(truth.stories)
    story_sizes = story_sizes[story_sizes > 0]
    print(
        f"{len(truth.ids)} articles in {elapsed:.0f} s: {len(truth.exact)} exact pairs, "
        f"{len(truth.near)} near pairs, {len(truth.passage)} passage pairs; "
        f"{truth.boilerplate_shingles} boilerplate shingles, {truth.all_boilerplate} articles of "
        f"boilerplate only; {int((story_sizes > 1).sum())} stories of two or more articles, the largest "
        f"{int(story_sizes.max())}"
    )
    if args.out:
        args.out.write_text(json.dumps(truth.to_json()))


if __name__ == "__main__":
    main()
