"""`akhbar ingest PATH...`: files, folders and globs into the `ingest.files` topic."""

from __future__ import annotations

import glob
import mimetypes
from collections.abc import Iterable, Iterator
from pathlib import Path

from kafka import KafkaProducer
from tqdm import tqdm

from shared import topics


def expand(paths: Iterable[str]) -> Iterator[Path]:
    """Every regular file named, found under a named folder, or matched by a glob, once each."""
    seen: set[Path] = set()
    for raw in paths:
        matches = [Path(m) for m in glob.glob(raw, recursive=True)] or [Path(raw)]
        for match in matches:
            candidates = sorted(match.rglob("*")) if match.is_dir() else [match]
            for path in candidates:
                resolved = path.resolve()
                if path.is_file() and resolved not in seen:
                    seen.add(resolved)
                    yield path


def producer(bootstrap: str) -> KafkaProducer:
    return KafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=True,
        max_request_size=topics.MAX_MESSAGE_BYTES,
        client_id="akhbar-cli",
    )


def ingest(files: list[Path], bootstrap: str, show_progress: bool = True) -> int:
    """Send every file and wait until Kafka acknowledged each; returns how many were sent."""
    sender = producer(bootstrap)
    try:
        pending = []
        for path in tqdm(files, desc="ingest", unit="file", disable=not show_progress):
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            headers = [("filename", path.name.encode()), ("content-type", content_type.encode())]
            pending.append(sender.send(topics.INGEST_FILES, value=path.read_bytes(), headers=headers))
        sender.flush()
        for future in pending:
            future.get(timeout=30)  # raises if Kafka refused the record
        return len(pending)
    finally:
        sender.close()
