"""Where the real-news corpus is, and its articles: for benchmarks, evaluations and the tests that use it.

The corpus lives outside the project (`../shared/corpora/news/ant-v2.1.jsonl.gz` beside the checkout,
or under `AKHBAR_SHARED`) and is never committed; whatever reads it says clearly when it is absent.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """`AKHBAR_SHARED`, else the `shared` folder beside the checkout."""
    return Path(os.environ.get("AKHBAR_SHARED") or ROOT.parent / "shared")


def corpus_path() -> Path:
    return shared_dir() / "corpora" / "news" / "ant-v2.1.jsonl.gz"


def missing_reason() -> str | None:
    """Why the corpus cannot be read, or None when it can."""
    path = corpus_path()
    if path.is_file():
        return None
    return f"the ANT corpus is not at {path} (set AKHBAR_SHARED to the folder that holds corpora/)"


def articles(limit: int | None = None) -> Iterator[dict[str, Any]]:
    """The corpus' articles in file order, as its JSON objects (id, source, title, body, ...)."""
    with gzip.open(corpus_path(), "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                return
            yield json.loads(line)
