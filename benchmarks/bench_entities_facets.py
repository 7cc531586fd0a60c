"""The facets an analyst would see over the whole ANT corpus: the most frequent persons,
locations and organisations, by the number of articles whose canonicals include them.

Usage: python -m benchmarks.bench_entities_facets [--top 50] [--limit N]
Reads ``$AKHBAR_SHARED/corpora/news/ant-v2.1.jsonl.gz`` (31,523 bodies), one process.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import Counter

from tqdm import tqdm

from benchmarks.bench_entities_size import corpus_path
from services.entities.recognizer import Recognizer
from services.entities.scoring import TYPES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = parser.parse_args()
    recognizer = Recognizer.load()
    articles: dict[str, Counter[str]] = {t: Counter() for t in TYPES}
    started = time.perf_counter()
    n = 0
    with gzip.open(corpus_path(), "rt", encoding="utf-8") as fh:
        for line in tqdm(fh, total=args.limit or 31523, unit="article"):
            if args.limit is not None and n >= args.limit:
                break
            n += 1
            found = recognizer.recognize(json.loads(line)["body"])
            for type_ in TYPES:
                articles[type_].update({m.canonical for m in found.mentions if m.type == type_})
    print(f"{n} articles in {time.perf_counter() - started:.0f} s")
    for type_ in TYPES:
        print(f"\n{type_}: top {args.top} canonicals by article count")
        print(", ".join(f"{c} {k}" for c, k in articles[type_].most_common(args.top)))


if __name__ == "__main__":
    main()
