"""docker-compose.yml stays valid for users who deploy with Docker, and agrees with what runs here.

Everything is read from `docker compose config`: no Docker engine and no Kibana run here, so these check
the deployment as written, against the images' and Kibana's own sources, not a running one.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from akhbar import provision
from shared import kibana
from shared.registry import PIPELINE, SERVICES

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration
KIBANA_KEYS = (
    "XPACK_SECURITY_ENCRYPTIONKEY",
    "XPACK_ENCRYPTEDSAVEDOBJECTS_ENCRYPTIONKEY",
    "XPACK_REPORTING_ENCRYPTIONKEY",
)
# Per Kibana minor: the version an imported object must claim so that Kibana runs none of the legacy
# migrations written for older shapes (Lens's 7.x ones read `indexpattern`, which 8.6.0 renamed to the
# `formBased` these objects use, and throw). For each type it is the newest legacy migration that type
# registers; those froze when Kibana 8.10 moved to model versions, which Kibana applies on import itself.
# Read from Kibana's sources: lens server/migrations/saved_object_migrations.ts (8.9.0); dashboard's
# migrations merged with the embeddables' (8.9.0, the Lens ones); maps (8.4.0); data views and saved
# searches (8.0.0); core's own document migrations end at 8.8.0, as its sample data sets carry.
KIBANA_MIGRATIONS = {
    "9.2": {
        "core": "8.8.0",
        "index-pattern": "8.0.0",
        "search": "8.0.0",
        "lens": "8.9.0",
        "map": "8.4.0",
        "dashboard": "8.9.0",
        "visualization": "8.5.0",
    }
}


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


def test_every_service_has_a_healthcheck_and_waits_for_kafka(services: dict[str, Any]) -> None:
    for name in PIPELINE:
        assert "healthcheck" in services[name], name
        assert services[name]["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert services["indexer"]["depends_on"]["index-init"]["condition"] == ("service_completed_successfully")
    for secret in ("ELASTIC_PASSWORD", "KIBANA_SYSTEM_PASSWORD"):
        assert secret in services["es-setup"]["environment"]


@pytest.fixture(scope="module")
def services(docker_config: str) -> dict[str, Any]:
    """The compose services as Docker would run them, with .env.example's values filled in."""
    result = compose(docker_config, "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    described: dict[str, Any] = json.loads(result.stdout)["services"]
    return described


def test_compose_runs_each_registry_service_once_on_its_port(services: dict[str, Any]) -> None:
    runs = sorted(
        (spec["command"][1], name)
        for name, spec in services.items()
        if (spec.get("command") or [None])[0] == "service"
    )
    assert runs == sorted((name, name) for name in SERVICES)
    for name, registered in SERVICES.items():
        spec = services[name]
        assert f"127.0.0.1:{registered.port}/health" in " ".join(spec["healthcheck"]["test"]), name
        assert all(int(port["target"]) == registered.port for port in spec.get("ports", [])), name


def test_kafka_keeps_its_logs_on_its_volume(services: dict[str, Any]) -> None:
    kafka = services["kafka"]
    volumes = [PurePosixPath(v["target"]) for v in kafka["volumes"] if v["type"] == "volume"]
    log_dirs = [PurePosixPath(d) for d in kafka["environment"]["KAFKA_LOG_DIRS"].split(",")]
    assert all(any(d.is_relative_to(v) for v in volumes) for d in log_dirs), (log_dirs, volumes)


def test_kafka_is_the_version_that_runs_locally(services: dict[str, Any]) -> None:
    local = provision.pom_property(provision.KAFKA_POM, "kafka.version")
    assert services["kafka"]["image"] == f"apache/kafka:{local}"


def test_the_drop_folder_belongs_to_the_ingest_user_before_ingest_starts(services: dict[str, Any]) -> None:
    dockerfile = (ROOT / "deploy" / "docker" / "Dockerfile").read_text()
    uid = re.search(r"useradd [^\n]*--uid (\d+) (\w+)", dockerfile)
    assert uid and f"USER {uid.group(2)}" in dockerfile
    drop_dir = re.search(r"AKHBAR_DROP_DIR=(\S+)", dockerfile)
    assert drop_dir
    ingest = services["ingest"]
    mount = next(v for v in ingest["volumes"] if v["target"] == drop_dir.group(1))
    preparers = [
        services[name]
        for name, dependency in ingest["depends_on"].items()
        if dependency["condition"] == "service_completed_successfully"
        and services[name].get("user") in ("0", "root")
        and any(v["source"] == mount["source"] for v in services[name].get("volumes", []))
    ]
    assert len(preparers) == 1
    script = " ".join(preparers[0]["command"])
    for sub in ("processed", "rejected"):
        assert f"{drop_dir.group(1)}/{sub}" in script
    assert f"chown {uid.group(1)} " in script


def test_kibana_keeps_its_encryption_keys_across_restarts(services: dict[str, Any]) -> None:
    environment = services["kibana"]["environment"]
    for setting in KIBANA_KEYS:
        # Kibana refuses keys shorter than 32 characters
        assert len(environment.get(setting) or "") >= 32, setting


def test_kibana_set_up_loads_the_packaged_objects(services: dict[str, Any]) -> None:
    assert services["kibana-setup"]["command"] == ["kibana", "load"]
    assert services["kibana-setup"]["depends_on"]["kibana"]["condition"] == "service_healthy"


def test_every_saved_object_carries_the_migration_versions_of_the_compose_kibana(
    services: dict[str, Any],
) -> None:
    image, version = services["kibana"]["image"].rsplit(":", 1)
    assert image == "docker.elastic.co/kibana/kibana"
    minor = ".".join(version.split(".")[:2])
    assert minor in KIBANA_MIGRATIONS, f"check the saved objects' migration versions against Kibana {version}"
    expected = KIBANA_MIGRATIONS[minor]
    for file in kibana.saved_object_files():
        for obj in kibana.saved_objects(file):
            assert obj.get("coreMigrationVersion") == expected["core"], obj["id"]
            assert obj.get("typeMigrationVersion") == expected[obj["type"]], obj["id"]
