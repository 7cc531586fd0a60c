"""The layers point down: `shared/` is below every service, each service stands alone beside the
others, and the operator's CLI (`akhbar/`) sits above both, imported by neither."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported(path: Path) -> set[str]:
    """The absolute module names a file imports, wherever in the file (inside functions too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def upward(folder: Path, allowed: str | None = None, root: Path = ROOT) -> list[str]:
    """Imports of a service or of the CLI by files in `folder`, but `allowed` (its own package)."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for name in sorted(imported(path)):
            top, _, rest = name.partition(".")
            own = allowed is not None and (name == allowed or name.startswith(allowed + "."))
            if top == "akhbar" or (top == "services" and rest and not own):
                found.append(f"{path.relative_to(root)} imports {name}")
    return found


def test_shared_imports_no_service_and_not_the_cli() -> None:
    assert upward(ROOT / "shared") == []


def test_a_service_imports_no_other_service_and_not_the_cli() -> None:
    services = [folder for folder in sorted((ROOT / "services").iterdir()) if (folder / "app.py").is_file()]
    assert len(services) == 7
    for folder in services:
        assert upward(folder, allowed=f"services.{folder.name}") == []


def test_the_check_sees_imports_that_point_up(tmp_path: Path) -> None:
    (tmp_path / "module.py").write_text(
        "from services.ingest.archives import expand\n"
        "def later():\n    import akhbar.main\n    from services import search\n",
        encoding="utf-8",
    )
    assert upward(tmp_path, allowed="services.search", root=tmp_path) == [
        "module.py imports akhbar.main",
        "module.py imports services.ingest.archives",
        "module.py imports services.ingest.archives.expand",
    ]
