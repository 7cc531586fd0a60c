"""The Kafka topics that join the services, in pipeline order, and their creation.

Every record on an article topic is keyed by the article id, so one article's records stay on one
partition from the first stage to the last.
"""

from __future__ import annotations

import logging

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

INGEST_FILES = "ingest.files"  # raw file bytes, headers filename and content-type
ARTICLES_RAW = "articles.raw"
ARTICLES_LANGUAGE = "articles.language"
ARTICLES_ENTITIES = "articles.entities"
ARTICLES_NUMBERS = "articles.numbers"
ARTICLES_ENRICHED = "articles.enriched"
ARTICLES_REVISIONS = "articles.revisions"  # dedup verdicts of earlier articles that later ones changed
ARTICLES_DLQ = "articles.dlq"

PIPELINE = (
    INGEST_FILES,
    ARTICLES_RAW,
    ARTICLES_LANGUAGE,
    ARTICLES_ENTITIES,
    ARTICLES_NUMBERS,
    ARTICLES_ENRICHED,
)
ALL = (*PIPELINE, ARTICLES_REVISIONS, ARTICLES_DLQ)

# files up to the ingest size limit travel whole through ingest.files
MAX_MESSAGE_BYTES = 52_428_800

log = logging.getLogger(__name__)


def ensure_topics(
    bootstrap: str, partitions: int, replication_factor: int = 1, names: tuple[str, ...] = ALL
) -> list[str]:
    """Create the topics that do not exist yet; returns the names created. Safe to repeat."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="akhbar-topics")
    try:
        existing = set(admin.list_topics())
        missing = [name for name in names if name not in existing]
        created = []
        for name in missing:
            topic = NewTopic(
                name,
                num_partitions=partitions,
                replication_factor=replication_factor,
                topic_configs={"max.message.bytes": str(MAX_MESSAGE_BYTES)},
            )
            try:
                admin.create_topics([topic])
                created.append(name)
                log.info("created topic=%s partitions=%d", name, partitions)
            except TopicAlreadyExistsError:
                pass  # another process created it between our listing and our request
        return created
    finally:
        admin.close()


def grow(bootstrap: str, partitions: int, names: tuple[str, ...] = ALL) -> list[str]:
    """Give these topics `partitions` partitions where they have fewer; returns the names grown.

    Kafka can add partitions but never remove them (`akhbar reset` recreates the topics instead).
    Consumers see the new partitions at their next metadata refresh or restart.
    """
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="akhbar-topics")
    try:
        current = {t["name"]: len(t["partitions"]) for t in admin.describe_topics(list(names))}
        grown = [name for name in names if current.get(name, partitions) < partitions]
        if grown:
            admin.create_partitions({name: partitions for name in grown})
            log.info("grew topics=%s partitions=%d", ",".join(grown), partitions)
        return grown
    finally:
        admin.close()
