"""Throughput of the dedup stage alone, and the size of its state, on the labelled corpus's kind of text.

Articles are made by benchmarks/corpus.py's generator: a quarter new text, the rest copies, edited
copies and stitched articles of earlier ones. Both halves of the stage are timed on one core:
fingerprinting (runs in parallel on every input partition) and deciding (one sequencer). The state
size is the changelog bytes the tables would hold: each live article's record as JSON, plus its key.

Run: .venv/bin/python benchmarks/bench_dedup.py [--articles N]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections import Counter
from typing import Any

from corpus import Generator

from services.dedup.decider import Decider, Policy
from services.dedup.fingerprints import fingerprint
from services.dedup.records import ClusterLink, Seen


def articles(count: int, seed: int) -> list[Any]:
    """`count` corpus items: each round of the generator gives about six items per original."""
    generator = Generator(seed)
    items: dict[str, Any] = {}
    while len(items) < count:
        items.update((item.id, item) for item in generator.corpus(originals=50) if item.id not in items)
    return list(items.values())[:count]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    items = articles(args.articles, args.seed)
    characters = sum(len(item.body) for item in items)

    started = time.perf_counter()
    prints = [fingerprint(item.body) for item in items]
    fingerprinting = time.perf_counter() - started

    state: dict[str, Seen] = {}
    links: dict[str, ClusterLink] = {}
    decider = Decider(Policy(), state, links)
    started = time.perf_counter()
    statuses = Counter(
        decider.decide(item.id, found, len(item.body), seq, 0.0).verdict.status
        for seq, (item, found) in enumerate(zip(items, prints, strict=True))
    )
    deciding = time.perf_counter() - started

    # the memory of the decider's state and index, in a second run: tracing slows everything down
    tracemalloc.start()
    again = Decider(Policy(), {}, {})
    for seq, (item, found) in enumerate(zip(items, prints, strict=True)):
        again.decide(item.id, found, len(item.body), seq, 0.0)
    memory = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()

    changelog = sum(len(key) + len(seen.dumps()) for key, seen in state.items())
    changelog += sum(len(key) + len(link.dumps()) for key, link in links.items())
    per_100k = 100_000 / len(items)
    print(f"{len(items)} articles ({characters / 1e6:.1f} M characters): {statuses}")
    print(f"fingerprint: {len(items) / fingerprinting:.0f} articles/s on one core (parallel per partition)")
    print(f"decide:      {len(items) / deciding:.0f} articles/s (the one sequencer)")
    print(f"both on one core: {len(items) / (fingerprinting + deciding):.0f} articles/s")
    print(
        f"state: changelog {changelog / len(items):.0f} B/article = {changelog * per_100k / 1e6:.0f} MB "
        f"per 100,000 articles; decider memory (tables, index) {memory * per_100k / 1e6:.0f} MB per 100,000"
    )


if __name__ == "__main__":
    main()
