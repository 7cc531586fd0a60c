"""The benchmark's articles: files made from the labelled corpus, distinct from every earlier run."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from dataclasses import dataclass, replace

from benchmarks.corpus import Generator, Item
from services.ingest.articles import to_article
from services.ingest.parsing import parse_file


@dataclass(frozen=True)
class File:
    name: str
    data: bytes
    article_id: str
    label: str


def _items(count: int, copy_share: float, seed: int) -> list[Item]:
    """Corpus items in stream order with about `copy_share` exact, near and partial copies.

    The seeds themselves are left out: their ids are the same in every run, so they are already
    indexed and would be neither new work nor countable. Copies are thinned, never originals, so every
    kept copy still follows its source.
    """
    rng = random.Random(seed)
    generator = Generator(seed)
    kept: list[Item] = []
    seen: set[str] = set()
    while len(kept) < count:
        items = [i for i in generator.corpus(originals=50) if i.edit != "seed" and i.id not in seen]
        copies = [i for i in items if i.label != "unique"]
        uniques = len(items) - len(copies)
        keep = min(1.0, copy_share / (1 - copy_share) * uniques / max(1, len(copies)))
        for item in items:
            if item.label == "unique" or rng.random() < keep:
                kept.append(item)
                seen.add(item.id)
    return kept[:count]


def make_files(tag: str, count: int, copy_share: float = 0.3, seed: int = 0) -> list[File]:
    """`count` text files named bench-<tag>-NNNNN.txt, with the id the ingest service will give each."""
    files: dict[str, File] = {}
    for n, item in enumerate(_items(count, copy_share, seed)):
        name = f"bench-{tag}-{n:05d}.txt"
        data = f"{item.title}\n\n{item.body}\n".encode()
        article_id = to_article(parse_file(data, name), name).id
        files.setdefault(article_id, File(name, data, article_id, item.label))
    return list(files.values())


def labels(files: list[File]) -> dict[str, int]:
    return dict(Counter(f.label for f in files))


class Stream:
    """One corpus handed out to the run's phases in order, so later phases carry copies of earlier
    articles, as a news stream does. Each phase's files get its own name prefix for counting."""

    def __init__(self, tag: str, files: list[File]) -> None:
        self.tag = tag
        self.files = files
        self.position = 0

    def next(self, tag: str, count: int) -> list[File]:
        """Up to `count` files from where the last phase stopped, named bench-<tag>-NNNNN.txt."""
        chunk = self.files[self.position : self.position + count]
        return [replace(f, name=f"bench-{tag}-{n:05d}.txt") for n, f in enumerate(chunk)]

    def used(self, count: int) -> None:
        self.position += count

    @property
    def left(self) -> int:
        return len(self.files) - self.position


def long_article(paragraphs: list[str], size: int, tag: str) -> bytes:
    """Real-looking Arabic text of at most `size` UTF-8 bytes: the paragraphs in turn, each numbered
    with `tag`, so the article is new and no two of its paragraphs are the same."""
    out: list[bytes] = []
    total = 0
    for n in itertools.count():
        line = f"{paragraphs[n % len(paragraphs)]} (فقرة {tag} رقم {n})\n".encode()
        if total + len(line) > size:
            return b"".join(out)
        out.append(line)
        total += len(line)
    raise AssertionError("unreachable")  # itertools.count() never ends
