"""A second library on the CRF's split: spaCy's trainable NER (a CNN over hashed word features and
a transition-based entity parser), trained on the same NewsFANEGold documents through the same
tokens, scored on the same held-out documents and the ANT gold, and timed against the rules and the
CRF article by article in one run. It is why the service's labeller is CRFsuite's
(services/entities/model/README.md).

spaCy is not a dependency of the service: `make bench-spacy` installs the `compare` extra.

Run: PYTHONPATH=. .venv/bin/python -m benchmarks.entity_spacy [--out DIR] [--wikipedia]
(training about 15 minutes on NewsFANEGold alone on 2 cores; writes benchmarks/entity_spacy.json)
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import spacy
from spacy.cli.init_config import init_config
from spacy.cli.train import train
from spacy.tokens import Doc, DocBin
from spacy.tokens import Span as SpacySpan

from benchmarks import realnews
from benchmarks.entity_models import ROOT, ant_gold, measured, summary
from services.entities import corpora
from services.entities import train as crf_training
from services.entities.conventions import Span
from services.entities.features import Featurizer, sentences
from services.entities.model import MODEL_DIR, VARIANTS, Tagger, gold_labels, model_path
from services.entities.recognizer import Reading, Recognizer
from services.entities.stacked import Combined, Order

# every tenth training document is spaCy's development set, which picks its best checkpoint: the
# held-out documents stay unseen, as for the CRF
DEV_EVERY = 10


class SpacyLabeller:
    """Token spans of spaCy's entities over the pipeline's tokens (their folded forms), as
    ``model.Tagger.spans`` gives the CRF's."""

    def __init__(self, path: Path) -> None:
        self.nlp = spacy.load(path)

    def spans(self, reading: Reading) -> list[Span]:
        doc = self.nlp(_doc(self.nlp.vocab, reading))
        return [(e.start, e.end - 1, e.label_) for e in doc.ents]


def _doc(vocab: Any, reading: Reading, first: int = 0, end: int | None = None) -> Doc:
    tokens = reading.article.tokens[first:end]
    return Doc(vocab, words=[t.norm for t in tokens], spaces=[True] * len(tokens))


def docbins(rules: Recognizer, docs: list[corpora.Document], vocab: Any) -> tuple[DocBin, DocBin]:
    """(training, development) sentences as spaCy documents with their gold entities."""
    train_bin, dev_bin = DocBin(), DocBin()
    for n, document in enumerate(docs):
        reading = rules.read(document.text)
        _, projected = gold_labels(reading.article, document.entities)
        for first, end in sentences(reading.article):
            doc = _doc(vocab, reading, first, end)
            inside = [(a, b, t) for a, b, t in projected if first <= a and b < end]
            doc.ents = [SpacySpan(doc, a - first, b - first + 1, label=t) for a, b, t in inside]
            (dev_bin if n % DEV_EVERY == DEV_EVERY - 1 else train_bin).add(doc)
    return train_bin, dev_bin


def build(out: Path, rules: Recognizer, wikipedia: bool) -> float:
    """Trains spaCy's NER into ``out``/model-best; the seconds the training took."""
    out.mkdir(parents=True, exist_ok=True)
    docs, _ = corpora.newsfane_split()
    if wikipedia:
        docs += corpora.wikipedia()
    config = init_config(lang="ar", pipeline=["ner"], optimize="efficiency")
    nlp = spacy.blank("ar")
    train_bin, dev_bin = docbins(rules, docs, nlp.vocab)
    train_bin.to_disk(out / "train.spacy")
    dev_bin.to_disk(out / "dev.spacy")
    config.to_disk(out / "config.cfg")
    began = time.perf_counter()
    train(
        out / "config.cfg",
        out,
        overrides={"paths.train": str(out / "train.spacy"), "paths.dev": str(out / "dev.spacy")},
    )
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / ".run" / "spacy")
    parser.add_argument("--models", type=Path, default=ROOT / ".run" / "models",
                        help="the CRF's (trained if missing)")
    parser.add_argument("--wikipedia", action="store_true", help="train on WikiFANEGold and AQMAR too")
    parser.add_argument("--speed-articles", type=int, default=500)
    args = parser.parse_args()
    rules = Recognizer.load()
    best, took_file = args.out / "model-best", args.out / "training_seconds"
    if not best.exists():
        took_file.write_text(f"{build(args.out, rules, args.wikipedia):.0f}\n", encoding="utf-8")
    # the CRF trained on the same documents: the committed model with --wikipedia
    variant = VARIANTS["plain+wiki" if args.wikipedia else "plain"]
    crf = model_path(variant, MODEL_DIR if args.wikipedia else args.models)
    if not crf.exists():
        args.models.mkdir(parents=True, exist_ok=True)
        crf_training.build(variant, crf, rules)
    systems = {
        "spacy": Combined(rules, SpacyLabeller(best), Order.MODEL),
        "crf": Combined(rules, Tagger(Featurizer(variant.stacked), crf), Order.MODEL),
    }
    texts = [r["body"] for r in realnews.articles(args.speed_articles)]
    for system in systems.values():  # caches filled before any timing counts
        for text in texts[:100]:
            system.recognize(text)
    articles = ant_gold()
    results: dict[str, Any] = {
        "spacy_training_s": int(took_file.read_text()) if took_file.exists() else None,
        "wikipedia": args.wikipedia,
    }
    for name, system in systems.items():
        results[name] = measured(rules, system, articles, texts)
        print(summary(name, results[name], 6), flush=True)
    out = ROOT / "benchmarks" / "entity_spacy.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
