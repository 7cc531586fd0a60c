"""The CRF sequence labeller over the pipeline's own tokens: IOB labels from gold spans,
training through CRFsuite, and tagging an article the rules have read."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pycrfsuite

from services.entities.context import Article
from services.entities.conventions import Span
from services.entities.features import WINDOW, Featurizer
from services.entities.recognizer import Reading

MODEL_DIR = Path(__file__).parent / "model"
# words whose weights are kept at once (5 rows of 7 floats each: about 40 MB at most)
_WORD_CACHE = 100_000
# sentences Viterbi decodes side by side: a news article's all at once, a long text's in slices
_DECODED_TOGETHER = 256


@dataclass(frozen=True)
class Variant:
    name: str
    stacked: bool  # the rules' output among the features
    wikipedia: bool  # WikiFANEGold and AQMAR in training besides NewsFANEGold


VARIANTS = {
    v.name: v
    for v in (
        Variant("plain", stacked=False, wikipedia=False),
        Variant("plain+wiki", stacked=False, wikipedia=True),
        Variant("stacked", stacked=True, wikipedia=False),
        Variant("stacked+wiki", stacked=True, wikipedia=True),
    )
}
# The committed model: the variant that, with the rules first (stacked.ORDER), beats them most on
# the ANT gold and NewsFANEGold's held-out documents (benchmarks/entity_models.json).
CHOSEN = VARIANTS["plain+wiki"]


def model_path(variant: Variant, directory: Path = MODEL_DIR) -> Path:
    return directory / f"{variant.name.replace('+', '-')}.crfsuite"


# A word the annotated corpora a model learnt from wrote at least this often, and inside a name
# at most this share of the times, is an everyday word to that model (see ``everyday_words``).
_EVERYDAY_SEEN = 3
_EVERYDAY_IN_NAMES = 0.2


def everyday_path(model: Path) -> Path:
    """The everyday words that go with a model file (``everyday_words``)."""
    return model.with_suffix(".everyday.txt")


def everyday_words(data: list[tuple[Reading, list[str]]]) -> list[str]:
    """The words (without proclitics, as ``Word.bare``) that the training documents write often and
    almost never inside a name: ولا, بشكل, عدم, تجاه, خط. The lexicon's common words come from
    how often a word takes the article, and these seldom do, so the rules do not know them as
    everyday; the labeller, weighing context, still makes a person of one now and then."""
    seen: dict[str, int] = {}
    named: dict[str, int] = {}
    for reading, labels in data:
        for word, label in zip(reading.article.words, labels, strict=True):
            if not word.arabic:  # digits and Latin words are no person's anyway
                continue
            seen[word.bare] = seen.get(word.bare, 0) + 1
            if label != "O":
                named[word.bare] = named.get(word.bare, 0) + 1
    return sorted(
        w for w, n in seen.items() if n >= _EVERYDAY_SEEN and named.get(w, 0) <= _EVERYDAY_IN_NAMES * n
    )


def load_everyday(model: Path) -> frozenset[str]:
    """The everyday words written beside ``model`` by ``train``; none if the file is absent."""
    path = everyday_path(model)
    if not path.exists():
        return frozenset()
    return frozenset(line for line in path.read_text(encoding="utf-8").splitlines() if line)


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
    """The CRF's best labels, decoded here from the weights CRFsuite learnt.

    CRFsuite's own tagger takes every feature string of every token and looks each up, which cost
    four times the rules' whole reading. Most features belong to the word alone (``Featurizer.word``),
    so their summed weights are worked out once per word and kept; only the few that depend on the
    context are looked up per token. The labels are the ones CRFsuite's tagger gives
    (tests/unit/test_entities_model.py compares them).
    """

    def __init__(self, featurizer: Featurizer, path: Path) -> None:
        self.featurizer = featurizer
        info = pycrfsuite.Tagger()
        info.open(str(path))
        dump = info.info()
        self.labels = sorted(dump.labels, key=dump.labels.get)
        index = {label: n for n, label in enumerate(self.labels)}
        size = len(self.labels)
        self._transitions = np.zeros((size, size))
        for (before, after), weight in dump.transitions.items():
            self._transitions[index[before], index[after]] = weight
        rows: dict[str, int] = {}
        for attribute, _ in dump.state_features:
            rows.setdefault(attribute, len(rows))
        self._weights = np.zeros((len(rows) + 1, size))  # the last row: an unknown feature, no weight
        for (attribute, label), weight in dump.state_features.items():
            self._weights[rows[attribute], index[label]] = weight
        self._rows = rows
        self._unknown = len(rows)
        # a word's (own + bias, lent at each offset) weights, by the featurizer's key for it
        self._words: dict[tuple[str, bool], np.ndarray] = {}

    def _word(self, article: Article, i: int) -> np.ndarray:
        """Token ``i``'s word's weights: its own features' and the bias (row 0), and those it lends
        its neighbours, an offset a row."""
        key = (article.tokens[i].norm, article.givens[i] is not None)
        found = self._words.get(key)
        if found is None:
            if len(self._words) > _WORD_CACHE:
                self._words.clear()
            own, lent = self.featurizer.word(article, i)
            rows: list[int] = []
            starts = []
            for group in (("bias", *own), *(lent[offset] for offset in WINDOW)):
                starts.append(len(rows))
                rows.extend(self._rows.get(f, self._unknown) for f in group)
                rows.append(self._unknown)  # no group is empty, as reduceat needs
            found = self._words[key] = np.add.reduceat(self._weights[rows], starts, axis=0)
        return found

    def scores(self, reading: Reading) -> Iterator[np.ndarray]:
        """Per sentence, each token's score of each label (tokens by labels)."""
        article = reading.article
        for first, end, contexts in self.featurizer.contexts(reading):
            own = np.stack([self._word(article, i) for i in range(first, end)])
            score = own[:, 0].copy()
            for slot, offset in enumerate(WINDOW, start=1):
                # token i gets what token i + offset lends at that offset, within the sentence
                if offset < 0:
                    score[-offset:] += own[:offset, slot]
                else:
                    score[:-offset] += own[offset:, slot]
            # the context features the model knows (most bigrams it does not), added in one go
            at, known = [], []
            for n, context in enumerate(contexts):
                for row in map(self._rows.get, context):
                    if row is not None:
                        at.append(n)
                        known.append(row)
            np.add.at(score, at, self._weights[known])
            yield score

    def best(self, reading: Reading) -> list[str]:
        """The best label of every token of the article, as CRFsuite's tagger would give it."""
        labels: list[str] = []
        # a batch of sentences at a time: decoding pads every sentence of a batch to its longest,
        # which over a whole article at the door's size limit took gigabytes
        scores = self.scores(reading)
        while batch := list(itertools.islice(scores, _DECODED_TOGETHER)):
            for path in viterbi(batch, self._transitions):
                labels.extend(self.labels[k] for k in path)
        return labels

    def spans(self, reading: Reading) -> list[Span]:
        """The entities of the best labels, and their names again wherever else they stand."""
        return repeated(reading.article, list(spans(self.best(reading))))


