"""Speed of the numbers extractor alone: real articles, and cost by text size, for the current
extractor and an earlier one side by side in one run.

Usage: python -m benchmarks.bench_numbers [--old REF] [--articles 3000] [--sizes 1 2 4 8]
       [--repeats 3] [--units 50]

The earlier extractor (``--old``, default: the grammar before the Hijri calendar and the spec's
spans) is taken out of git into a temporary folder; each measurement is its own process pinned to
one core, the two extractors alternating, and the median of ``--repeats`` is reported. Each
article is read as the service reads it: its publication date from the dateline, then its
mentions. Long texts are distinct paragraphs of ANT articles
(``$AKHBAR_SHARED/corpora/news/ant-v2.1.jsonl.gz``) joined up to the size in UTF-8 megabytes:
the cost per megabyte must stay flat as the text grows. ``--units N`` instead lists the N most
frequent units over the whole corpus, as the index's unit facet counts them (articles holding
each): every one must be a counted noun.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks.bench_entities_size import MB, distinct_paragraphs, long_text
from benchmarks.realnews import articles, missing_reason
from services.numbers.enrich import reference_date
from services.numbers.extract import NumberExtractor

ROOT = Path(__file__).resolve().parents[1]
OLD = "db7fe20"  # the grammar before issue 18

# Run in a fresh interpreter whose first path entry is the extractor's tree.
_MEASURE = """
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
from services.numbers.extract import NumberExtractor
extractor = NumberExtractor()
texts = json.load(open(sys.argv[2], encoding="utf-8"))
started = time.perf_counter()
mentions = 0
for text in texts:
    extractor.publication_date(text)
    mentions += len(extractor.extract(text))
print(json.dumps({"seconds": time.perf_counter() - started, "mentions": mentions}))
"""


def checkout(ref: str, into: Path) -> Path:
    """``services/numbers`` of ``ref`` under ``into``; the rest (shared/) is the current tree's."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "services/__init__.py", "services/numbers"],
        check=True,
        capture_output=True,
    ).stdout
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def measure(root: Path, texts_file: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(root), str(texts_file)],
        check=True,
        capture_output=True,
        text=True,
        cwd=root,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(roots: dict[str, Path], texts: list[str], repeats: int, tmp: Path) -> dict[str, dict[str, float]]:
    """Median seconds per extractor, the extractors alternating."""
    texts_file = tmp / "texts.json"
    texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in roots}
    for _ in range(repeats):
        for name, root in roots.items():
            runs[name].append(measure(root, texts_file))
    return {
        name: {"seconds": statistics.median(r["seconds"] for r in got), "mentions": got[0]["mentions"]}
        for name, got in runs.items()
    }


def unit_facet(top: int) -> None:
    """The `top` most frequent units of the whole corpus, by articles holding them, in one process."""
    extractor = NumberExtractor()
    articles_with: Counter[str] = Counter()
    mentions_of: Counter[str] = Counter()
    total = 0
    for article in articles():
        total += 1
        found = extractor.extract(article["body"], reference_date=reference_date(article["published_at"]))
        units = [mention.unit for mention in found if mention.unit]
        mentions_of.update(units)
        articles_with.update(set(units))
    print(f"{total} ANT articles, {len(articles_with)} distinct units; the {top} most frequent:")
    for rank, (unit, count) in enumerate(articles_with.most_common(top), 1):
        print(f"{rank:>3} {unit:<14}{count:>7} articles {mentions_of[unit]:>7} mentions")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default=OLD, help="git ref of the extractor to compare with")
    parser.add_argument("--articles", type=int, default=3000, help="real articles for speed")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 2, 4, 8], help="text sizes in MB")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--units", type=int, default=0, help="list the N most frequent units instead")
    args = parser.parse_args()
    reason = missing_reason()
    if reason:
        sys.exit(reason)
    if args.units:
        unit_facet(args.units)
        return
    bodies = [article["body"] for article in articles()]
    machine = platform.processor() or platform.machine()
    print(f"{machine}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        roots = {f"old ({args.old})": checkout(args.old, tmp / "old"), "new": ROOT}
        if args.articles:
            sample = bodies[: args.articles]
            size = sum(len(text.encode()) for text in sample) / MB
            got = run(roots, sample, args.repeats, tmp)
            print(f"\n{len(sample)} real ANT articles ({size:.1f} MB), median of {args.repeats}, one core")
            print(f"{'extractor':<16}{'seconds':>9}{'articles/s':>12}{'MB/s':>7}{'mentions':>10}")
            for name, result in got.items():
                seconds = result["seconds"]
                print(
                    f"{name:<16}{seconds:>9.2f}{len(sample) / seconds:>12.0f}{size / seconds:>7.2f}"
                    f"{result['mentions']:>10.0f}"
                )
        if args.sizes:
            paragraphs = distinct_paragraphs(bodies)
            print(f"\none text of distinct paragraphs, median of {args.repeats}: seconds per MB")
            print(f"{'size MB':>7}" + "".join(f"{name:>18}" for name in roots))
            for size_mb in args.sizes:
                got = run(roots, [long_text(paragraphs, size_mb)], args.repeats, tmp)
                cells = "".join(f"{result['seconds'] / size_mb:>13.3f} s/MB" for result in got.values())
                print(f"{size_mb:>7}{cells}", flush=True)


if __name__ == "__main__":
    main()
