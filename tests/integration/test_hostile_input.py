"""The hostile corpus through the running stack: the topic door, the drop folder and the HTTP door.

Each file becomes a correct, searchable article or a dead letter (a `rejected/` file with its reason, for
the drop folder) with the expected reason; the ingest process neither restarts nor grows without bound,
and no name, however hostile, makes the drop folder write outside itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from kafka import KafkaProducer

from akhbar import local
from services.ingest.articles import to_article
from services.ingest.dropfolder import PROCESSED, REJECTED
from services.ingest.parsing import parse_file, safe_filename
from shared import topics
from shared.settings import Settings
from shared.stage import DEAD_LETTER_PAYLOAD_BYTES
from tests.e2e.test_pipeline import dlq_end_offsets, fetch_documents, read_dead_letters, service_url
from tests.faults.drill import service_pid
from tests.hostile import corpus

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration
WAIT_SECONDS = 180
MAX_RSS_BYTES = 600 * 1024 * 1024
TRAVERSAL = "../../x"


@dataclass(frozen=True)
class Sent:
    """One file given to a door under `name`, and the article id it must get if it is an article."""

    name: str
    data: bytes
    content_type: str | None
    case: corpus.Case | None = None

    @property
    def article_id(self) -> str:
        return to_article(parse_file(self.data, self.name, self.content_type), self.name).id


@dataclass
class Run:
    tag: str
    topic: list[Sent]
    drop: list[Sent]
    http: list[tuple[Sent, httpx.Response]]
    docs: dict[str, dict[str, Any]]
    letters: dict[str, Any]
    drop_outcomes: dict[str, Path]
    link: Path
    outside: Path
    hidden: Sent
    pid: tuple[int, int]
    rss: tuple[int, int, int]  # before, after, and the process's peak


def memory_bytes(pid: int, field: str = "VmRSS") -> int:
    """Resident memory now (VmRSS), or the most it ever was (VmHWM), from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith(f"{field}:"))
    return int(kib) * 1024


def send_to_topic(settings: Settings, sent: list[Sent]) -> None:
    producer = KafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        acks="all",
        max_request_size=topics.MAX_MESSAGE_BYTES,
    )
    try:
        futures = [
            producer.send(
                topics.INGEST_FILES,
                value=item.data,
                headers=[
                    ("filename", item.name.encode()),
                    ("content-type", (item.content_type or "").encode()),
                ],
            )
            for item in sent
        ]
        producer.flush()
        for future in futures:
            future.get(timeout=60)
    finally:
        producer.close()


def drop(settings: Settings, staging: Path, sent: list[Sent]) -> None:
    """Each file appears in the drop folder whole, by a rename from a hidden folder beside it."""
    for item in sent:
        staged = staging / "next"
        staged.write_bytes(item.data)
        staged.rename(settings.drop_dir / item.name)


def wait_drop_outcomes(settings: Settings, names: list[str]) -> dict[str, Path]:
    """Where each dropped file ended up (processed/ or rejected/), once none is left in the folder."""
    deadline = time.monotonic() + WAIT_SECONDS
    while any((settings.drop_dir / name).exists() for name in names) and time.monotonic() < deadline:
        time.sleep(0.5)
    outcomes = {}
    for name in names:
        for folder in (PROCESSED, REJECTED):
            if (settings.drop_dir / folder / name).exists():
                outcomes[name] = settings.drop_dir / folder / name
    return outcomes


def http_upload(settings: Settings, sent: Sent, multipart: bool) -> httpx.Response:
    url = service_url(settings, "ingest") + "/v1/files"
    headers = {"Authorization": f"Bearer {local.ingest_token(settings)}"}
    if multipart:
        form = {"file": (sent.name, sent.data, sent.content_type or "text/plain")}
        return httpx.post(url, files=form, headers=headers, timeout=30)
    return httpx.post(url, params={"filename": sent.name}, content=sent.data, headers=headers, timeout=30)


