"""The hand-annotated NER corpora in ``../shared/corpora/ner`` as the pipeline's own segments
with coarse IOB labels, and the held-out split of NewsFANEGold that training never sees."""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from services.entities.lexicon import DATA
from services.entities.segment import Segment, Segmenter

ROOT = Path(__file__).resolve().parents[2]
# One-letter clitics that the corpora write apart (و السعودية) are joined to the next word
# in the text rebuilt from the tokens, as running text writes them.
_DETACHED_CLITICS = frozenset({"و", "ف", "ب", "ل", "ك"})
# NewsFANEGold marks no article boundaries; consecutive sentences are one article's, so the
# split is by contiguous blocks of this many sentences: one block in HELD_OUT_EVERY is held out.
BLOCK = 50
HELD_OUT_EVERY = 5
_AQMAR_TAG = re.compile(r"^([BI])-+([A-Z]+?)(?:-?\d+|S\d+)?`?$")


def shared_root() -> Path:
    return Path(os.environ.get("AKHBAR_SHARED", ROOT.parent / "shared"))


def ner_root() -> Path:
    return shared_root() / "corpora" / "ner"


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    entities: tuple[tuple[int, int, str], ...]  # character spans in ``text`` with their type


@dataclass(frozen=True, slots=True)
class Labelled:
    segments: list[Segment]
    labels: list[str]  # B-TYPE / I-TYPE / O per segment
    entities: tuple[tuple[int, int, str], ...]  # gold spans projected onto the segments


def class_map(data: Path = DATA) -> dict[tuple[str, str], str | None]:
    """(corpus, class) -> PERSON / LOCATION / ORGANIZATION, or None for no entity."""
    out: dict[tuple[str, str], str | None] = {}
    for line in (data / "ner_classes.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            corpus, name, type_ = line.split("\t")
            out[corpus, name] = None if type_ == "-" else type_
    return out


def _sentences(rows: Iterator[tuple[str, str] | None]) -> Iterator[list[tuple[str, str]]]:
    sentence: list[tuple[str, str]] = []
    for row in rows:
        if row is None:
            if sentence:
                yield sentence
            sentence = []
        else:
            sentence.append(row)
    if sentence:
        yield sentence


def _fane_rows(path: Path) -> Iterator[tuple[str, str] | None]:
    with path.open(encoding="utf-8-sig") as fh:
        for line in fh:
            line = line.rstrip("\r\n").replace("\u200e", "")
            token, _, tag = line.partition("\t")
            if not token.strip():
                # a blank line ends a sentence; a line with no token (only a tag) is skipped
                if not line.strip():
                    yield None
                continue
            yield token.strip(), tag.strip().split("\t")[-1] or "O"


def _aqmar_rows(path: Path) -> Iterator[tuple[str, str] | None]:
    with path.open(encoding="utf-8-sig") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2:
                yield None
                continue
            tag = parts[-1]
            found = _AQMAR_TAG.match(tag)
            yield parts[0], "O" if found is None else f"{found[1]}-{found[2]}"


def _build(
    tokens: list[tuple[str, str]], corpus: str, classes: dict[tuple[str, str], str | None]
) -> Sentence:
    """Text rebuilt from the tokens, with each entity's character span and coarse type."""
    pieces: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    open_span: list[int | str] | None = None
    for k, (token, tag) in enumerate(tokens):
        if k and not (tokens[k - 1][0] in _DETACHED_CLITICS and tokens[k - 1][1] == "O"):
            pieces.append(" ")
            pos += 1
        start, pos = pos, pos + len(token)
        pieces.append(token)
        prefix, _, name = tag.partition("-")
        type_ = classes.get((corpus, name)) if prefix in ("B", "I") else None
        if open_span is not None and (prefix != "I" or open_span[2] != type_):
            spans.append((int(open_span[0]), int(open_span[1]), str(open_span[2])))
            open_span = None
        if type_ is None:
            continue
        if open_span is None:
            open_span = [start, pos, type_]
        else:
            open_span[1] = pos
    if open_span is not None:
        spans.append((int(open_span[0]), int(open_span[1]), str(open_span[2])))
    return Sentence("".join(pieces), tuple(spans))


def label(sentence: Sentence, segmenter: Segmenter) -> Labelled:
    """IOB labels of the pipeline's segments: a segment is inside an entity it overlaps."""
    segments = segmenter.segments(sentence.text)
    labels = ["O"] * len(segments)
    projected = []
    k = 0
    for start, end, type_ in sentence.entities:
        while k < len(segments) and segments[k].end <= start:
            k += 1
        inside = []
        j = k
        while j < len(segments) and segments[j].start < end:
            inside.append(j)
            j += 1
        if not inside:
            continue
        labels[inside[0]] = f"B-{type_}"
        for j in inside[1:]:
            labels[j] = f"I-{type_}"
        projected.append((segments[inside[0]].start, segments[inside[-1]].end, type_))
    return Labelled(segments, labels, tuple(projected))


def newsfane(root: Path | None = None) -> list[Sentence]:
    path = (root or ner_root()) / "fane" / "NewsFANE_Gold_2014_170K.txt"
    classes = class_map()
    return [_build(s, "fane", classes) for s in _sentences(_fane_rows(path))]


def wikifane(root: Path | None = None) -> list[Sentence]:
    path = (root or ner_root()) / "fane" / "WikiFANE_Gold_2014_500K.txt"
    classes = class_map()
    return [_build(s, "fane", classes) for s in _sentences(_fane_rows(path))]


def aqmar(root: Path | None = None) -> list[Sentence]:
    classes = class_map()
    out: list[Sentence] = []
    for path in sorted(((root or ner_root()) / "aqmar").glob("*.txt")):
        out.extend(_build(s, "aqmar", classes) for s in _sentences(_aqmar_rows(path)))
    return out


def is_held_out(index: int) -> bool:
    """Whether NewsFANEGold's sentence ``index`` is in the held-out test blocks."""
    return (index // BLOCK) % HELD_OUT_EVERY == HELD_OUT_EVERY - 1


def newsfane_split(root: Path | None = None) -> tuple[list[Sentence], list[Sentence]]:
    """(training, held out) sentences of NewsFANEGold, by contiguous blocks."""
    sentences = newsfane(root)
    train = [s for i, s in enumerate(sentences) if not is_held_out(i)]
    test = [s for i, s in enumerate(sentences) if is_held_out(i)]
    return train, test
