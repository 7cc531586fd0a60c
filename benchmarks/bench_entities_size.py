"""Cost of the entity recogniser by text size, and its speed and memory on real articles: the
rule-based recogniser of an earlier commit, today's rules and today's crf recogniser (the rules
with the trained labeller), side by side in one run.

Usage: python -m benchmarks.bench_entities_size [--old REF] [--sizes 1 2 4 8] [--articles 2000]
       [--repeats 3]

The earlier recogniser is checked out of git (``--old``, default: the rules as they were when
issue 17 asked for a trained recogniser, before it) into a temporary folder and run there; each
measurement is its own process pinned to one core, so resident memory is the recogniser's alone.
Long texts are distinct paragraphs of ANT articles (``$AKHBAR_SHARED/corpora/news/ant-v2.1.jsonl.gz``)
joined until the size in UTF-8 megabytes is reached; real articles are the first ``--articles``
bodies."""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD = "db7fe20"  # the rule-based recogniser on the day issue 17 was filed, before the model
MB = 1 << 20


def corpus_path() -> Path:
    return (
        Path(os.environ.get("AKHBAR_SHARED") or ROOT.parent / "shared")
        / "corpora"
        / "news"
        / "ant-v2.1.jsonl.gz"
    )


def bodies() -> list[str]:
    with gzip.open(corpus_path(), "rt", encoding="utf-8") as fh:
        return [json.loads(line)["body"] for line in fh]


def long_text(paragraphs: list[str], size_mb: int) -> str:
    """Distinct paragraphs joined by blank lines up to ``size_mb`` megabytes of UTF-8."""
    out, size = [], 0
    for p in paragraphs:
        if size >= size_mb * MB:
            break
        out.append(p)
        size += len(p.encode()) + 2
    return "\n\n".join(out)


def distinct_paragraphs(texts: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for text in texts:
        for p in text.split("\n"):
            p = p.strip()
            if len(p) > 40 and p not in seen:
                seen.add(p)
                out.append(p)
    return out


def checkout(ref: str, into: Path) -> Path:
    """``services/`` of ``ref`` under ``into`` (its entities package needs nothing else)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "services/__init__.py", "services/entities"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


# how each recogniser is loaded in its process: the rules (of any commit), or this checkout's
# rules with the trained labeller (AKHBAR_ENTITIES_RECOGNIZER=crf)
LOADERS = {
    "rules": "from services.entities.recognizer import Recognizer\nr = Recognizer.load()\n",
    "crf": "from services.entities import stacked\nr = stacked.load('crf')\n",
}


def measure(root: Path, loader: str, texts_file: Path) -> dict[str, float]:
    """One process: load the recogniser found under ``root``, recognise every text once."""
    code = (
        "import sys, json, time, resource, os\n"
        f"sys.path.insert(0, {str(root)!r})\n"
        "os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
        f"{LOADERS[loader]}"
        f"texts = json.load(open({str(texts_file)!r}, encoding='utf-8'))\n"
        "t = time.perf_counter(); n = sum(len(r.recognize(x).mentions) for x in texts)\n"
        "s = time.perf_counter() - t\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'seconds': s, 'mentions': n, 'peak_mb': peak}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=root)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(
    roots: dict[str, tuple[Path, str]], texts: list[str], repeats: int, tmp: Path
) -> dict[str, dict[str, float]]:
    """Median seconds and peak memory per recogniser (its root and loader), taking turns."""
    texts_file = tmp / "texts.json"
    texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in roots}
    for _ in range(repeats):
        for name, (root, loader) in roots.items():
            runs[name].append(measure(root, loader, texts_file))
    return {
        name: {
            "seconds": statistics.median(r["seconds"] for r in got),
            "peak_mb": max(r["peak_mb"] for r in got),
            "mentions": got[0]["mentions"],
        }
        for name, got in runs.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default=OLD, help="git ref of the recogniser to compare with")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 2, 4, 8], help="text sizes in MB")
    parser.add_argument("--articles", type=int, default=2000, help="real articles for speed and memory")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not corpus_path().exists():
        sys.exit(f"ANT corpus not found at {corpus_path()} (set AKHBAR_SHARED)")
    texts = bodies()
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        old = checkout(args.old, tmp / "old")
        roots = {"old rules": (old, "rules"), "rules": (ROOT, "rules"), "crf": (ROOT, "crf")}
        if args.articles:
            sample = texts[: args.articles]
            chars = sum(len(t) for t in sample)
            got = run(roots, sample, args.repeats, tmp)
            print(
                f"\n{len(sample)} real ANT articles ({chars / len(sample):.0f} chars avg), "
                f"median of {args.repeats}"
            )
            print("recogniser  articles/s  MB/s   peak RSS MB  mentions")
            for name, r in got.items():
                size = sum(len(t.encode()) for t in sample) / MB
                print(
                    f"{name:<10} {len(sample) / r['seconds']:>10.0f} {size / r['seconds']:>5.2f} "
                    f"{r['peak_mb']:>12.0f} {r['mentions']:>9}"
                )
        paragraphs = distinct_paragraphs(texts)
        if args.sizes:
            print(f"\none long text of distinct paragraphs, median of {args.repeats}: seconds per MB")
            print("size MB  " + "  ".join(f"{name:>18}" for name in roots))
            for size in args.sizes:
                got = run(roots, [long_text(paragraphs, size)], args.repeats, tmp)
                cells = [f"{r['seconds'] / size:>7.2f} s/MB {r['peak_mb']:>4.0f} MB" for r in got.values()]
                print(f"{size:>7}  " + "  ".join(cells), flush=True)


if __name__ == "__main__":
    main()
