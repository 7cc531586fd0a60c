"""`akhbar ingest PATH...`: files, folders and globs into the `ingest.files` topic.

Archives and JSON containers are expanded here, on the client, into one record per member, line
or element (named `corpus.zip!a.txt`, `ant.jsonl.gz#17`), by the same code the ingest service
uses for archives that arrive whole: a corpus is larger than one Kafka record (50 MB) and than the
file limit of the doors (AKHBAR_MAX_FILE_BYTES), and is streamed, never held in memory.
"""

from __future__ import annotations

import asyncio
import glob
import mimetypes
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click
from kafka import KafkaProducer
from kafka.producer.future import FutureRecordMetadata
from tqdm import tqdm

from services.ingest.archives import Limits, Member
from services.ingest.archives import expand as expand_archive
from services.ingest.articles import articles
from services.ingest.parsing import NotAnArticle
from shared import index, topics
from shared.settings import Settings

# kafka-python batches records per partition; a short linger fills batches when sending a corpus
LINGER_MS = 20
BATCH_BYTES = 1 << 20
# acknowledgements are checked as sending goes on, so that a corpus holds no million futures
CHECK_EVERY = 1_000
SEND_TIMEOUT_SECONDS = 60
MGET_IDS = 1_000  # ids per Elasticsearch multi-get while waiting
LISTED = 10  # names listed for each kind of problem; the rest are counted


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
    # not idempotent: with idempotence, one record the broker refuses makes every later send to its
    # partition fail the same way (kafka-python 3.0; see shared/faust_overrides/consumer.py), and a
    # file sent twice is harmless (same article id). One request in flight keeps the files in order
    # through retries, which idempotence did before: dedup calls the first of two copies the original.
    return KafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=False,
        max_in_flight_requests_per_connection=1,
        max_request_size=topics.MAX_MESSAGE_BYTES,
        linger_ms=LINGER_MS,
        batch_size=BATCH_BYTES,
        client_id="akhbar-cli",
    )


@dataclass
class Sent:
    """What one `akhbar ingest` sent, and what it found on the way."""

    files: int = 0
    records: int = 0
    # refused here, never sent: over a limit, an unreadable archive; (name, reason: message)
    not_sent: list[tuple[str, str]] = field(default_factory=list)
    # only when the articles were checked (for --wait): the ids the index will hold, and the
    # records the service will dead-letter, by reason
    ids: set[str] = field(default_factory=set)
    rejected: Counter[str] = field(default_factory=Counter)
    rejected_names: list[tuple[str, str]] = field(default_factory=list)


def members(files: list[Path], limits: Limits) -> Iterator[tuple[Path, Member]]:
    """Every record to send: each file, or each member of an archive, streamed from disk."""
    for path in files:
        with path.open("rb") as stream:
            for member in expand_archive(stream, path.name, mimetypes.guess_type(path.name)[0], limits):
                yield path, member


def send(files: list[Path], settings: Settings, check: bool = False, show_progress: bool = True) -> Sent:
    """Send every file (every member of an archive) and wait until Kafka acknowledged each.

    `check`: parse each record here too, as the service will, to know the ids to wait for.
    """
    sent = Sent(files=len(files))
    sender = producer(settings.kafka_bootstrap)
    pending: list[FutureRecordMetadata] = []
    bar = tqdm(desc="ingest", unit=" article", disable=not show_progress)
    try:
        for path, member in members(files, Limits.of(settings)):
            bar.set_postfix_str(path.name, refresh=False)
            if member.rejection is not None:
                sent.not_sent.append((where(path, member), f"{member.rejection.reason}: {member.rejection}"))
                continue
            if check:
                _check(member, settings.max_file_bytes, sent)
            headers = [("filename", member.name.encode())]
            content_type = member.content_type or "application/octet-stream"
            headers.append(("content-type", content_type.encode()))
            pending.append(sender.send(topics.INGEST_FILES, value=member.data, headers=headers))
            sent.records += 1
            bar.update()
            if len(pending) >= CHECK_EVERY:
                pending = _acknowledged(pending, wait=False)
        sender.flush()
        _acknowledged(pending, wait=True)
        return sent
    finally:
        bar.close()
        sender.close()


def where(path: Path, member: Member) -> str:
    """The file as the user named it, and the member when it came out of an archive."""
    return str(path) if member.name == path.name else f"{path} ({member.name})"


