"""The drop folder's file handling; the publisher here is a plain function, no Kafka involved."""

import asyncio
from pathlib import Path

import pytest

from services.ingest import dropfolder
from services.ingest.dropfolder import DropFolder
from shared.errors import RejectedInput


@pytest.fixture(autouse=True)
def no_settle_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dropfolder, "SETTLE_SECONDS", 0.0)


def make_folder(tmp_path: Path, published: list[str], fail: bool = False) -> DropFolder:
    async def publish(name: str, data: bytes) -> str:
        if not data.strip():
            raise RejectedInput("the file is empty", "empty")
        if fail:
            raise ConnectionError("Kafka is away")
        published.append(name)
        return "id"

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
