"""Throughput and memory of the entity recogniser alone, on one core.

Usage: python -m benchmarks.bench_entities [--articles 10000]
The corpus is the seed articles and the unseen gold texts, cycled to the requested count.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import time
from pathlib import Path

from services.entities.recognizer import Recognizer

ROOT = Path(__file__).resolve().parents[1]


def rss_mb() -> float:
    """Current resident set size, from /proc (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    texts = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("seeds/*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("tests/gold/entities_unseen/*.txt"))]
    before = rss_mb()
    started = time.perf_counter()
    recognizer = Recognizer.load()
    load_s = time.perf_counter() - started
    loaded = rss_mb()
    mentions = 0
    chars = 0
    started = time.perf_counter()
    for text in itertools.islice(itertools.cycle(texts), args.articles):
        mentions += len(recognizer.recognize(text).mentions)
        chars += len(text)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles: {args.articles} ({chars / args.articles:.0f} chars avg), mentions: {mentions}")
    print(f"load: {load_s:.2f} s, lexicon RSS: {loaded - before:.1f} MB")
    print(f"throughput: {args.articles / elapsed:.0f} articles/s on one core ({elapsed:.1f} s)")
    print(f"RSS: {rss_mb():.1f} MB now, {peak:.1f} MB peak (interpreter included)")


if __name__ == "__main__":
    main()
