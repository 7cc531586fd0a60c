"""Runs one service's Faust app as a worker process with JSON logs."""

from __future__ import annotations

import faust

from shared import logs
from shared.settings import Settings


def run(app: faust.App, service: str, settings: Settings) -> None:
    """Block running the worker until SIGTERM/SIGINT; Faust then stops agents and commits."""
    logs.configure(service, settings.log_level)
    worker = faust.Worker(
        app,
        loglevel=settings.log_level,
        redirect_stdouts=False,
        quiet=True,
        override_logging=False,
    )
    worker.execute_from_commandline()
