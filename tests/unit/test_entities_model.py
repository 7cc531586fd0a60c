"""The trained labeller on NewsFANEGold's held-out blocks, which training never sees
(``corpora.is_held_out``): P/R/F1 per type, exact and overlapping spans, over the pipeline's
own segments of the sentences' running text. Needs ../shared (AKHBAR_SHARED); skips without."""

from __future__ import annotations

import pytest

from services.entities import corpora
from services.entities.features import Featurizer
from services.entities.lexicon import Lexicon
from services.entities.model import MODEL, Tagger, spans
from services.entities.recognizer import Recognizer
from services.entities.scoring import Score, Span, score, table
from services.entities.segment import Segmenter


@pytest.fixture(scope="module")
def held_out() -> list[corpora.Labelled]:
    root = corpora.ner_root()
    if not (root / "fane" / "NewsFANE_Gold_2014_170K.txt").exists():
        pytest.skip(f"NewsFANEGold not found under {root} (set AKHBAR_SHARED to the shared folder)")
    _, test = corpora.newsfane_split(root)
    segmenter = Segmenter.from_lexicon(Lexicon.load())
    return [corpora.label(s, segmenter) for s in test]


def _gold(held_out: list[corpora.Labelled]) -> list[Span]:
    return [Span(str(n), s, e, t) for n, item in enumerate(held_out) for s, e, t in item.entities]


@pytest.fixture(scope="module")
def model_scores(held_out: list[corpora.Labelled]) -> dict[str, dict[str, Score]]:
    tagger = Tagger(Featurizer(Lexicon.load()), MODEL)
    predicted = [
        Span(str(n), item.segments[first].start, item.segments[last].end, type_)
        for n, item in enumerate(held_out)
        for first, last, type_ in spans(tagger.labels(item.segments))
    ]
    scores = score(_gold(held_out), predicted)
    print(f"\nlabeller on held-out NewsFANEGold ({len(held_out)} sentences)\n{table(scores)}")
    return scores


def test_held_out_is_unseen() -> None:
    """The blocks held out are a fifth of the corpus and never the training blocks."""
    held = [i for i in range(4759) if corpora.is_held_out(i)]
    assert 0.18 < len(held) / 4759 < 0.22
    assert not corpora.is_held_out(0) and corpora.is_held_out(4 * corpora.BLOCK)


def test_labeller_exact_f1(model_scores: dict[str, dict[str, Score]]) -> None:
    assert model_scores["ALL"]["exact"].f1 >= 0.80


def test_every_type_is_found(model_scores: dict[str, dict[str, Score]]) -> None:
    for type_ in ("PERSON", "LOCATION", "ORGANIZATION"):
        assert model_scores[type_]["overlap"].f1 >= 0.5, type_


def test_recogniser_on_running_text(held_out: list[corpora.Labelled]) -> None:
    """The whole recogniser (segments, labeller, refusals, trimming) on the sentences as text.
    The corpus keeps titles in some spans (الرئيس صالح) and tags bare common nouns
    (البرلمان) that the project's conventions refuse, so this is below the labeller alone."""
    recognizer = Recognizer.load()
    text = "\n".join(s.text for s in corpora.newsfane_split()[1])
    offsets = []
    pos = 0
    for item_text in text.split("\n"):
        offsets.append(pos)
        pos += len(item_text) + 1
    gold = [
        Span("all", offsets[int(g.doc)] + g.start, offsets[int(g.doc)] + g.end, g.type)
        for g in _gold(held_out)
    ]
    predicted = [Span("all", m.start, m.end, m.type) for m in recognizer.recognize(text).mentions]
    scores = score(gold, predicted)
    print(f"\nrecogniser on held-out NewsFANEGold as one running text\n{table(scores)}")
    assert scores["ALL"]["overlap"].f1 >= 0.70
