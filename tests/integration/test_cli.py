"""The `akhbar` command against the running stack."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared.settings import Settings

pytestmark = pytest.mark.integration
AKHBAR = str(Path(sys.prefix) / "bin" / "akhbar")


def test_ingest_refuses_files_over_the_limit_and_sends_the_rest(stack: Settings, tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_text("عنوان\nنص قصير عن حلب", encoding="utf-8")
    large = tmp_path / "large.txt"
    large.write_bytes("ب".encode() * 600)
    env = {**os.environ, "AKHBAR_MAX_FILE_BYTES": "1000"}
    result = subprocess.run(
        [AKHBAR, "ingest", str(tmp_path)], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "sent 1 record(s)" in result.stdout and "1 not sent" in result.stdout
    assert f"not sent: {large}" in result.stderr


def test_help_describes_every_command() -> None:
    result = subprocess.run([AKHBAR, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for command in ("up", "down", "status", "ingest", "search", "report", "restart", "index", "kibana"):
        assert f"  {command} " in result.stdout, command
