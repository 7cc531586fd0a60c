"""`akhbar status`: each service's health and readiness, and each consumer group's lag."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from kafka import KafkaAdminClient, TopicPartition
from kafka.admin import OffsetSpec
from kafka.errors import KafkaError

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


def probe(settings: Settings, spec: ServiceSpec) -> tuple[str, bool, bool, list[str]]:
    """One service's URL, health, readiness and the problems its /ready names (a stall among them)."""
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


def _lag(admin: KafkaAdminClient | None, spec: ServiceSpec) -> int | None:
    lags = [group_lag(admin, spec.group_id, topic) for topic in spec.inputs] if admin else []
    known = [lag for lag in lags if lag is not None]
    return sum(known) if known else None


def collect(settings: Settings) -> tuple[list[ServiceStatus], str | None]:
    """Every service's status, and why lag is unknown when Kafka does not answer."""
    admin: KafkaAdminClient | None = None
    kafka_problem: str | None = None
    try:
        admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=5000)
    except KafkaError as exc:  # the services' own answers still tell what is wrong
        kafka_problem = f"Kafka at {settings.kafka_bootstrap} does not answer: {exc}"
    try:
        statuses = []
        for name, spec in SERVICES.items():
            url, healthy, ready, problems = probe(settings, spec)
            statuses.append(ServiceStatus(name, url, healthy, ready, problems, _lag(admin, spec)))
        return statuses, kafka_problem
    finally:
        if admin is not None:
            admin.close()
