"""A labelled dedup corpus made from the seeds: copies, edited copies, stitched and unrelated articles.

Each item says what dedup must answer and about which earlier article:
- exact: an original with other punctuation and spelling noise (diacritics, tatweel, alef forms,
  Arabic-Indic digits): the same words after normalisation, but a different article id;
- near: an original with one or two small edits (typos, changed numbers, a sentence dropped or
  added, paragraphs reordered), plus the same spelling noise;
- partial: two or three passages of an original (paragraphs of 25 words or more) stitched among
  one to three new paragraphs: more than a quotation, as dedup's `min_share` / `min_shared_chars` ask;
- unique: the originals themselves (except seed 002, which shares paragraphs of seed 000's agency
  copy), and unrelated articles.
Unrelated text is drawn word by word from the seeds' vocabulary, so it reads like the seeds to the
normaliser but shares no 5-gram with them. The items come in stream order: every item after its source.

Run: .venv/bin/python benchmarks/corpus.py [--originals N] [--seed S] > corpus.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from services.ingest.parsing import article_id

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
# the seed files that share agency paragraphs (the issue's own example)
SEED_PARTIAL = ("002", "000")

_SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+")
_WORD = re.compile(r"[\u0621-\u064a]{2,}")
_NUMBER = re.compile(r"\d+")
_DIACRITICS = "\u064e\u064f\u0650\u0651\u0652"
_ALEF_FORMS = {"ا": "أ", "ي": "ى", "ه": "ة"}
_MARKS = np.array([ord(c) for c in _DIACRITICS + "\u0640"], np.uint32)  # and tatweel
_PUNCTUATION_SWAPS = (("،", ","), (".", " ."), ('"', "«"), (":", " :"))


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    body: str
    label: str  # unique, exact, near, partial
    source: str | None  # the earlier article it copies or shares passages with
    edit: str  # what was done to the source


def paragraphs(body: str) -> list[str]:
    """Non-empty lines, long ones cut into runs of three sentences (one seed is a single line)."""
    result = []
    for line in (line.strip() for line in body.splitlines()):
        sentences = _SENTENCE_END.split(line) if line else []
        for i in range(0, len(sentences), 3):
            result.append(" ".join(sentences[i : i + 3]))
    return result


class Generator:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.seeds = {path.name[:3]: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}
        self.vocabulary = sorted({w for body in self.seeds.values() for w in _WORD.findall(body)})
        self.ids: set[str] = set()

    def sentence(self) -> str:
        words = self.random.choices(self.vocabulary, k=self.random.randint(8, 20))
        if self.random.random() < 0.3:
            words.insert(self.random.randrange(len(words)), str(self.random.randint(2, 2000)))
        return " ".join(words) + "."

    def unrelated(self, paragraphs: int) -> str:
        return "\n\n".join(
            " ".join(self.sentence() for _ in range(self.random.randint(3, 5))) for _ in range(paragraphs)
        )

    def noise(self, body: str) -> str:
        """Spelling that normalisation folds: diacritics, tatweel, alef/yaa/taa marbuta, digits.

        On arrays of code points: one random draw per character in Python made this most of the
        time it took to build a benchmark corpus.
        """
        draws = np.random.default_rng(self.random.getrandbits(64))
        codes = np.frombuffer(body.encode("utf-32-le"), np.uint32).copy()
        rolls = draws.random(len(codes))
        for plain, other in _ALEF_FORMS.items():
            codes[(codes == ord(plain)) & (rolls < 0.1)] = ord(other)
        digits = (codes >= ord("0")) & (codes <= ord("9")) & (rolls < 0.5)
        codes[digits] += 0x0660 - ord("0")
        marked = np.flatnonzero((codes >= 0x0621) & (codes <= 0x064A) & (rolls > 0.93))
        marks = _MARKS[draws.integers(0, len(_MARKS), len(marked))]
        return np.insert(codes, marked + 1, marks).astype("<u4").tobytes().decode("utf-32-le")

    def repunctuate(self, body: str) -> str:
        for old, new in _PUNCTUATION_SWAPS:
            body = body.replace(old, new)
        return body + " ..."  # so that even a text without those marks changes its article id

    # small edits: each leaves the 5-gram Jaccard similarity well above 0.8
    def typos(self, body: str) -> str:
        words = body.split(" ")
        for i in self.random.sample(range(len(words)), 3):
            word = words[i]
            if len(word) > 3:
                j = self.random.randrange(len(word) - 1)
                words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
        return " ".join(words)

    def numbers(self, body: str) -> str:
        found = list(_NUMBER.finditer(body))
        if not found:
            return self.typos(body)
        for match in reversed(self.random.sample(found, min(3, len(found)))):
            body = (
                body[: match.start()]
                + str(int(match.group()) + self.random.randint(1, 9))
                + body[match.end() :]
            )
        return body

    def drop_sentence(self, body: str) -> str:
        sentences = _SENTENCE_END.split(body)
        del sentences[self.random.randrange(len(sentences))]
        return " ".join(sentences)

    def add_sentence(self, body: str) -> str:
        sentences = _SENTENCE_END.split(body)
        sentences.insert(self.random.randrange(len(sentences) + 1), self.sentence())
        return " ".join(sentences)

    def reorder(self, body: str) -> str:
        parts = paragraphs(body)
        if len(parts) < 3:
            return self.drop_sentence(body)
        i, j = self.random.sample(range(len(parts)), 2)
        parts[i], parts[j] = parts[j], parts[i]
        return "\n\n".join(parts)

    def stitch(self, body: str, count: int) -> str:
        """`count` passages of the body, each at least 25 words, among new paragraphs."""
        candidates = [p for p in paragraphs(body) if len(p.split()) >= 25] or paragraphs(body)
        taken = self.random.sample(candidates, min(count, len(candidates)))
        parts = [self.unrelated(1) for _ in range(self.random.randint(1, 3))]
        for passage in taken:
            parts.insert(self.random.randrange(len(parts) + 1), passage)
        return "\n\n".join(parts)

    def item(self, body: str, title: str, label: str, source: str | None, edit: str) -> Item | None:
        identity = article_id(body)
        if identity in self.ids:  # the same id is the same document, not a copy: nothing to label
            return None
        self.ids.add(identity)
        return Item(identity, title, body, label, source, edit)

    def corpus(self, originals: int) -> list[Item]:
        bases: list[Item] = []
        seed_ids = {name: article_id(body) for name, body in self.seeds.items()}
        for name, body in self.seeds.items():
            source = seed_ids[SEED_PARTIAL[1]] if name == SEED_PARTIAL[0] else None
            bases.append(
                Item(seed_ids[name], f"seed {name}", body, "partial" if source else "unique", source, "seed")
            )
        self.ids.update(seed_ids.values())
        for n in range(originals):
            body = self.unrelated(self.random.randint(7, 12))
            self.ids.add(article_id(body))
            bases.append(Item(article_id(body), f"original {n}", body, "unique", None, "new"))
        edits: dict[str, Callable[[str], str]] = {
            "typos": self.typos,
            "numbers": self.numbers,
            "drop_sentence": self.drop_sentence,
            "add_sentence": self.add_sentence,
            "reorder": self.reorder,
        }
        derived: list[Item | None] = []
        for base in bases:
            derived.append(
                self.item(
                    self.repunctuate(self.noise(base.body)), base.title, "exact", base.id, "punctuation"
                )
            )
            for _ in range(2):
                names = self.random.sample(sorted(edits), self.random.randint(1, 2))
                body = base.body
                for name in names:
                    body = edits[name](body)
                derived.append(self.item(self.noise(body), base.title, "near", base.id, "+".join(names)))
            count = self.random.randint(2, 3)
            derived.append(
                self.item(self.stitch(base.body, count), "stitched", "partial", base.id, f"stitch{count}")
            )
        for n in range(originals):
            derived.append(
                self.item(self.unrelated(self.random.randint(7, 12)), f"unrelated {n}", "unique", None, "new")
            )
        stream = [item for item in derived if item is not None]
        self.random.shuffle(stream)
        return bases + stream


def generate(originals: int = 40, seed: int = 6) -> list[Item]:
    return Generator(seed).corpus(originals)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--originals", type=int, default=40, help="new originals besides the five seeds")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    for item in generate(args.originals, args.seed):
        sys.stdout.write(json.dumps(asdict(item), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
