"""The files that are data, not code, come from the package, and the state from the working directory."""

from __future__ import annotations

import json
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from akhbar import provision
from shared import index, resources
from shared.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGED = ROOT / "shared" / "resources"
# Kibana 9 replaced these features with `<name>_v2`; the old names are deprecated aliases
V1_FEATURES = {"discover", "dashboard", "visualize", "maps"}


def test_every_packaged_file_has_a_suffix_the_wheel_carries() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["*"]
    files = [p for p in PACKAGED.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert len(files) >= 9
    for path in files:
        if path.suffix != ".py":
            assert any(fnmatch(path.name, pattern) for pattern in patterns), path


def test_what_the_code_reads_is_packaged() -> None:
    assert index.load_template()["_meta"]["index_version"] >= 1
    assert provision.pom_property(provision.KAFKA_POM, "kafka.version")
    assert provision.pom_property(provision.ES_POM, "elasticsearch.version")
    for parts in (
        ("local", "kafka", "server.properties"),
        ("local", "kafka", "log4j2.yaml"),
        ("local", "elasticsearch", "elasticsearch.yml"),
        ("local", "elasticsearch", "run.sh"),
    ):
        assert resources.read_text(*parts).strip(), parts


def test_a_missing_resource_names_itself() -> None:
    with pytest.raises(resources.MissingResource, match=r"shared\.resources/kibana/absent\.ndjson"):
        resources.resource("kibana", "absent.ndjson")
    with pytest.raises(resources.MissingResource, match=r"\.ndjson files in shared\.resources/nowhere"):
        resources.folder("nowhere", suffix=".ndjson")
    with pytest.raises(resources.MissingResource, match=r"\.xml files in shared\.resources/kibana"):
        resources.folder("kibana", suffix=".xml")


def test_a_resource_is_copied_out_whole_and_runnable_when_asked(tmp_path: Path) -> None:
    target = resources.copy_out(
        tmp_path / "deep" / "run.sh", "local", "elasticsearch", "run.sh", executable=True
    )
    assert target.read_bytes() == (PACKAGED / "local" / "elasticsearch" / "run.sh").read_bytes()
    assert target.stat().st_mode & 0o111 == 0o111


def test_the_kibana_set_up_role_uses_current_feature_names() -> None:
    role = json.loads(resources.read_text("elasticsearch", "security", "akhbar_kibana_setup.json"))
    features = [
        privilege.removeprefix("feature_").split(".")[0]
        for application in role["applications"]
        for privilege in application["privileges"]
    ]
    assert {"discover_v2", "dashboard_v2"} <= set(features)
    assert not V1_FEATURES & set(features)


def test_the_run_folder_follows_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({})
    assert settings.run_dir == tmp_path / ".run"
    assert settings.drop_dir == tmp_path / ".run" / "drop"
    assert Settings.from_env({"AKHBAR_RUN_DIR": "relative"}).run_dir == tmp_path / "relative"