def survey(files: list[Path], settings: Settings) -> Sent:
    """What sending these files would put in the index, found here without sending anything."""
    found = Sent(files=len(files))
    for path, member in members(files, Limits.of(settings)):
        if member.rejection is not None:
            found.not_sent.append((where(path, member), f"{member.rejection.reason}: {member.rejection}"))
        else:
            found.records += 1
            _check(member, settings.max_file_bytes, found)
    return found


def _check(member: Member, max_bytes: int, sent: Sent) -> None:
    ((_, outcome),) = articles([member], max_bytes)
    if isinstance(outcome, NotAnArticle):
        sent.rejected[outcome.reason] += 1
        if len(sent.rejected_names) < LISTED:
            sent.rejected_names.append((member.name, outcome.reason))
    else:
        sent.ids.add(outcome.id)


def _acknowledged(pending: list[FutureRecordMetadata], wait: bool) -> list[FutureRecordMetadata]:
    """The futures still waiting; raises if Kafka refused a record."""
    waiting = []
    for future in pending:
        if wait or future.is_done:
            future.get(timeout=SEND_TIMEOUT_SECONDS)
        else:
            waiting.append(future)
    return waiting


def run(paths: Iterable[str], settings: Settings, wait_seconds: float | None, show_progress: bool) -> int:
    """The whole `akhbar ingest` command; returns its exit code (raises ClickException on failure)."""
    files = list(expand(paths))
    if not files:
        raise click.UsageError(f"no files found in {' '.join(paths)}")
    started = time.monotonic()
    sent = send(files, settings, check=wait_seconds is not None, show_progress=show_progress)
    seconds = time.monotonic() - started
    click.echo(
        f"sent {sent.records} record(s) to {topics.INGEST_FILES} in {seconds:.1f} s "
        f"({sent.records / max(seconds, 1e-9):.0f}/s), from {sent.files} file(s) found; "
        f"{len(sent.not_sent)} not sent"
    )
    for name, reason in sent.not_sent[:LISTED]:
        click.echo(f"not sent: {name}: {reason}", err=True)
    if len(sent.not_sent) > LISTED:
        click.echo(f"not sent: {len(sent.not_sent) - LISTED} more", err=True)
    if wait_seconds is not None:
        _wait(settings, sent, wait_seconds, show_progress)
    return 1 if sent.not_sent else 0


def _wait(settings: Settings, sent: Sent, timeout: float, show_progress: bool) -> None:
    if sent.rejected:
        reasons = ", ".join(f"{count} {reason}" for reason, count in sent.rejected.most_common())
        examples = ", ".join(f"{name} ({reason})" for name, reason in sent.rejected_names)
        click.echo(
            f"{sum(sent.rejected.values())} record(s) hold no article ({reasons}): {examples}", err=True
        )
        click.echo(f"  they are dead-lettered to {topics.ARTICLES_DLQ}", err=True)
    if not sent.ids:
        raise click.ClickException(
            f"nothing to wait for: none of the {sent.records} record(s) sent holds an article"
            + ("" if sent.records else " (nothing was sent)")
        )
    started = time.monotonic()
    missing = asyncio.run(wait_indexed(settings, sent.ids, timeout, show_progress))
    if missing:
        listed = ", ".join(sorted(missing)[:LISTED])
        raise click.ClickException(
            f"{len(missing)} of {len(sent.ids)} article(s) not searchable after {timeout:.0f} s: {listed}"
            f"{' ...' if len(missing) > LISTED else ''}; see `akhbar status` and .run/logs/"
        )
    seconds = time.monotonic() - started
    click.echo(
        f"all {len(sent.ids)} article(s) are searchable in '{settings.index_alias}' "
        f"({seconds:.1f} s after the last was sent)"
    )


async def wait_indexed(
    settings: Settings, ids: set[str], timeout: float, show_progress: bool = False
) -> set[str]:
    """The ids still not in the index after `timeout` seconds (empty once all are).

    Only the ids still missing are asked for again: a corpus has tens of thousands.
    """
    es = index.client(settings)
    deadline = time.monotonic() + timeout
    missing = set(ids)
    bar = tqdm(total=len(ids), desc="indexed", unit=" article", disable=not show_progress)
    try:
        while True:
            if await es.indices.exists_alias(name=settings.index_alias):
                asked = sorted(missing)
                for start in range(0, len(asked), MGET_IDS):
                    chunk = asked[start : start + MGET_IDS]
                    response = await es.mget(index=settings.index_alias, ids=chunk, source=False)
                    found = {doc["_id"] for doc in response["docs"] if doc.get("found")}
                    missing -= found
                    bar.update(len(found))
            if not missing or time.monotonic() > deadline:
                return missing
            await asyncio.sleep(0.5)
    finally:
        bar.close()
        await es.close()