def repeated(article: Article, found: list[Span]) -> list[Span]:
    """``found`` and, on tokens it leaves free, every other place in the article where the words of
    one of its names stand again (without their proclitics), with that name's type: a name is one
    entity throughout an article, and the model, deciding token by token, misses some of its
    occurrences (on NewsFANEGold's held-out documents, +0.024 F1). A name with a stop word among its
    words is not repeated (a stop word alone is everywhere); longer names are placed first."""
    words = [w.bare for w in article.words]
    at: dict[str, list[int]] = {}
    for i, word in enumerate(words):
        at.setdefault(word, []).append(i)
    names: dict[tuple[str, ...], str] = {}
    for first, last, type_ in found:
        if not any(article.words[k].stop for k in range(first, last + 1)):
            names.setdefault(tuple(words[first : last + 1]), type_)
    taken = {k for first, last, _ in found for k in range(first, last + 1)}
    out = list(found)
    for name, type_ in sorted(names.items(), key=lambda item: -len(item[0])):
        for i in at[name[0]]:
            end = i + len(name)
            if tuple(words[i:end]) == name and taken.isdisjoint(range(i, end)):
                out.append((i, end - 1, type_))
                taken.update(range(i, end))
    return sorted(out)


def viterbi(scores: list[np.ndarray], transitions: np.ndarray) -> list[list[int]]:
    """The best label path through each sentence, given its token scores (tokens by labels) and the
    label transition weights (from by to): what a linear-chain CRF without start or end weights
    decodes. The sentences are decoded side by side, a step per token of the longest, because a
    step costs numpy about the same for one sentence as for all."""
    if not scores:
        return []
    # longest first: at each step the sentences still running are a prefix
    order = sorted(range(len(scores)), key=lambda n: -len(scores[n]))
    lengths = [len(scores[n]) for n in order]
    padded = np.zeros((len(scores), lengths[0], transitions.shape[0]))
    for row, n in enumerate(order):
        padded[row, : lengths[row]] = scores[n]
    running = np.searchsorted(-np.array(lengths), -np.arange(lengths[0]), side="left")
    best = padded[:, 0].copy()
    back = np.zeros(padded.shape, dtype=np.intp)
    for t in range(1, lengths[0]):
        k = running[t]  # the sentences longer than t tokens
        through = best[:k, :, None] + transitions
        back[:k, t] = through.argmax(axis=1)
        best[:k] = through.max(axis=1) + padded[:k, t]
    ends = best.argmax(axis=1).tolist()
    pointers = back.tolist()
    paths: list[list[int]] = [[] for _ in scores]
    for row, n in enumerate(order):
        path = [ends[row]]
        for t in range(lengths[row] - 1, 0, -1):
            path.append(pointers[row][t][path[-1]])
        paths[n] = path[::-1]
    return paths


def train(
    featurizer: Featurizer, data: list[tuple[Reading, list[str]]], path: Path, params: dict[str, float]
) -> None:
    """A CRF by L-BFGS over every sentence of the readings, written to ``path``, and the training
    documents' everyday words beside it (``everyday_path``)."""
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for reading, labels in data:
        offset = 0
        for sequence in featurizer.article(reading):
            trainer.append(sequence, labels[offset : offset + len(sequence)])
            offset += len(sequence)
    trainer.set_params(params)
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))
    everyday_path(path).write_text("".join(f"{w}\n" for w in everyday_words(data)), encoding="utf-8")
