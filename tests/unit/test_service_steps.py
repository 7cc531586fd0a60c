"""Each service's step, called as its agent calls it, without Kafka: records in, what to send out.

Importing a service's app builds its Faust app, which connects to nothing until a worker starts it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from faust.types import Message

from services.dedup import app as dedup
from services.dedup import probe
from services.indexer import app as indexer
from services.ingest import app as ingest
from shared import topics
from shared.reasons import Reason
from shared.records import header
from shared.schema import Article, DeadLetter, DedupInfo, DedupRevision

SEED = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))[0]


def event(value: Any, topic: str, headers: dict[str, bytes] | None = None, raw: bytes = b"") -> Any:
    message = Message(
        topic=topic,
        partition=0,
        offset=7,
        timestamp=1_700_000_000.0,
        timestamp_type=0,
        headers=list((headers or {}).items()),
        key=b"k",
        value=raw or (value if isinstance(value, bytes) else b"{}"),
        checksum=None,
    )
    return SimpleNamespace(message=message, value=value)


def article(body: str = "نص الخبر عن حلب وتدمر.") -> Article:
    return Article(
        id="a1", title="عنوان", body=body, source_file="a.txt", content_format="text", encoding="utf-8",
        ingested_at=0.0,
    )  # fmt: skip


def test_ingest_makes_an_article_of_a_file_and_stamps_it() -> None:
    (out,) = ingest.handle_file(
        event(SEED.read_bytes(), topics.INGEST_FILES, {"filename": SEED.name.encode()})
    )
    assert out.topic is ingest.stage.output and out.source is not None
    assert isinstance(out.value, Article) and out.key == out.value.id
    assert out.value.source_file == SEED.name and [step.stage for step in out.value.trace] == ["ingest"]


def test_ingest_dead_letters_each_member_of_an_archive_that_is_no_article_and_keeps_the_rest() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("good.txt", SEED.read_bytes())
        archive.writestr("empty.txt", b"")
    outgoing = ingest.handle_file(event(buffer.getvalue(), topics.INGEST_FILES, {"filename": b"day.zip"}))
    kinds = sorted(type(out.value).__name__ for out in outgoing)
    assert kinds == ["Article", "DeadLetter"]
    (letter,) = (out.value for out in outgoing if isinstance(out.value, DeadLetter))
    assert letter.reason == Reason.EMPTY and letter.filename == "day.zip!empty.txt"


def test_dedup_sends_an_article_on_with_its_fingerprints_in_the_headers() -> None:
    out = dedup.probe_or_letter(event(article("حلب " * 60), topics.ARTICLES_NUMBERS))
    assert out.topic is dedup.probes and out.headers is not None
    sent = event(out.value, dedup.PROBES, out.headers)
    prints = probe.from_headers(sent.message)  # what the decider reads back
    assert prints.digest and len(prints.signature) > 0


def test_dedup_dead_letters_a_record_it_cannot_fingerprint() -> None:
    out = dedup.probe_or_letter(event("not an article", topics.ARTICLES_NUMBERS))
    assert isinstance(out.value, DeadLetter) and out.value.reason == Reason.STAGE_ERROR


def revision_event(attempt: int | None) -> Any:
    revision = DedupRevision(article_id="a1", dedup=DedupInfo(status="original", cluster_id="a1"), cause="b2")
    headers = {} if attempt is None else {indexer.ATTEMPT_HEADER: str(attempt).encode()}
    return event(revision, topics.ARTICLES_REVISIONS, headers), revision


def test_a_revision_whose_document_is_missing_goes_to_the_back_of_its_topic_with_one_more_attempt() -> None:
    source, revision = revision_event(attempt=None)
    out = indexer._later("a1", source, revision)
    assert out.topic is indexer.revisions_topic and out.value is revision
    assert out.headers == {indexer.ATTEMPT_HEADER: b"2"}
    again = event(revision, topics.ARTICLES_REVISIONS, out.headers)
    assert header(again.message, indexer.ATTEMPT_HEADER) == "2"


def test_a_revision_still_missing_its_document_after_the_last_attempt_is_dead_lettered() -> None:
    source, revision = revision_event(attempt=indexer.REVISION_ATTEMPTS)
    out = indexer._later("a1", source, revision)
    assert isinstance(out.value, DeadLetter) and out.value.reason == Reason.REVISION_TARGET_MISSING
    assert out.value.article_id == "a1"
