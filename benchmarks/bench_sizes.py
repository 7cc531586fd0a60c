"""Each stage's step on one long article of 1, 2, 4 and 8 MB: is its cost linear in the article's size?

The steps are the services' own (benchmarks/limits.py's `Enricher`), in one process, without Kafka.
The articles are real Arabic news paragraphs, from the ANT corpus when `AKHBAR_SHARED` (default
../shared beside the checkout) has it, else from seeds/. Each size runs `--repeat` times; the table
gives the median seconds per stage and seconds per MB, so a super-linear stage shows as a column whose
seconds per MB grow with the size.

Run: .venv/bin/python -m benchmarks.bench_sizes [--sizes 1 2 4 8] [--repeat 3] [--markdown]
"""

from __future__ import annotations

import argparse
import statistics
import uuid
from pathlib import Path

from benchmarks import realnews
from benchmarks.limits import Enricher
from benchmarks.workload import File, long_article

ROOT = Path(__file__).resolve().parents[1]
STEPS = ("ingest", "language", "entities", "numbers", "dedup", "document")


def paragraphs(limit: int = 5000) -> tuple[list[str], str]:
    """Paragraphs of real news, and where they came from."""
    missing = realnews.missing_reason()
    if missing is None:
        found: list[str] = []
        for article in realnews.articles():
            found += [p for p in article["body"].split("\n") if len(p) > 80]
            if len(found) >= limit:
                break
        return found, f"ANT corpus ({realnews.corpus_path()})"
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    lines = [line for seed in seeds for line in seed.read_text().splitlines()]
    return [line for line in lines if line.strip()], f"seeds/, because {missing}"


def measure(size_mb: float, texts: list[str]) -> dict[str, float]:
    """Seconds each step took on one new article of `size_mb` MB."""
    tag = uuid.uuid4().hex[:8]
    data = long_article(texts, int(size_mb * 1_000_000), tag)
    enricher = Enricher.load()
    # past the door's limit too: the steps' own cost is what is measured
    enricher.document(File(f"long-{tag}.txt", data, "", "long"), 0, max_bytes=len(data))
    return dict(enricher.seconds)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()
    texts, source = paragraphs()
    print(f"articles from {source}; median of {args.repeat} per size")
    rows = []
    for size in args.sizes:
        runs = [measure(size, texts) for _ in range(args.repeat)]
        medians = {step: statistics.median(run[step] for run in runs) for step in STEPS}
        rows.append((size, medians))
        line = "  ".join(f"{step} {medians[step]:.2f} s ({medians[step] / size:.2f} s/MB)" for step in STEPS)
        print(f"{size:g} MB: {line}", flush=True)
    if args.markdown:
        print("\n| size | " + " | ".join(f"{s} s (s/MB)" for s in STEPS) + " |")
        print("|---" * (len(STEPS) + 1) + "|")
        for size, medians in rows:
            cells = " | ".join(f"{medians[s]:.2f} ({medians[s] / size:.2f})" for s in STEPS)
            print(f"| {size:g} MB | {cells} |")


if __name__ == "__main__":
    main()
