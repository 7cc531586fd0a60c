"""The values an analyst meets first in the entity facets: the most frequent canonical persons,
places and organisations over the ANT corpus, counted per article as Kibana's and the page's terms
facets count them, with the recogniser the entities service runs.

Run: .venv/bin/python -m benchmarks.entity_facets [--top 50] [--articles N] [--recognizer crf]
(about 2 minutes with the rules, 5 with crf; the recogniser defaults to AKHBAR_ENTITIES_RECOGNIZER's)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from tqdm import tqdm

from benchmarks import realnews
from services.entities import stacked
from services.ingest.parsing import NotAnArticle, parse_file
from shared.settings import ENTITIES_RECOGNIZERS, Settings

TYPES = ("PERSON", "LOCATION", "ORGANIZATION")


def facets(limit: int | None, kind: str) -> tuple[int, dict[str, Counter[str]]]:
    """How many articles were read, and per type the number of articles naming each canonical."""
    recognizer = stacked.load(kind)
    counts: dict[str, Counter[str]] = {entity_type: Counter() for entity_type in TYPES}
    read = 0
    for record in tqdm(realnews.articles(limit), desc="articles", unit=" articles", total=limit):
        try:
            parsed = parse_file(json.dumps(record).encode(), f"{record['id']}.json")
        except NotAnArticle:
            continue
        read += 1
        for canonical, entity_type, _ in recognizer.recognize(parsed.body).counts():
            counts[entity_type][canonical] += 1
    return read, counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--top", type=int, default=50, help="values listed per type")
    parser.add_argument("--articles", type=int, default=None, help="only the first N records")
    parser.add_argument(
        "--recognizer", choices=ENTITIES_RECOGNIZERS, default=Settings.from_env().entities_recognizer,
        help="default: AKHBAR_ENTITIES_RECOGNIZER's, as the entities service reads it",
    )
    args = parser.parse_args()
    if (reason := realnews.missing_reason()) is not None:
        sys.exit(reason)
    read, counts = facets(args.articles, args.recognizer)
    print(f"{read} articles of {realnews.corpus_path().name} ({args.recognizer}); articles naming each value")
    for entity_type in TYPES:
        listed = " | ".join(f"{name} {n}" for name, n in counts[entity_type].most_common(args.top))
        print(f"\n{entity_type}: {listed}")


if __name__ == "__main__":
    main()