def from_corpus(cases: list[corpus.Case], rename: bool) -> list[Sent]:
    """The corpus as sent: under its hostile names to the topic, under its plain file names to the folder
    (a directory entry cannot hold a slash)."""
    return [
        Sent(case.path.name if rename else case.name, case.path.read_bytes(), case.content_type, case)
        for case in cases
    ]


def text_file(name: str, tag: str) -> Sent:
    title, body = corpus.article(tag)
    return Sent(name, f"{title}\n\n{body}".encode(), "text/plain")


@pytest.fixture(scope="module")
def run(stack: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    settings = stack
    tag = uuid.uuid4().hex[:8]
    folder = tmp_path_factory.mktemp("hostile")
    topic_sent = from_corpus(corpus.write(folder / "topic", f"t{tag}"), rename=False)
    drop_sent = from_corpus(corpus.write(folder / "drop", f"d{tag}"), rename=True)
    # Linux allows backslashes in a name: the Windows spelling of a traversal must stay a plain name.
    drop_sent.append(text_file(f"in\\..\\..\\d{tag}-backslash.txt", f"b{tag}"))
    # starting with a dot, the same spelling is a hidden file, which the folder leaves alone
    hidden = text_file(f"..\\..\\d{tag}-hidden.txt", f"h{tag}")
    # a link in the folder pointing outside it is not a file of the folder: it is neither read nor moved
    outside = folder / "outside.txt"
    outside.write_bytes(text_file("outside.txt", f"o{tag}").data)
    link = settings.drop_dir / f"d{tag}-link.txt"
    http_sent = [text_file(TRAVERSAL, f"r{tag}"), text_file(TRAVERSAL, f"m{tag}")]

    settings.drop_dir.mkdir(parents=True, exist_ok=True)
    staging = settings.drop_dir / f".hostile-{tag}"
    staging.mkdir()
    pid_before = service_pid(settings, "ingest")
    rss_before = memory_bytes(pid_before)
    since = dlq_end_offsets(settings)
    started = time.time()
    try:
        link.symlink_to(outside)
        send_to_topic(settings, topic_sent)
        drop(settings, staging, [*drop_sent, hidden])
        raw, form = http_sent
        http = [
            (raw, http_upload(settings, raw, multipart=False)),
            (form, http_upload(settings, form, multipart=True)),
        ]
        articles = [s for s in (*topic_sent, *drop_sent) if s.case is None or s.case.reason is None]
        ids = {s.article_id for s in articles} | {s.article_id for s in http_sent}
        rejected = {safe_filename(s.name) for s in topic_sent if s.case and s.case.reason}
        docs = asyncio.run(fetch_documents(settings, ids, started))
        letters = read_dead_letters(settings, since, rejected)
        outcomes = wait_drop_outcomes(settings, [s.name for s in drop_sent])
        pid_after = service_pid(settings, "ingest")
        rss_after, peak = memory_bytes(pid_after), memory_bytes(pid_after, "VmHWM")
        print(f"\ningest RSS MiB: before {rss_before >> 20}, after {rss_after >> 20}, peak {peak >> 20}")
        yield Run(
            tag,
            topic_sent,
            drop_sent,
            http,
            docs,
            letters,
            outcomes,
            link,
            outside,
            hidden,
            (pid_before, pid_after),
            (rss_before, rss_after, peak),
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        for folder_name in ("", PROCESSED, REJECTED):
            for leftover in (settings.drop_dir / folder_name).glob(f"*d{tag}-*"):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()


def expect(sent: Sent, doc: dict[str, Any]) -> None:
    assert doc["source_file"] == safe_filename(sent.name)
    assert sent.case is not None and doc["body"] == sent.case.body
    if sent.case.title is not None:
        assert doc["title"] == sent.case.title


def test_every_decodable_file_from_the_topic_is_indexed_as_its_article(run: Run) -> None:
    articles = [s for s in run.topic if s.case and s.case.reason is None]
    assert len(articles) == 8
    for sent in articles:
        assert sent.article_id in run.docs, sent.name
        expect(sent, run.docs[sent.article_id])


def test_every_bad_file_from_the_topic_is_dead_lettered_with_its_reason(run: Run) -> None:
    expected = {safe_filename(s.name): s.case.reason for s in run.topic if s.case and s.case.reason}
    assert {name: letter["reason"] for name, letter in run.letters.items()} == expected
    for letter in run.letters.values():
        assert letter["stage"] == "ingest" and letter["topic"] == topics.INGEST_FILES and letter["error"]


def test_the_50_mb_file_is_dead_lettered_as_too_large_with_only_its_head(run: Run) -> None:
    huge = next(s for s in run.topic if s.case and s.case.kind == "huge.txt")
    letter = run.letters[huge.name]
    assert letter["reason"] == "too_large" and str(corpus.HUGE_BYTES) in letter["error"]
    assert letter["payload_encoding"] == "utf-8"
    assert 0 < len(letter["payload"].encode()) <= DEAD_LETTER_PAYLOAD_BYTES
    assert letter["payload_truncated"] is True and letter["payload_bytes"] == len(huge.data)
    assert huge.data.decode().startswith(letter["payload"])


def test_the_drop_folder_publishes_articles_and_sets_bad_files_aside_with_their_reason(run: Run) -> None:
    for sent in run.drop:
        outcome = run.drop_outcomes.get(sent.name)
        assert outcome is not None, f"{sent.name} was not taken"
        reason = sent.case.reason if sent.case else None
        if reason is None:
            assert outcome.parent.name == PROCESSED, sent.name
            assert sent.article_id in run.docs, sent.name
            if sent.case is not None:
                expect(sent, run.docs[sent.article_id])
        else:
            assert outcome.parent.name == REJECTED, sent.name
            why = outcome.with_name(outcome.name + ".reason").read_text(encoding="utf-8")
            assert why.startswith(f"{reason}: "), (sent.name, why)


def test_a_backslash_traversal_name_stays_a_plain_name_inside_the_folder(run: Run, stack: Settings) -> None:
    sent = next(s for s in run.drop if "\\" in s.name)
    assert run.drop_outcomes[sent.name] == stack.drop_dir / PROCESSED / sent.name
    assert run.docs[sent.article_id]["source_file"] == sent.name.rsplit("\\", 1)[-1]


def test_a_hidden_file_is_left_where_it_is(run: Run, stack: Settings) -> None:
    assert (stack.drop_dir / run.hidden.name).exists()
    assert run.hidden.article_id not in run.docs


def test_a_link_out_of_the_drop_folder_is_not_followed(run: Run) -> None:
    assert run.link.is_symlink() and run.link.resolve() == run.outside
    assert run.outside.exists()
    assert Sent(run.outside.name, run.outside.read_bytes(), None).article_id not in run.docs


def test_http_traversal_names_are_stored_as_the_bare_name(run: Run, stack: Settings) -> None:
    for sent, response in run.http:
        assert response.status_code == 202, response.text
        answer = response.json()
        assert (answer["id"], answer["filename"]) == (sent.article_id, "x")
        assert answer["files"] == [{"filename": "x", "ids": [sent.article_id], "rejected": []}]
        assert run.docs[sent.article_id]["source_file"] == "x"
    for base in (stack.drop_dir, ROOT, Path.cwd()):
        assert not (base / TRAVERSAL).exists(), base / TRAVERSAL


def test_nothing_is_written_beside_or_above_the_drop_folder(run: Run, stack: Settings) -> None:
    for folder in (stack.drop_dir.parent, stack.drop_dir.parent.parent, ROOT):
        assert not [path for path in folder.iterdir() if run.tag in path.name]


def test_ingest_did_not_restart_and_its_memory_stayed_bounded(run: Run) -> None:
    before, after = run.pid
    assert before == after
    assert max(run.rss) < MAX_RSS_BYTES, run.rss
