"""The benchmark's articles: endless streams of files, from the labelled generator or the real corpus.

Every file is new work for the pipeline: its article id (the digest of the body the ingest service
parses) differs from every other file's in the stream and from every earlier run's, so it is
indexed and counted, never folded into a document already there.
"""

from __future__ import annotations

import itertools
import json
import random
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import PurePath

from benchmarks import realnews
from benchmarks.corpus import Generator, Item
from services.ingest.articles import to_article
from services.ingest.parsing import NotAnArticle, parse_file


@dataclass(frozen=True)
class File:
    name: str
    data: bytes
    article_id: str
    label: str


def _file(data: bytes, name: str, label: str) -> File | None:
    """The file with the id the ingest service will give it; None for one its door would refuse."""
    try:
        article_id = to_article(parse_file(data, name), name).id
    except NotAnArticle:
        return None
    return File(name, data, article_id, label)


def _items(copy_share: float, seed: int) -> Iterator[Item]:
    """Corpus items in stream order with about `copy_share` exact, near and partial copies, for ever.

    The seeds themselves are left out: their ids are the same in every run, so they are already
    indexed and would be neither new work nor countable. Copies are thinned, never originals, so every
    kept copy still follows its source. One generator makes every batch and never repeats an id it
    made, so the stream needs no pass marks.
    """
    rng = random.Random(seed)
    generator = Generator(seed)
    while True:
        items = [i for i in generator.corpus(originals=50) if i.edit != "seed"]
        copies = [i for i in items if i.label != "unique"]
        uniques = len(items) - len(copies)
        keep = min(1.0, copy_share / (1 - copy_share) * uniques / max(1, len(copies)))
        yield from (i for i in items if i.label == "unique" or rng.random() < keep)


def generated(copy_share: float = 0.3, seed: int = 0) -> Iterator[File]:
    """Endless text files (title line, blank line, body) made from the seeds by `benchmarks/corpus.py`,
    labelled with what dedup must answer. A run's `seed` makes articles no other seed makes."""
    for item in _items(copy_share, seed):
        made = _file(f"{item.title}\n\n{item.body}\n".encode(), "generated.txt", item.label)
        if made is not None:
            yield made


def real(tag: str, cycle: int | None = None) -> Iterator[File]:
    """Endless ANT articles (the first `cycle` of the corpus, or all of it), read again and again.

    Each is the corpus' own JSON object, so the door reads its date, outlet and address as it does
    for `make ingest-real`. Every body ends with a line naming the run's `tag` and the pass, so each
    pass is new work and no run meets an earlier run's articles. Within a pass an id is sent once:
    outlets file one story under several sections, and those lines have the same body. Articles
    without a body are left out (the door would dead-letter them, not index them).
    """
    for n in itertools.count():
        seen: set[str] = set()
        for article in realnews.articles(cycle):
            if not str(article.get("body") or "").strip():
                continue
            record = {**article, "body": f"{article['body']}\n\n(akhbar bench {tag}, pass {n + 1})"}
            data = json.dumps(record, ensure_ascii=False).encode()
            made = _file(data, "real.json", f"pass {n + 1}")
            if made is not None and made.article_id not in seen:
                seen.add(made.article_id)
                yield made
        if not seen:
            raise ValueError(f"no article of {realnews.corpus_path()} can be sent: none has a body")


class Stream:
    """One endless stream of files handed out to the run's phases in turn, as a news stream arrives.

    A phase draws files until its own deadline, each named bench-<tag>-NNNNN for counting by
    prefix. Files made ahead of a phase (`stock`) keep their making out of its measured time.
    """

    def __init__(self, tag: str, source: Iterator[File]) -> None:
        self.tag = tag
        self._source = source
        self._stocked: deque[File] = deque()
        self.labels: dict[str, Counter[str]] = {}  # phase tag -> labels of the files it drew

    def stock(self, count: int) -> None:
        """Make up to `count` files now, between phases; a phase that outruns them makes more as it goes."""
        self._stocked.extend(itertools.islice(self._source, max(0, count - len(self._stocked))))

    def files(self, tag: str) -> Iterator[File]:
        """The next files for ever, named bench-<tag>-NNNNN with their source's extension."""
        labels = self.labels.setdefault(tag, Counter())
        for n in itertools.count():
            f = self._stocked.popleft() if self._stocked else next(self._source)
            labels[f.label] += 1
            yield replace(f, name=f"bench-{tag}-{n:05d}{PurePath(f.name).suffix}")

    def take(self, tag: str, count: int) -> list[File]:
        return list(itertools.islice(self.files(tag), count))


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
