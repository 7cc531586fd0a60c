"""Ingest parsing speed on real articles: `parse_file` now against a baseline commit, in one run.

    python benchmarks/bench_ingest.py [--articles 2000] [--rounds 5] [--baseline REV]

The first N articles of the ANT corpus ($AKHBAR_SHARED/corpora/news/ant-v2.1.jsonl.gz; AKHBAR_SHARED
defaults to the `shared` folder beside the repository) are parsed as the JSON files they are, by
the parser of the baseline revision (read with `git show`, imported under another name) and by the
working tree's, alternating round by round so both meet the same machine load. Also timed: the
date reader alone on the date forms feeds write, and the client-side expansion of the whole
corpus (streamed from the .jsonl.gz, no parsing). Prints medians and the machine.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from services.ingest import parsing  # noqa: E402
from services.ingest.archives import Limits, expand  # noqa: E402
from services.ingest.dates import read_date  # noqa: E402

# the commit before issue 15's ingest changes
DEFAULT_BASELINE = "db7fe20"
DATE_FORMS = (
    "2018-02-18T21:35:43+04:00",
    "Mon, 12 Dec 2016 10:00:00 GMT",
    "12/12/2016",
    "12 ديسمبر 2016",
    "الاثنين 12 كانون الأول، 2016 10:30 م",
    "1437-03-12هـ",
    "1481533860",
)


def corpus_path() -> Path:
    shared = Path(os.environ.get("AKHBAR_SHARED") or ROOT.parent / "shared")
    return shared / "corpora" / "news" / "ant-v2.1.jsonl.gz"


def first_articles(count: int) -> list[bytes]:
    with gzip.open(corpus_path(), "rb") as lines:
        return [line.strip() for _, line in zip(range(count), lines, strict=False)]


def baseline_parser(revision: str) -> ModuleType:
    source = subprocess.run(
        ["git", "show", f"{revision}:services/ingest/parsing.py"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix="akhbar-bench-"))
    path = folder / "parsing_baseline.py"
    path.write_bytes(source)
    spec = importlib.util.spec_from_file_location("parsing_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def seconds(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def parse_all(parse: Callable[..., object], articles: list[bytes]) -> Callable[[], None]:
    def run() -> None:
        for data in articles:
            parse(data, "article.json")

    return run


def corpus_members() -> int:
    """How many records the CLI would send for the whole corpus (expanded, not parsed)."""
    limits = Limits(20_000_000, 100_000, 250_000_000)
    with corpus_path().open("rb") as stream:
        return sum(1 for _ in expand(stream, corpus_path().name, None, limits))


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--articles", type=int, default=2000)
    options.add_argument("--rounds", type=int, default=5)
    options.add_argument("--baseline", default=DEFAULT_BASELINE)
    args = options.parse_args()
    if not corpus_path().exists():
        sys.exit(f"no corpus at {corpus_path()} (set AKHBAR_SHARED to the shared folder)")
    articles = first_articles(args.articles)
    before = baseline_parser(args.baseline)
    runs: dict[str, list[float]] = {f"baseline {args.baseline}": [], "now": []}
    for _ in range(args.rounds):
        runs[f"baseline {args.baseline}"].append(seconds(parse_all(before.parse_file, articles)))
        runs["now"].append(seconds(parse_all(parsing.parse_file, articles)))
    dates = [seconds(lambda: [read_date(value) for value in DATE_FORMS * 100]) for _ in range(args.rounds)]
    started = time.perf_counter()
    members = corpus_members()
    expansion = time.perf_counter() - started

    print(f"machine: {machine()}")
    print(f"parse_file on the first {len(articles)} ANT articles as JSON, {args.rounds} rounds, medians:")
    print(f"{'parser':<20} {'s/round':>9} {'µs/article':>11} {'articles/s':>11}")
    for name, timings in runs.items():
        median = statistics.median(timings)
        print(
            f"{name:<20} {median:>9.3f} {median / len(articles) * 1e6:>11.0f} {len(articles) / median:>11.0f}"
        )
    ratio = statistics.median(runs["now"]) / statistics.median(runs[f"baseline {args.baseline}"])
    print(f"now / baseline: {ratio:.2f}")
    per_date = statistics.median(dates) / (len(DATE_FORMS) * 100) * 1e6
    print(f"read_date over {len(DATE_FORMS)} forms: {per_date:.1f} µs a value (median of {args.rounds})")
    print(f"expanding the whole corpus (streamed, not parsed): {members} lines in {expansion:.1f} s")


if __name__ == "__main__":
    main()
