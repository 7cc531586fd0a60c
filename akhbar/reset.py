"""`akhbar reset`: empty the running pipeline without restarting the engines.

The services stop; the pipeline's topics (those shared/topics.py lists, and its Faust apps' own:
changelogs, the dedup probes), its consumer groups and the articles index are deleted; the topics come
back with the partition count asked for, and the services start again with empty state. Quicker than
`clean` + `up`, and the only way to lower a topic's partition count.

Only on engines `akhbar up` started here, unless told `--yes-this-cluster`: KAFKA_BOOTSTRAP may name
a shared cluster, and even there only the pipeline's own topics go.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable

from kafka import KafkaAdminClient

from akhbar import local
from shared import index, topics
from shared.errors import AkhbarError, EngineNotReady
from shared.registry import SERVICES
from shared.settings import Settings

DELETE_WAIT_SECONDS = 60
ENGINES = ("kafka", "elasticsearch")  # supervisord's program names for the engines `akhbar up` runs


class ForeignCluster(AkhbarError):
    reason = "foreign_cluster"


def own_topics(names: Iterable[str]) -> list[str]:
    """The pipeline's topics among `names`: shared/topics.py's, and each Faust app's own (changelogs,
    the dedup probes, assignor leaders), which Faust names after the app id."""
    app_prefixes = tuple(f"{spec.group_id}-" for spec in SERVICES.values())
    return sorted(name for name in names if name in topics.ALL or name.startswith(app_prefixes))


def refusal(settings: Settings, started_here: Iterable[str], confirmed: bool) -> str | None:
    """Why reset must leave these engines alone, or None when it may go ahead.

    `started_here` are the engines running under this run folder's supervisord.
    """
    if confirmed:
        return None
    running = set(started_here)
    foreign = [
        f"{engine} at {address}"
        for engine, address in (
            ("kafka", settings.kafka_bootstrap),
            ("elasticsearch", settings.elasticsearch_url),
        )
        if engine not in running
    ]
    if not foreign:
        return None
    return (
        f"{' and '.join(foreign)} {'was' if len(foreign) == 1 else 'were'} not started by `akhbar up` "
        "here; reset deletes topics and indices: pass --yes-this-cluster if that is what you want"
    )


def _empty_kafka(settings: Settings) -> None:
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, client_id="akhbar-reset")
    try:
        doomed = own_topics(admin.list_topics())
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


def reset(settings: Settings, partitions: int, this_cluster: bool = False) -> None:
    states = local.program_states(settings)
    started_here = [engine for engine in ENGINES if states.get(engine) == "RUNNING"]
    reason = refusal(settings, started_here, confirmed=this_cluster)
    if reason:
        raise ForeignCluster(reason)
    local.stop_services(settings)
    _empty_kafka(settings)
    deleted = asyncio.run(_empty_index(settings))
    topics.ensure_topics(settings.kafka_bootstrap, partitions, settings.replication_factor)
    local.start_services(settings)
    local.say(
        f"pipeline emptied (index {', '.join(deleted) or 'absent'}); topics have {partitions} partition(s); "
        f"{len(SERVICES)} services ready"
    )
