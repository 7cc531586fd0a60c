"""The drop folder's file handling; the publisher here is a plain function, no Kafka involved."""

import asyncio
import logging
from pathlib import Path

import pytest

from services.ingest import dropfolder
from services.ingest.dropfolder import DropFolder
from shared.errors import RejectedInput


@pytest.fixture(autouse=True)
def no_settle_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dropfolder, "SETTLE_SECONDS", 0.0)


def make_folder(tmp_path: Path, published: list[str], fail: bool = False) -> DropFolder:
    async def publish(name: str, data: bytes) -> list[str]:
        if not data.strip():
            raise RejectedInput("the file is empty", "empty")
        if fail:
            raise ConnectionError("Kafka is away")
        published.append(name)
        return ["id"]

    folder = DropFolder(tmp_path / "drop", publish, max_bytes=100)
    for path in (folder.root, folder.processed, folder.rejected):
        path.mkdir(parents=True, exist_ok=True)
    return folder


def test_published_files_move_to_processed(tmp_path: Path) -> None:
    published: list[str] = []
    folder = make_folder(tmp_path, published)
    (folder.root / "a.txt").write_text("خبر")
    assert asyncio.run(folder.sweep()) == 1
    assert published == ["a.txt"]
    assert (folder.processed / "a.txt").exists() and not (folder.root / "a.txt").exists()


def test_rejected_files_move_aside_with_their_reason(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, [])
    (folder.root / "empty.txt").write_text("  ")
    (folder.root / "big.txt").write_text("x" * 101)
    asyncio.run(folder.sweep())
    assert (folder.rejected / "empty.txt.reason").read_text().startswith("empty:")
    assert (folder.rejected / "big.txt.reason").read_text().startswith("too_large:")


def test_a_file_kafka_did_not_take_stays_for_the_next_sweep(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, [], fail=True)
    (folder.root / "a.txt").write_text("خبر")
    with pytest.raises(ConnectionError):
        asyncio.run(folder.sweep())
    assert (folder.root / "a.txt").exists()


def test_a_second_file_of_the_same_name_does_not_overwrite_the_first(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, [])
    for text in ("one", "two"):
        (folder.root / "a.txt").write_text(text)
        asyncio.run(folder.sweep())
    assert sorted(p.read_text() for p in folder.processed.iterdir()) == ["one", "two"]


def test_links_and_hidden_files_are_left_alone(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, [])
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the pipeline")
    (folder.root / "link.txt").symlink_to(outside)
    (folder.root / ".partial").write_text("being written")
    assert asyncio.run(folder.sweep()) == 0


def test_files_in_subfolders_are_taken_and_keep_their_folder(tmp_path: Path) -> None:
    published: list[str] = []
    folder = make_folder(tmp_path, published)
    (folder.root / "2016" / "12").mkdir(parents=True)
    (folder.root / "2016" / "12" / "a.txt").write_text("خبر")
    (folder.root / "2016" / "empty.txt").write_text(" ")
    assert asyncio.run(folder.sweep()) == 2
    assert published == ["a.txt"]
    assert (folder.processed / "2016" / "12" / "a.txt").read_text() == "خبر"
    assert (folder.rejected / "2016" / "empty.txt.reason").exists()
    assert asyncio.run(folder.sweep()) == 0  # the outcome folders are not taken again


def test_hidden_files_and_folders_are_skipped_with_one_log_line_each(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = make_folder(tmp_path, [])
    (folder.root / ".partial.txt").write_text("being written")
    (folder.root / ".git").mkdir()
    (folder.root / ".git" / "a.txt").write_text("خبر")
    with caplog.at_level(logging.INFO, logger=dropfolder.__name__):
        assert asyncio.run(folder.sweep()) == 0
        asyncio.run(folder.sweep())
    skipped = [r.getMessage() for r in caplog.records if "hidden" in r.getMessage()]
    assert skipped == [
        "skipped hidden file=.git (names starting with '.' are not taken)",
        "skipped hidden file=.partial.txt (names starting with '.' are not taken)",
    ]


def test_the_log_says_processed_means_sent_not_indexed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = make_folder(tmp_path, [])
    (folder.root / "a.txt").write_text("خبر")
    with caplog.at_level(logging.INFO, logger=dropfolder.__name__):
        asyncio.run(folder.sweep())
    assert "published file=a.txt articles=1: in Kafka, not yet indexed; moved to processed/" in caplog.text
