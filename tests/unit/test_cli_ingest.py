import gzip
import json
from pathlib import Path

import click
import pytest

from akhbar import ingest as cli_ingest
from akhbar.ingest import expand
from shared.settings import Settings


def test_files_folders_and_globs_expand_to_each_file_once(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("a.txt", "b.html", "sub/c.json"):
        (tmp_path / name).write_text("x")
    found = list(expand([str(tmp_path), str(tmp_path / "*.txt"), str(tmp_path / "a.txt")]))
    assert sorted(p.name for p in found) == ["a.txt", "b.html", "c.json"]


def test_a_missing_path_yields_nothing(tmp_path: Path) -> None:
    assert list(expand([str(tmp_path / "nope")])) == []


# --- archives expanded on the client, sent one record per article (a fake producer, no Kafka) ----

ARTICLE = "عنوان الخبر\nيواصل الجيش السوري تقدمه في شرق حلب، بالتزامن مع فرار آلاف المدنيين."


class Acknowledged:
    is_done = True

    def get(self, timeout: float) -> None:
        return None


class FakeProducer:
    def __init__(self) -> None:
        self.records: list[tuple[str, bytes, dict[str, bytes]]] = []

    def send(self, topic: str, value: bytes, headers: list[tuple[str, bytes]]) -> Acknowledged:
        self.records.append((topic, value, dict(headers)))
        return Acknowledged()

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.fixture
def kafka(monkeypatch: pytest.MonkeyPatch) -> FakeProducer:
    fake = FakeProducer()
    monkeypatch.setattr(cli_ingest, "producer", lambda bootstrap: fake)
    return fake


def settings(**env: str) -> Settings:
    return Settings.from_env({"AKHBAR_MAX_FILE_BYTES": "5000", **env})


def line(number: int, body: str = ARTICLE) -> str:
    text = f"{body} {number}" if body else ""
    return json.dumps({"id": number, "title": f"خبر {number}", "body": text}, ensure_ascii=False)


def write_corpus(tmp_path: Path) -> list[Path]:
    corpus = tmp_path / "corpus.jsonl.gz"
    corpus.write_bytes(gzip.compress("\n".join([line(1), line(2), line(3, ""), line(4)]).encode()))
    text = tmp_path / "a.txt"
    text.write_text(ARTICLE + " نص")
    return [corpus, text]


def test_an_archive_larger_than_a_record_is_sent_one_record_per_line(
    tmp_path: Path, kafka: FakeProducer
) -> None:
    files = write_corpus(tmp_path)
    sent = cli_ingest.send(files, settings(), check=True, show_progress=False)
    names = [headers["filename"].decode() for _, _, headers in kafka.records]
    assert names == [
        "corpus.jsonl.gz#1",
        "corpus.jsonl.gz#2",
        "corpus.jsonl.gz#3",
        "corpus.jsonl.gz#4",
        "a.txt",
    ]
    assert {topic for topic, _, _ in kafka.records} == {"ingest.files"}
    assert kafka.records[0][2]["content-type"] == b"application/json"
    assert json.loads(kafka.records[1][1])["id"] == 2
    assert (sent.files, sent.records, len(sent.ids)) == (2, 5, 4)
    assert sent.rejected == {"empty": 1} and sent.rejected_names == [("corpus.jsonl.gz#3", "empty")]


def test_a_member_over_the_limit_is_not_sent_and_is_reported(tmp_path: Path, kafka: FakeProducer) -> None:
    corpus = tmp_path / "d.jsonl"
    corpus.write_text(line(1, "ن" * 6_000) + "\n" + line(2) + "\n")
    sent = cli_ingest.send([corpus], settings(), show_progress=False)
    assert [h["filename"] for _, _, h in kafka.records] == [b"d.jsonl#2"]
    assert sent.not_sent == [(f"{corpus} (d.jsonl#1)", "too_large: over the 5000-byte limit")]


def test_progress_is_counted_per_article_not_per_file(
    tmp_path: Path, kafka: FakeProducer, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_ingest.send(write_corpus(tmp_path), settings(), show_progress=True)
    assert "5 article" in capsys.readouterr().err


def test_wait_on_files_that_are_all_rejected_says_so(tmp_path: Path, kafka: FakeProducer) -> None:
    (tmp_path / "blank.txt").write_text("   ")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 10)
    with pytest.raises(click.ClickException) as caught:
        cli_ingest.run([str(tmp_path)], settings(), wait_seconds=5, show_progress=False)
    assert "nothing to wait for: none of the 2 record(s) sent holds an article" in caught.value.message
    assert len(kafka.records) == 2  # sent all the same: the service dead-letters them


def test_the_run_reports_what_was_not_sent_in_its_exit_code(tmp_path: Path, kafka: FakeProducer) -> None:
    (tmp_path / "big.txt").write_text("ن" * 6_000)
    (tmp_path / "a.txt").write_text(ARTICLE)
    assert cli_ingest.run([str(tmp_path)], settings(), wait_seconds=None, show_progress=False) == 1
    assert [h["filename"] for _, _, h in kafka.records] == [b"a.txt"]
