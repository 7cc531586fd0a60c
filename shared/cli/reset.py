"""`akhbar reset`: empty the running pipeline without restarting the engines.

The services stop; every topic (the pipeline's, Faust's changelogs and the dedup probes), every
consumer group and the articles index are deleted; the topics come back with the partition count
asked for, and the services start again with empty state. Quicker than `clean` + `up`, and the only
way to lower a topic's partition count.
"""

from __future__ import annotations

import asyncio
import time

from kafka import KafkaAdminClient

from shared import index, topics
from shared.cli import local
from shared.errors import EngineNotReady
from shared.registry import SERVICES
from shared.settings import Settings

DELETE_WAIT_SECONDS = 60


def _empty_kafka(settings: Settings) -> None:
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, client_id="akhbar-reset")
    try:
        doomed = [name for name in admin.list_topics() if not name.startswith("__")]
        if doomed:
            admin.delete_topics(doomed)
        groups = [g["group_id"] for g in admin.list_groups() if g["group_id"].startswith("akhbar-")]
        if groups:
            admin.delete_groups(groups)
        deadline = time.monotonic() + DELETE_WAIT_SECONDS
        # deletion is asynchronous: a topic of the same name cannot be created until it is gone
        while set(doomed) & set(admin.list_topics()):
            if time.monotonic() > deadline:
                raise EngineNotReady(f"Kafka did not delete {sorted(set(doomed) & set(admin.list_topics()))}")
            time.sleep(0.5)
    finally:
        admin.close()


async def _empty_index(settings: Settings) -> list[str]:
    es = index.client(settings)
    try:
        if not await es.indices.exists_alias(name=settings.index_alias):
            return []
        names = sorted((await es.indices.get_alias(name=settings.index_alias)).body)
        await es.indices.delete(index=",".join(names))  # by name: wildcard deletes are refused
        return names
    finally:
        await es.close()


def reset(settings: Settings, partitions: int) -> None:
    local.stop_services(settings)
    _empty_kafka(settings)
    deleted = asyncio.run(_empty_index(settings))
    topics.ensure_topics(settings.kafka_bootstrap, partitions, settings.replication_factor)
    local.start_services(settings)
    local.say(
        f"pipeline emptied (index {', '.join(deleted) or 'absent'}); topics have {partitions} partition(s); "
        f"{len(SERVICES)} services ready"
    )
