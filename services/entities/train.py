"""``make model``: trains the entity recogniser's sequence labeller on the NER corpora in
``$AKHBAR_SHARED/corpora/ner`` and writes ``services/entities/model/ner.crfsuite``.

Training sees NewsFANEGold without its held-out blocks (see ``corpora.is_held_out``);
``--compare`` also trains the other configurations on the same split and prints every
one's held-out scores, so that the choice of the committed one can be checked.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from services.entities import corpora
from services.entities.features import Featurizer
from services.entities.lexicon import Lexicon
from services.entities.model import MODEL, Tagger, spans, train
from services.entities.scoring import Span, score, table
from services.entities.segment import Segment, Segmenter


@dataclass(frozen=True)
class Config:
    name: str
    algorithm: str
    params: dict[str, float] = field(default_factory=dict)
    gazetteers: bool = True
    wikipedia: bool = False  # AQMAR and WikiFANEGold too


# The committed model: CRF trained by L-BFGS with both penalties, lexicon and gazetteer
# features on, on news only. The others are what it was chosen against (see --compare).
CHOSEN = Config("crf-lbfgs", "lbfgs", {"c1": 0.1, "c2": 0.01, "max_iterations": 150})
OTHERS = (
    Config("averaged-perceptron", "ap", {"max_iterations": 15}),
    Config("crf-lbfgs-no-gazetteers", "lbfgs", CHOSEN.params, gazetteers=False),
    Config("crf-lbfgs+wikipedia", "lbfgs", CHOSEN.params, wikipedia=True),
)


class _NoGazetteers(Featurizer):
    """The same features without what the gazetteers say (the lexicon's word classes stay)."""

    def gazetteer_tags(self, segments: list[Segment]) -> list[str]:
        return [""] * len(segments)


def _labelled(sentences: list[corpora.Sentence], segmenter: Segmenter) -> list[corpora.Labelled]:
    return [corpora.label(s, segmenter) for s in sentences]


def evaluate(tagger: Tagger, held_out: list[corpora.Labelled]) -> str:
    gold, predicted = [], []
    for n, item in enumerate(held_out):
        doc = str(n)
        gold += [Span(doc, s, e, t) for s, e, t in item.entities]
        labels = tagger.labels(item.segments)
        for first, last, type_ in spans(labels):
            predicted.append(Span(doc, item.segments[first].start, item.segments[last].end, type_))
    return table(score(gold, predicted))


def run(
    config: Config,
    out: Path,
    lex: Lexicon,
    segmenter: Segmenter,
    train_items: list[corpora.Labelled],
    wiki: list[corpora.Labelled],
    held_out: list[corpora.Labelled],
) -> None:
    featurizer = Featurizer(lex) if config.gazetteers else _NoGazetteers(lex)
    data = [(i.segments, i.labels) for i in train_items + (wiki if config.wikipedia else [])]
    began = time.perf_counter()
    train(featurizer, data, out, config.algorithm, config.params)
    took = time.perf_counter() - began
    print(f"\n{config.name}: trained on {len(data)} sentences in {took:.0f} s")
    print(evaluate(Tagger(featurizer, out), held_out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--compare", action="store_true", help="also train and score the other configurations"
    )
    parser.add_argument("--out", type=Path, default=MODEL)
    args = parser.parse_args(argv)
    root = corpora.ner_root()
    if not (root / "fane" / "NewsFANE_Gold_2014_170K.txt").exists():
        print(f"no NER corpora under {root} (set AKHBAR_SHARED)", file=sys.stderr)
        return 1
    lex = Lexicon.load()
    segmenter = Segmenter.from_lexicon(lex)
    train_sentences, test_sentences = corpora.newsfane_split(root)
    train_items = _labelled(train_sentences, segmenter)
    held_out = _labelled(test_sentences, segmenter)
    wiki = _labelled(corpora.aqmar(root) + corpora.wikifane(root), segmenter) if args.compare else []
    run(CHOSEN, args.out, lex, segmenter, train_items, wiki, held_out)
    if args.compare:
        with tempfile.TemporaryDirectory() as tmp:
            for config in OTHERS:
                run(
                    config, Path(tmp) / f"{config.name}.crfsuite", lex, segmenter, train_items, wiki, held_out
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
