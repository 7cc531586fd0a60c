"""`akhbar kibana load`: what it finds in the package, and that loading nothing is a failure.

Kibana is stood in for by a small HTTP server that answers its status and import routes the way
Kibana's API documents them; no Kibana runs here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from akhbar.main import cli
from shared import kibana
from shared.errors import EngineNotReady

PACKAGED = Path(__file__).resolve().parents[2] / "shared" / "resources" / "kibana"


class FakeKibana(BaseHTTPRequestHandler):
    imported: ClassVar[int] = 0  # the successCount every import answers
    received: ClassVar[list[bytes]] = []  # the bodies of the imports, in order

    def do_GET(self) -> None:
        self._answer({"status": {"overall": {"level": "available"}}})

    def do_POST(self) -> None:
        assert self.path.startswith("/api/saved_objects/_import?overwrite=true")
        assert self.headers["kbn-xsrf"]
        FakeKibana.received.append(self.rfile.read(int(self.headers["Content-Length"])))
        self._answer({"success": True, "successCount": FakeKibana.imported})

    def _answer(self, body: dict[str, object]) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet test output


@pytest.fixture
def fake_kibana() -> Iterator[str]:
    FakeKibana.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeKibana)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def packaged_ids() -> list[str]:
    return [
        json.loads(line)["id"]
        for path in sorted(PACKAGED.glob("*.ndjson"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def test_dry_run_lists_every_packaged_object_without_kibana() -> None:
    result = CliRunner().invoke(
        cli, ["kibana", "load", "--dry-run"], env={"KIBANA_URL": "http://127.0.0.1:9"}
    )
    assert result.exit_code == 0, result.output
    listed = [line.split()[2] for line in result.output.splitlines()]
    assert listed == packaged_ids()
    assert len(listed) >= 10


def test_each_file_is_sent_whole_and_its_count_reported(fake_kibana: str) -> None:
    FakeKibana.imported = 11
    assert kibana.load_saved_objects(fake_kibana, None, wait_seconds=5) == {"articles.ndjson": 11}
    assert len(FakeKibana.received) == 1
    assert (PACKAGED / "articles.ndjson").read_bytes() in FakeKibana.received[0]


def test_a_kibana_that_imports_nothing_is_an_error(fake_kibana: str) -> None:
    FakeKibana.imported = 0
    with pytest.raises(EngineNotReady, match="imported no object"):
        kibana.load_saved_objects(fake_kibana, None, wait_seconds=5)


def test_the_command_exits_non_zero_when_nothing_was_loaded(fake_kibana: str) -> None:
    FakeKibana.imported = 0
    akhbar = Path(sys.executable).parent / "akhbar"
    result = subprocess.run(
        [str(akhbar), "kibana", "load"],
        env={**os.environ, "KIBANA_URL": fake_kibana},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "imported no object" in result.stderr
