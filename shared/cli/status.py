"""`akhbar status`: each service's health and readiness, and each consumer group's lag."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from kafka import KafkaAdminClient, TopicPartition
from kafka.admin import OffsetSpec

from shared.registry import SERVICES, ServiceSpec
from shared.settings import Settings


@dataclass(frozen=True)
class ServiceStatus:
    name: str
    url: str
    healthy: bool
    ready: bool
    problems: list[str]
    lag: int | None


def _probe(settings: Settings, spec: ServiceSpec) -> tuple[str, bool, bool, list[str]]:
    base = f"http://{settings.bind_host}:{spec.port + settings.port_offset}"
    try:
        healthy = httpx.get(f"{base}/health", timeout=2).status_code == 200
        response = httpx.get(f"{base}/ready", timeout=5)
        problems = response.json().get("problems", []) if response.content else []
        return base, healthy, response.status_code == 200, problems
    except httpx.HTTPError as exc:
        return base, False, False, [f"no answer: {exc}"]


def group_lag(admin: KafkaAdminClient, group: str, topic: str) -> int | None:
    """Records in `topic` not yet committed by `group`; None when the group has no offsets."""
    committed = admin.list_group_offsets(group).get(group, {})
    partitions = admin.describe_topics([topic])[0]["partitions"]
    tps = [TopicPartition(topic, p["partition_index"]) for p in partitions]
    ends = admin.list_partition_offsets({tp: OffsetSpec.LATEST for tp in tps})
    if not committed:
        return None
    lag = 0
    for tp in tps:
        position = committed.get(tp)
        done = position.offset if position is not None and position.offset >= 0 else 0
        lag += max(0, ends[tp].offset - done)
    return lag


def collect(settings: Settings) -> list[ServiceStatus]:
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=5000)
    try:
        statuses = []
        for name, spec in SERVICES.items():
            url, healthy, ready, problems = _probe(settings, spec)
            lag = group_lag(admin, spec.group_id, spec.consumes) if spec.consumes else None
            statuses.append(ServiceStatus(name, url, healthy, ready, problems, lag))
        return statuses
    finally:
        admin.close()
