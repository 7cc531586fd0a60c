from pathlib import Path

from shared.cli.ingest import expand


def test_files_folders_and_globs_expand_to_each_file_once(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("a.txt", "b.html", "sub/c.json"):
        (tmp_path / name).write_text("x")
    found = list(expand([str(tmp_path), str(tmp_path / "*.txt"), str(tmp_path / "a.txt")]))
    assert sorted(p.name for p in found) == ["a.txt", "b.html", "c.json"]


def test_a_missing_path_yields_nothing(tmp_path: Path) -> None:
    assert list(expand([str(tmp_path / "nope")])) == []
