"""The whole ANT corpus through the pipeline as one `.jsonl.gz`, as a researcher would send it.

`akhbar ingest <corpus> --wait` sends one record per line; then this checks what the issue asks of
a real archive: the index holds every distinct article id, dead letters are only for articles with
no text, and every indexed article has a `published_at`. It prints the time and rate, and exits
non-zero when a check fails. Needs the stack (`make up`); not part of `make test` (15 minutes or so
here).

Run: make ingest-real   (or .venv/bin/python -m benchmarks.ingest_real [--limit N])
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from akhbar import dlq
from akhbar.ingest import survey
from benchmarks import realnews
from shared import index
from shared.settings import Settings

MGET = 1000


async def _undated(settings: Settings, ids: list[str]) -> tuple[int, int]:
    """(indexed, indexed without published_at) among these ids."""
    es = index.client(settings, request_timeout=60)
    indexed = undated = 0
    try:
        for start in range(0, len(ids), MGET):
            chunk = ids[start : start + MGET]
            found = await es.mget(index=settings.index_alias, ids=chunk, source=["published_at"])
            for doc in found["docs"]:
                if doc.get("found"):
                    indexed += 1
                    undated += not doc["_source"].get("published_at")
    finally:
        await es.close()
    return indexed, undated


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, help="only the first N articles (a quick look)")
    parser.add_argument("--wait", type=float, default=3600, help="seconds to wait for the index")
    args = parser.parse_args()
    missing = realnews.missing_reason()
    if missing:
        sys.exit(f"ingest_real: {missing}")
    settings = Settings.from_env()
    corpus = realnews.corpus_path()
    with tempfile.TemporaryDirectory() as tmp:
        if args.limit:  # the first N lines, still one .jsonl.gz
            part = Path(tmp) / f"ant-first-{args.limit}.jsonl.gz"
            with gzip.open(corpus, "rb") as src, gzip.open(part, "wb") as dst:
                for n, line in enumerate(src):
                    if n >= args.limit:
                        break
                    dst.write(line)
            corpus = part
        expected = survey([corpus], settings)
        lines = expected.records
        since = time.time()
        started = time.monotonic()
        akhbar = Path(sys.prefix) / "bin" / "akhbar"
        done = subprocess.run([str(akhbar), "ingest", str(corpus), "--wait", str(args.wait)], check=False)
        took = time.monotonic() - started
    indexed, undated = asyncio.run(_undated(settings, sorted(expected.ids)))
    letters = dlq.read(settings, dlq.Filters(since=since))
    reasons = Counter(f"{letter.get('stage')}/{letter.get('reason')}" for letter in letters)
    print(f"\n{lines} articles in {corpus.name}; {len(expected.ids)} distinct ids (digests of bodies)")
    print(f"akhbar ingest --wait exited {done.returncode} after {took:.0f} s: {lines / took:.1f} articles/s")
    print(f"indexed {indexed} of {len(expected.ids)}; without published_at: {undated}")
    print(f"dead letters since the start: {len(letters)} {dict(reasons)}")
    print(f"expected: {dict(expected.rejected)}")
    failures = []
    if indexed != len(expected.ids):
        failures.append(f"{len(expected.ids) - indexed} distinct articles not indexed")
    if undated:
        failures.append(f"{undated} indexed articles without published_at")
    unexpected = {r: n for r, n in reasons.items() if not r.endswith("/empty")}
    if unexpected:
        failures.append(f"dead letters other than empty bodies: {unexpected}")
    if failures:
        sys.exit("ingest_real: " + "; ".join(failures))
    print("ingest_real: every check holds")


if __name__ == "__main__":
    main()
