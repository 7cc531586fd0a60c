"""The CRF sequence labeller over the pipeline's own tokens: IOB labels from gold spans,
training through CRFsuite, and tagging an article the rules have read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pycrfsuite

from services.entities.context import Article
from services.entities.features import Featurizer
from services.entities.recognizer import Reading

MODEL_DIR = Path(__file__).parent / "model"
Span = tuple[int, int, str]  # first and last token (inclusive) and type


def gold_labels(article: Article, entities: tuple[tuple[int, int, str], ...]) -> tuple[list[str], list[Span]]:
    """IOB labels of the article's tokens, a token being inside an entity it overlaps, and the
    gold entities as token spans (what held-out scoring compares with)."""
    tokens = article.tokens
    labels = ["O"] * len(tokens)
    projected = []
    k = 0
    for start, end, type_ in sorted(entities):
        while k < len(tokens) and tokens[k].end <= start:
            k += 1
        inside = []
        j = k
        while j < len(tokens) and tokens[j].start < end:
            inside.append(j)
            j += 1
        # two entities in one token (the corpora split what the pipeline keeps whole): the first wins
        if not inside or labels[inside[0]] != "O":
            continue
        labels[inside[0]] = f"B-{type_}"
        for j in inside[1:]:
            labels[j] = f"I-{type_}"
        projected.append((inside[0], inside[-1], type_))
    return labels, projected


def spans(labels: list[str]) -> Iterator[Span]:
    """(first, last, type) of the IOB labels' entities; an I- with no B- opens one too."""
    open_: tuple[int, str] | None = None
    for i, label in enumerate(labels):
        prefix, _, type_ = label.partition("-")
        if open_ is not None and (prefix != "I" or type_ != open_[1]):
            yield open_[0], i - 1, open_[1]
            open_ = None
        if prefix in ("B", "I") and open_ is None:
            open_ = (i, type_)
    if open_ is not None:
        yield open_[0], len(labels) - 1, open_[1]


class Tagger:
    def __init__(self, featurizer: Featurizer, path: Path) -> None:
        self.featurizer = featurizer
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))

    def spans(self, reading: Reading) -> list[Span]:
        labels: list[str] = []
        for sequence in self.featurizer.article(reading):
            labels.extend(self._tagger.tag(sequence))
        return list(spans(labels))


def train(
    featurizer: Featurizer, data: list[tuple[Reading, list[str]]], path: Path, params: dict[str, float]
) -> None:
    """A CRF by L-BFGS over every sentence of the readings, written to ``path``."""
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for reading, labels in data:
        offset = 0
        for sequence in featurizer.article(reading):
            trainer.append(sequence, labels[offset : offset + len(sequence)])
            offset += len(sequence)
    trainer.set_params(params)
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))
