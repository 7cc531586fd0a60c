"""Loads Kibana's saved objects (deploy/kibana/*.ndjson) through Kibana's import API."""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx

from shared.errors import EngineNotReady
from shared.settings import ROOT

SAVED_OBJECTS = ROOT / "deploy" / "kibana"


def load_saved_objects(
    kibana_url: str,
    auth: tuple[str, str] | None,
    folder: Path = SAVED_OBJECTS,
    wait_seconds: float = 300,
) -> dict[str, int]:
    """Import every .ndjson file, overwriting objects of the same id; returns file -> objects loaded."""
    with httpx.Client(base_url=kibana_url, auth=auth, headers={"kbn-xsrf": "akhbar"}, timeout=60) as kibana:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                if kibana.get("/api/status").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise EngineNotReady(f"Kibana at {kibana_url} did not answer within {wait_seconds:.0f} s")
            time.sleep(3)
        loaded = {}
        for path in sorted(folder.glob("*.ndjson")):
            response = kibana.post(
                "/api/saved_objects/_import",
                params={"overwrite": "true"},
                files={"file": (path.name, path.read_bytes(), "application/ndjson")},
            )
            response.raise_for_status()
            result = response.json()
            if not result.get("success"):
                raise EngineNotReady(f"Kibana refused {path.name}: {result.get('errors')}")
            loaded[path.name] = int(result.get("successCount", 0))
        return loaded


def from_env() -> tuple[str, tuple[str, str] | None]:
    url = os.environ.get("KIBANA_URL", "http://127.0.0.1:5601")
    user = os.environ.get("KIBANA_USERNAME")
    return url, (user, os.environ.get("KIBANA_PASSWORD", "")) if user else None
