"""Throughput of the numbers extractor alone: the seeds repeated to 10,000 articles, one core.

Run: .venv/bin/python benchmarks/bench_numbers.py [--articles N]
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path

from services.numbers.extract import NumberExtractor

SEEDS = Path(__file__).parents[1] / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()

    bodies = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    extractor = NumberExtractor()
    articles = list(itertools.islice(itertools.cycle(bodies), args.articles))

    mentions = 0
    started = time.perf_counter()
    for body in articles:
        mentions += len(extractor.extract(body))
        extractor.publication_date(body)
    elapsed = time.perf_counter() - started

    characters = sum(len(body) for body in articles)
    print(
        f"{len(articles)} articles ({characters / 1e6:.1f} M characters), {mentions} mentions "
        f"in {elapsed:.2f} s: {len(articles) / elapsed:.0f} articles/s on one core"
    )


if __name__ == "__main__":
    main()
