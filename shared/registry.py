"""Which services exist, where each listens, and what it reads and writes.

This is the map `akhbar up`, `akhbar status` and the supervisor configuration are made from.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared import topics


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    port: int
    consumes: str | None
    produces: str | None
    also_consumes: tuple[str, ...] = ()  # topics its agents read besides the article stream

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.consumes, *self.also_consumes) if self.consumes else self.also_consumes

    @property
    def group_id(self) -> str:
        """Faust uses the app id as the Kafka consumer group."""
        return f"akhbar-{self.name}"


SERVICES: dict[str, ServiceSpec] = {
    spec.name: spec
    for spec in (
        ServiceSpec("ingest", 8101, topics.INGEST_FILES, topics.ARTICLES_RAW),
        ServiceSpec("language", 8102, topics.ARTICLES_RAW, topics.ARTICLES_LANGUAGE),
        ServiceSpec("entities", 8103, topics.ARTICLES_LANGUAGE, topics.ARTICLES_ENTITIES),
        ServiceSpec("numbers", 8104, topics.ARTICLES_ENTITIES, topics.ARTICLES_NUMBERS),
        ServiceSpec("dedup", 8105, topics.ARTICLES_NUMBERS, topics.ARTICLES_ENRICHED),
        ServiceSpec("indexer", 8106, topics.ARTICLES_ENRICHED, None, (topics.ARTICLES_REVISIONS,)),
        # reads Elasticsearch only: a web app with no agents, so no Kafka assignment
        ServiceSpec("search", 8107, None, None),
    )
}

# the services an article passes through, in its order: the ones that read a topic
PIPELINE: tuple[str, ...] = tuple(name for name, spec in SERVICES.items() if spec.inputs)
