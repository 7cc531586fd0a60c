"""The rule-based recogniser against CRFs over the same tokens, plain and stacked on the rules'
own output, and unions of rules and CRF, on every gold set in one run:
(a) NewsFANEGold's held-out documents (exact token spans, coarse types), (b) the 24 ANT articles
(exact and overlapping spans), (c) the seeds, development and unseen gold (span, type and
canonical, as tests/unit/test_entities_gold.py scores them), (d) ANT articles per second.

Run: PYTHONPATH=. .venv/bin/python -m benchmarks.entity_models [--models DIR] [--train]
(--train builds the CRFs missing from DIR first, a few minutes each; writes
benchmarks/entity_models.json)
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import realnews
from services.entities import corpora, model, train
from services.entities.features import Featurizer
from services.entities.model import MODEL_DIR, Tagger, gold_labels
from services.entities.recognizer import Recognition, Recognizer
from services.entities.scoring import Span, found_keys, gold_keys, score
from services.entities.stacked import Combined, Order

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
# (name, CRF variant or None for the rules alone, order of rules and model)
SYSTEMS: tuple[tuple[str, str | None, Order | None], ...] = (
    ("rules", None, None),
    ("crf (NewsFANEGold only)", "plain", Order.MODEL),
    ("rules+crf (NewsFANEGold only)", "plain", Order.RULES_FIRST),
    ("crf", "plain+wiki", Order.MODEL),
    ("rules+crf (rules first)", "plain+wiki", Order.RULES_FIRST),
    ("crf+rules (crf first)", "plain+wiki", Order.MODEL_FIRST),
    ("stacked+wiki", "stacked+wiki", Order.MODEL),
    ("rules+stacked+wiki (rules first)", "stacked+wiki", Order.RULES_FIRST),
)
Reader = Callable[[str], Recognition]
GoldArticle = tuple[str, str, list[dict[str, Any]]]  # id, body, gold mentions


def held_out(rules: Recognizer, system: Combined | None) -> dict[str, Any]:
    """Exact token spans on NewsFANEGold's held-out documents, per type (P, R, F1)."""
    _, docs = corpora.newsfane_split()
    gold, predicted = [], []
    for n, doc in enumerate(docs):
        if system is None:
            reading = rules.read(doc.text)
            found = [(c.first, c.last, m.type) for c, m in reading.mentions]
        else:
            reading, chosen = system.read(doc.text)
            found = [s for s, _ in chosen]
        _, projected = gold_labels(reading.article, doc.entities)
        gold += [Span(str(n), a, b + 1, t) for a, b, t in projected]
        predicted += [Span(str(n), a, b + 1, t) for a, b, t in found]
    return _figures(score(gold, predicted), "exact")


def ant_gold() -> list[GoldArticle]:
    """(id, body, gold mentions) of the ANT gold articles; bodies read from the shared corpus."""
    ids = json.loads((GOLD / "ant" / "articles.json").read_text(encoding="utf-8"))["ids"]
    bodies = {r["id"]: r["body"] for r in realnews.articles() if r["id"] in set(ids)}
    out = []
    for i in ids:
        mentions = json.loads((GOLD / "ant" / "entities" / f"{i}.json").read_text(encoding="utf-8"))[
            "mentions"
        ]
        out.append((i, bodies[i], mentions))
    return out


def ant(read: Reader, articles: list[GoldArticle]) -> dict[str, Any]:
    gold = [Span(i, m["start"], m["end"], m["type"]) for i, _, ms in articles for m in ms]
    predicted = [Span(i, m.start, m.end, m.type) for i, body, _ in articles for m in read(body).mentions]
    scores = score(gold, predicted)
    return {"exact": _figures(scores, "exact"), "overlap": _figures(scores, "overlap")}


