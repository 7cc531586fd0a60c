"""``make model``: trains the committed CRF (``model.CHOSEN``: NewsFANEGold without its held-out
documents, ``corpora.newsfane_split``, with WikiFANEGold and AQMAR) into
``services/entities/model/plain-wiki.crfsuite``.

``--variant`` trains one of the others the benchmark compares (``benchmarks/entity_models.py``).
CRFsuite's L-BFGS is deterministic, so the same corpora and lexicons give the same model.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from services.entities import corpora
from services.entities.features import Featurizer
from services.entities.model import CHOSEN, VARIANTS, Variant, gold_labels, model_path, train
from services.entities.recognizer import Reading, Recognizer

# both penalties (bae71a1: c2 alone kept too many one-off word features, c1 alone lost recall on
# names seen once); c1 at 0.3: of 0.1, 0.3 and 0.6, the best rules-first figures and a model of
# 7 MB instead of 10
PARAMS = {"c1": 0.3, "c2": 0.01, "max_iterations": 150}


def labelled(rules: Recognizer, docs: list[corpora.Document]) -> list[tuple[Reading, list[str]]]:
    """Each document as the rules read it, with the gold labels of its tokens."""
    out = []
    for doc in docs:
        reading = rules.read(doc.text)
        out.append((reading, gold_labels(reading.article, doc.entities)[0]))
    return out


def build(variant: Variant, out: Path, rules: Recognizer, root: Path | None = None) -> float:
    """Trains ``variant`` into ``out``; the seconds it took."""
    train_docs, _ = corpora.newsfane_split(root)
    if variant.wikipedia:
        train_docs += corpora.wikipedia(root)
    began = time.perf_counter()
    train(Featurizer(variant.stacked), labelled(rules, train_docs), out, PARAMS)
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", choices=sorted(VARIANTS), default=CHOSEN.name)
    parser.add_argument("--out", type=Path, help="default: services/entities/model/<variant>.crfsuite")
    args = parser.parse_args(argv)
    if not (corpora.ner_root() / "fane" / "NewsFANE_Gold_2014_170K.txt").exists():
        print(f"no NER corpora under {corpora.ner_root()} (set AKHBAR_SHARED)", file=sys.stderr)
        return 1
    variant = VARIANTS[args.variant]
    out = args.out or model_path(variant)
    took = build(variant, out, Recognizer.load())
    print(f"{variant.name}: {out} in {took:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
