"""Speed of the dedup stage alone, against an earlier revision in the same run, and the size of its state.

Both halves of the stage are timed on one core, per article: fingerprinting (runs in parallel on every
input partition) and deciding (the one sequencer). The baseline is the dedup code of another git
revision (`--baseline`, default the one before issue 19), loaded beside the current code; the two run
alternately, `--rounds` times each, and the medians are printed side by side. Articles: the labelled
corpus's kind of text (benchmarks/corpus.py: a quarter new text, the rest copies, edited copies and
stitched articles) and, when $AKHBAR_SHARED has it, the first `--articles` real ANT articles. The state
size is the changelog bytes the tables would hold: each live article's record as JSON, plus its key.
Then fingerprinting one article of 1, 2, 4 and 8 MB: the stage's cap (`MAX_CHARS`) bounds the cost;
uncapped, the seconds per MB show the work is linear in the text.

Run: .venv/bin/python benchmarks/bench_dedup.py [--articles N] [--rounds R] [--baseline REV]
"""

from __future__ import annotations

import argparse
import importlib
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from corpus import Generator
from dedup_truth import corpus_path, read_articles

from services.dedup import decider as current_decider
from services.dedup import fingerprints as current_fingerprints

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "db7fe20"  # main before issue 19
Article = tuple[str, str]  # id, body


def generated(count: int, seed: int) -> list[Article]:
    """`count` corpus items: each round of the generator gives about six items per original."""
    generator = Generator(seed)
    items: dict[str, str] = {}
    while len(items) < count:
        items.update((item.id, item.body) for item in generator.corpus(originals=50) if item.id not in items)
    return list(items.items())[:count]


def load_baseline(revision: str, into: Path) -> tuple[ModuleType, ModuleType]:
    """The dedup package of `revision` as the importable package `baseline_dedup`."""
    package = into / "baseline_dedup"
    package.mkdir()
    listing = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{revision}:services/dedup"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in (n for n in listing if n.endswith(".py")):
        source = subprocess.run(
            ["git", "show", f"{revision}:services/dedup/{name}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (package / name).write_text(source.replace("services.dedup", "baseline_dedup"), encoding="utf-8")
    sys.path.insert(0, str(into))
    return importlib.import_module("baseline_dedup.decider"), importlib.import_module(
        "baseline_dedup.fingerprints"
    )


def one_pass(
    decider_module: ModuleType, fingerprint: Callable[[str], Any], articles: list[Article]
) -> dict[str, Any]:
    started = time.perf_counter()
    prints = [fingerprint(body) for _, body in articles]
    fingerprinting = time.perf_counter() - started
    state: dict[str, Any] = {}
    links: dict[str, Any] = {}
    decider = decider_module.Decider(decider_module.Policy(), state, links)
    started = time.perf_counter()
    statuses = Counter(
        decider.decide(article_id, found, len(body), seq, 0.0).verdict.status
        for seq, ((article_id, body), found) in enumerate(zip(articles, prints, strict=True))
    )
    deciding = time.perf_counter() - started
    changelog = sum(len(key) + len(seen.dumps()) for key, seen in state.items())
    changelog += sum(len(key) + len(link.dumps()) for key, link in links.items())
    return {
        "fingerprint": fingerprinting / len(articles) * 1e6,
        "decide": deciding / len(articles) * 1e6,
        "statuses": dict(statuses),
        "changelog": changelog / len(articles),
    }


def compare(
    name: str, articles: list[Article], versions: dict[str, tuple[ModuleType, Any]], rounds: int
) -> None:
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label in versions}
    for _ in range(rounds):
        for label, (decider_module, fingerprint) in versions.items():
            runs[label].append(one_pass(decider_module, fingerprint, articles))
    characters = sum(len(body) for _, body in articles)
    print(f"\n{name}: {len(articles)} articles, {characters / len(articles):.0f} characters each on average")
    print(f"{'':<10}{'fingerprint':>13}{'decide':>10}{'both':>10}{'changelog':>11}   verdicts")
    for label, results in runs.items():
        fingerprint = statistics.median(r["fingerprint"] for r in results)
        decide = statistics.median(r["decide"] for r in results)
        print(
            f"{label:<10}{fingerprint:>10.0f} µs{decide:>7.0f} µs{fingerprint + decide:>7.0f} µs"
            f"{results[0]['changelog']:>9.0f} B   {results[0]['statuses']}"
        )


def sizes(articles: list[Article]) -> None:
    """Fingerprinting one article of 1 to 8 MB, with the stage's cap and without it."""
    text = " ".join(body for _, body in articles)
    print("\none article of N MB (median of 3): fingerprint with the cap | without it, and seconds per MB")
    for megabytes in (1, 2, 4, 8):
        body = (text * (1 + megabytes * 1_000_000 // max(1, len(text.encode()))))[
            : megabytes * 1_000_000 // 2
        ]
        size = len(body.encode()) / 1e6  # Arabic is two bytes a character in UTF-8
        capped = _median_seconds(body, current_fingerprints.MAX_CHARS)
        whole = _median_seconds(body, None)
        print(f"{size:>5.1f} MB: {capped:.3f} s | {whole:.2f} s = {whole / size:.2f} s/MB")


def _median_seconds(body: str, max_chars: int | None) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        current_fingerprints.fingerprint(body, max_chars)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--baseline", default=BASELINE)
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, one core")
    with tempfile.TemporaryDirectory() as folder:
        baseline = load_baseline(args.baseline, Path(folder))
        versions = {
            args.baseline: (baseline[0], baseline[1].fingerprint),
            "now": (current_decider, current_fingerprints.fingerprint),
        }
        corpora = {"generated": generated(args.articles, args.seed)}
        if corpus_path().exists():
            corpora["ANT"] = [(a.id, a.body) for a in read_articles(args.articles)]
        for name, articles in corpora.items():
            compare(name, articles, versions, args.rounds)
    sizes(corpora["generated"])


if __name__ == "__main__":
    main()
