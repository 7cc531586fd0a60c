"""The trained sequence labeller (CRFsuite, through python-crfsuite): training, and tagging
the pipeline's segments into typed spans."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pycrfsuite

from services.entities.features import Featurizer
from services.entities.segment import Segment

MODEL = Path(__file__).parent / "model" / "ner.crfsuite"
# Sentences are tagged one at a time: Viterbi is linear in their length, and cutting an
# article at sentence ends (or at this many segments) keeps each lattice small.
_SENTENCE_ENDS = frozenset(".!?؟\n")
_MAX_SEQUENCE = 120


def sentences(segments: list[Segment]) -> Iterator[tuple[int, int]]:
    """(first, end) segment ranges of the sentences of a text."""
    first = 0
    for i in range(1, len(segments)):
        gap = segments[i].gap
        if (gap and gap[-1] in _SENTENCE_ENDS) or i - first >= _MAX_SEQUENCE:
            yield first, i
            first = i
    if segments:
        yield first, len(segments)


def spans(labels: list[str]) -> Iterator[tuple[int, int, str]]:
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
    def __init__(self, featurizer: Featurizer, path: Path = MODEL) -> None:
        self._featurizer = featurizer
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))

    def labels(self, segments: list[Segment]) -> list[str]:
        out: list[str] = []
        for first, end in sentences(segments):
            out.extend(self._tagger.tag(self._featurizer.sequence(segments[first:end])))
        return out


def train(
    featurizer: Featurizer,
    data: list[tuple[list[Segment], list[str]]],
    path: Path,
    algorithm: str = "lbfgs",
    params: dict[str, float] | None = None,
) -> None:
    trainer = pycrfsuite.Trainer(algorithm=algorithm, verbose=False)
    for segments, labels in data:
        if segments:
            trainer.append(featurizer.sequence(segments), labels)
    trainer.set_params(params or {})
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))