def strict(read: Reader, name: str) -> float:
    """F1 of span, type and folded canonical together over one of the older gold sets."""
    gold, predicted = gold_keys(GOLD / name, ROOT), found_keys(read, GOLD / name, ROOT)
    right = len(gold & predicted)
    return 2 * right / (len(gold) + len(predicted)) if right else 0.0


def speeds(read: Reader, rules: Reader, texts: list[str]) -> tuple[float, float]:
    """Articles per second of ``read`` and of the rules, each article read by one then the other,
    so that the load of a shared machine falls on both alike."""
    spent = [0.0, 0.0]
    for text in texts:
        for k, reader in enumerate((read, rules)):
            began = time.perf_counter()
            reader(text)
            spent[k] += time.perf_counter() - began
    return len(texts) / spent[0], len(texts) / spent[1]


def measured(
    rules: Recognizer, system: Combined | None, articles: list[GoldArticle], texts: list[str]
) -> dict[str, Any]:
    """The held-out and ANT figures of ``system`` (None: the rules alone), and its articles per
    second against the rules', read side by side."""
    read: Reader = rules.recognize if system is None else system.recognize
    rate, rules_rate = speeds(read, rules.recognize, texts)
    return {
        "newsfane_held_out_exact": held_out(rules, system),
        "ant": ant(read, articles),
        "articles_per_s": round(rate, 1),
        "rules_articles_per_s_same_run": round(rules_rate, 1),
    }


def summary(name: str, r: dict[str, Any], width: int) -> str:
    """One line of ``measured``'s figures."""
    return (
        f"{name:<{width}} fane {r['newsfane_held_out_exact']['ALL'][2]:.3f}  "
        f"ant ovl {r['ant']['overlap']['ALL'][2]:.3f} exact {r['ant']['exact']['ALL'][2]:.3f}  "
        f"{r['articles_per_s']:.0f}/s (rules {r['rules_articles_per_s_same_run']:.0f}/s)"
    )


def _figures(scores: Any, kind: str) -> dict[str, list[float]]:
    return {
        t: [round(x, 3) for x in (s[kind].precision, s[kind].recall, s[kind].f1)] for t, s in scores.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, default=MODEL_DIR)
    parser.add_argument("--train", action="store_true", help="train the CRFs missing from --models")
    parser.add_argument("--speed-articles", type=int, default=500)
    args = parser.parse_args()
    rules = Recognizer.load()
    # each model with the everyday words of its corpora (model.everyday_words)
    taggers: dict[str, tuple[Tagger, frozenset[str]]] = {}
    for name, trained in model.VARIANTS.items():
        # the committed model as it is; the others trained into --models
        path = model.model_path(trained, MODEL_DIR if trained is model.CHOSEN else args.models)
        if not path.exists() and args.train:
            print(f"training {name} ...", flush=True)
            train.build(trained, path, rules)
        if path.exists():
            taggers[name] = Tagger(Featurizer(trained.stacked), path), model.load_everyday(path)
    articles = ant_gold()
    texts = [r["body"] for r in realnews.articles(args.speed_articles)]
    results: dict[str, Any] = {}
    for text in texts:  # the word caches filled before any timing counts
        rules.recognize(text)
    for name, variant, order in SYSTEMS:
        if variant is not None and variant not in taggers:
            print(f"{name}: no model {variant} in {args.models}, skipped")
            continue
        system = None
        if variant is not None and order is not None:
            tagger, everyday = taggers[variant]
            system = Combined(rules, tagger, order, everyday)
        read: Reader = rules.recognize if system is None else system.recognize
        r = results[name] = measured(rules, system, articles, texts)
        r.update({g: round(strict(read, f"entities_{g}.json"), 3) for g in ("seeds", "dev", "unseen")})
        print(
            f"{summary(name, r, 30)}  seeds {r['seeds']:.3f} dev {r['dev']:.3f} unseen {r['unseen']:.3f}",
            flush=True,
        )
    out = ROOT / "benchmarks" / "entity_models.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
