"""docker-compose.yml stays valid for users who deploy with Docker."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def docker_config() -> str:
    result = subprocess.run(
        [str(ROOT / "deploy" / "tools" / "compose-plugin.sh")],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def compose(docker_config: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOCKER_CONFIG": docker_config}
    return subprocess.run(
        ["docker", "compose", "--env-file", ".env.example", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_compose_config_is_valid(docker_config: str) -> None:
    result = compose(docker_config, "config", "--quiet")
    assert result.returncode == 0, result.stderr


def test_every_service_has_a_healthcheck_and_waits_for_kafka(docker_config: str) -> None:
    import json

    result = compose(docker_config, "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    for name in ("ingest", "language", "entities", "numbers", "dedup", "indexer"):
        assert "healthcheck" in services[name], name
        assert services[name]["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert services["indexer"]["depends_on"]["index-init"]["condition"] == ("service_completed_successfully")
    for secret in ("ELASTIC_PASSWORD", "KIBANA_SYSTEM_PASSWORD"):
        assert secret in services["es-setup"]["environment"]
