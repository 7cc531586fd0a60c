"""supervisord's configuration is made from the registry, and supervisord itself accepts it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from supervisor.options import ServerOptions

from akhbar import local
from shared.registry import PIPELINE, SERVICES
from shared.settings import Settings


@pytest.fixture
def options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ServerOptions:
    """The generated file as supervisord reads it, with the environment `akhbar up` gives it."""
    settings = Settings.from_env({"AKHBAR_RUN_DIR": str(tmp_path), "AKHBAR_INGEST_TOKEN": "t"})
    (tmp_path / "logs").mkdir()
    # what _prepare_elasticsearch reports: the state folder it copied run.sh into
    environment = local._supervisor_env(settings, {"AKHBAR_ES_STATE": str(tmp_path / "es")})
    monkeypatch.setattr(os, "environ", environment)
    parsed = ServerOptions()
    parsed.realize(args=["-c", str(local._supervisor_conf(settings))])
    return parsed


def test_every_registry_service_is_a_program_and_nothing_else(options: ServerOptions) -> None:
    groups = {group.name: group for group in options.process_group_configs}
    assert set(groups) == {"services", "kafka", "elasticsearch"}
    programs = {program.name: program for program in groups["services"].process_configs}
    assert list(programs) == list(SERVICES)
    for name, program in programs.items():
        assert program.command.endswith(f"/bin/akhbar service {name}")
        assert program.directory == os.getcwd()


def test_nothing_starts_until_up_asks_for_it(options: ServerOptions) -> None:
    assert not any(p.autostart for group in options.process_group_configs for p in group.process_configs)


def test_the_engines_read_the_configs_up_writes_into_the_run_folder(
    options: ServerOptions, tmp_path: Path
) -> None:
    groups = {group.name: group.process_configs[0] for group in options.process_group_configs}
    assert f"-Dlog4j2.configurationFile={tmp_path}/kafka/log4j2.yaml" in groups["kafka"].command
    assert groups["kafka"].command.endswith(f"{tmp_path}/kafka/server.properties")
    assert groups["elasticsearch"].command == f"{tmp_path}/es/run.sh"


def test_the_file_is_the_same_whenever_it_is_made() -> None:
    assert local.supervisor_config() == local.supervisor_config()
    assert "[program:search]" in local.supervisor_config()


def test_the_pipeline_is_the_registry_services_that_read_a_topic_in_the_registry_order() -> None:
    assert PIPELINE == ("ingest", "language", "entities", "numbers", "dedup", "indexer")
    assert [name for name in SERVICES if name not in PIPELINE] == ["search"]
