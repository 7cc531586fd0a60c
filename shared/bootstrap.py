"""Assembles one service from the environment and the registry: settings, Faust app, metrics, stage.

Every service's app.py starts with `service = build(NAME)` and then only wires its own agents,
tables and views; what every service has in common is made here, once.
"""

from __future__ import annotations

from dataclasses import dataclass

import faust

from shared import worker
from shared.faust_overrides.topic import DeadLetteringTopic
from shared.observability import Metrics
from shared.registry import SERVICES
from shared.service import create_app
from shared.settings import Settings
from shared.stage import Stage


@dataclass(frozen=True)
class Service:
    name: str
    settings: Settings
    app: faust.App
    metrics: Metrics
    stage: Stage

    def source(self) -> DeadLetteringTopic:
        """The article topic this service consumes, as the registry names it."""
        consumes = SERVICES[self.name].consumes
        assert consumes is not None, f"{self.name} consumes no topic"
        return self.stage.article_topic(consumes)

    def run(self) -> None:
        worker.run(self.app, self.name, self.settings)


def build(name: str) -> Service:
    settings = Settings.from_env()
    app = create_app(name, settings)
    metrics = Metrics(name, settings.stall_seconds)
    stage = Stage(app, name, settings, metrics)
    produces = SERVICES[name].produces
    if produces is not None:
        stage.output = stage.article_topic(produces)
    return Service(name, settings, app, metrics, stage)
