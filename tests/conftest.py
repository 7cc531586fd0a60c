"""Fixtures shared by the integration and end-to-end tests: the real engines and services.

`akhbar up` is idempotent, so these tests bring the stack up themselves when it is not running
(`make test` has already done so). Nothing here is mocked.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from akhbar import local
from services.ingest.articles import to_article
from services.ingest.parsing import parse_file
from shared.registry import SERVICES
from shared.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.from_env()


@pytest.fixture(scope="session")
def engines(settings: Settings) -> Settings:
    """Real Kafka and Elasticsearch, started by the project's own files if not running."""
    local.up(settings, services=False)
    return settings


@pytest.fixture(scope="session")
def stack(engines: Settings) -> Iterator[Settings]:
    """The engines and every service, each its own process."""
    local.up(engines, services=True)
    yield engines


@pytest.fixture(scope="session")
def seed_ids() -> dict[Path, str]:
    """Each seed's article id, as the pipeline gives it: a digest of the parsed body."""
    return {path: to_article(parse_file(path.read_bytes(), path.name), path.name).id for path in SEEDS}


@pytest.fixture(scope="session")
def search_url(stack: Settings) -> str:
    """The search service's base URL, once every seed is searchable (ingesting again is harmless)."""
    akhbar = Path(sys.executable).with_name("akhbar")
    result = subprocess.run(
        [str(akhbar), "ingest", str(ROOT / "seeds"), "--wait", "180"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return f"http://{stack.bind_host}:{SERVICES['search'].port + stack.port_offset}"
