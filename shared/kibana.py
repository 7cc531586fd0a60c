"""Loads Kibana's saved objects (packaged: shared/resources/kibana/*.ndjson) through Kibana's import API."""

from __future__ import annotations

import json
import os
import time
from importlib.resources.abc import Traversable
from typing import Any

import httpx

from shared import resources
from shared.errors import EngineNotReady

SAVED_OBJECTS = "kibana"


def saved_object_files() -> list[Traversable]:
    """Every packaged .ndjson file; MissingResource (naming the folder) when there is none."""
    return resources.folder(SAVED_OBJECTS, suffix=".ndjson")


def saved_objects(file: Traversable) -> list[dict[str, Any]]:
    return [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]


def _wait_for(kibana: httpx.Client, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            if kibana.get("/api/status").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise EngineNotReady(f"Kibana at {kibana.base_url} did not answer within {wait_seconds:.0f} s")
        time.sleep(3)


def load_saved_objects(
    kibana_url: str, auth: tuple[str, str] | None, wait_seconds: float = 300
) -> dict[str, int]:
    """Import every .ndjson file, overwriting objects of the same id; returns file -> objects loaded.

    Loading nothing is an error: a set-up step that "succeeds" with an empty Kibana hides a broken install.
    """
    files = saved_object_files()
    with httpx.Client(base_url=kibana_url, auth=auth, headers={"kbn-xsrf": "akhbar"}, timeout=60) as kibana:
        _wait_for(kibana, wait_seconds)
        loaded = {}
        for file in files:
            response = kibana.post(
                "/api/saved_objects/_import",
                params={"overwrite": "true"},
                files={"file": (file.name, file.read_bytes(), "application/ndjson")},
            )
            response.raise_for_status()
            result = response.json()
            if not result.get("success"):
                raise EngineNotReady(f"Kibana refused {file.name}: {result.get('errors')}")
            loaded[file.name] = int(result.get("successCount", 0))
    if not sum(loaded.values()):
        raise EngineNotReady(f"Kibana at {kibana_url} imported no object from {', '.join(loaded)}")
    return loaded


def from_env() -> tuple[str, tuple[str, str] | None]:
    url = os.environ.get("KIBANA_URL", "http://127.0.0.1:5601")
    user = os.environ.get("KIBANA_USERNAME")
    return url, (user, os.environ.get("KIBANA_PASSWORD", "")) if user else None
