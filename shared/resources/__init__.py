"""Files that are data, not code, shipped inside the package: found the same way from a checkout and
from an installed wheel, through importlib.resources, never through a path next to the code.

    elasticsearch/index-template.json     the articles index template
    elasticsearch/security/*.json         roles the compose set-up step creates
    kibana/*.ndjson                       Kibana saved objects
    local/kafka/, local/elasticsearch/    poms and configs of the engines `akhbar up` runs
    months.tsv                            Gregorian and Hijri month names (ingest's dates, numbers)
"""

from __future__ import annotations

import shutil
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from shared.errors import AkhbarError


class MissingResource(AkhbarError):
    """A packaged file is absent: the installation is incomplete (or package-data misses its suffix)."""

    reason = "missing_resource"


def resource(*parts: str) -> Traversable:
    """One packaged file, e.g. resource("kibana", "articles.ndjson"); MissingResource names it if absent."""
    item = files(__name__).joinpath(*parts)
    if not item.is_file():
        name = "/".join((__name__, *parts))
        raise MissingResource(f"packaged resource {name} is missing from this installation")
    return item


def read_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")


def folder(*parts: str, suffix: str) -> list[Traversable]:
    """Every packaged file in a folder whose name ends with suffix, by name; MissingResource if none."""
    directory = files(__name__).joinpath(*parts)
    entries = directory.iterdir() if directory.is_dir() else iter(())
    found = sorted(
        (item for item in entries if item.is_file() and item.name.endswith(suffix)),
        key=lambda item: item.name,
    )
    if not found:
        raise MissingResource(f"no packaged {suffix} files in {__name__}/{'/'.join(parts)}")
    return found


def copy_out(destination: Path, *parts: str, executable: bool = False) -> Path:
    """Write a packaged file to a real path, for programs that take a file name (Kafka, Maven, supervisord).

    Copied rather than pointed at: site-packages may be read-only, and Maven writes `target/` beside a pom.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    with resource(*parts).open("rb") as source, destination.open("wb") as target:
        shutil.copyfileobj(source, target)
    if executable:
        destination.chmod(0o755)
    return destination
