"""Fixtures shared by the integration and end-to-end tests: the real engines and services.

`akhbar up` is idempotent, so these tests bring the stack up themselves when it is not running
(`make test` has already done so). Nothing here is mocked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.cli import local
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
