"""The Faust app every service is built on: one app, one process, one consumer group."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import faust

from shared import topics
from shared.faust_overrides import consumer
from shared.registry import SERVICES
from shared.settings import Settings

PRODUCER_BATCH_BYTES = 1_048_576
PRODUCER_LINGER_SECONDS = 0.005

try:
    VERSION = version("akhbar")
except PackageNotFoundError:  # running from a source tree that was never installed
    VERSION = "0.0.0"


def create_app(name: str, settings: Settings) -> faust.App:
    spec = SERVICES[name]
    return faust.App(
        spec.group_id,
        broker=f"{consumer.SCHEME}://{settings.kafka_bootstrap}",
        autodiscover=False,
        store="memory://",
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.replication_factor,
        topic_allow_declare=True,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        producer_max_request_size=topics.MAX_MESSAGE_BYTES,
        # An article record is tens of kilobytes: with the 16 KB default every record was a batch
        # and a produce request of its own. A batch of a megabyte, filled for up to 5 ms, carries
        # a stage's output in a few requests.
        producer_max_batch_size=PRODUCER_BATCH_BYTES,
        producer_linger=PRODUCER_LINGER_SECONDS,
        consumer_max_fetch_size=topics.MAX_MESSAGE_BYTES,
        # a record that raised was not handled: never let Faust count it as done
        stream_ack_exceptions=False,
        stream_ack_cancelled_tasks=False,
        web_bind=settings.bind_host,
        web_host=settings.bind_host,
        web_port=spec.port + settings.port_offset,
        # Faust's own debugging views are not part of our HTTP surface
        web_graph_enabled=False,
        web_tables_enabled=False,
        web_router_enabled=False,
        web_stats_enabled=False,
        web_metrics_enabled=False,
        version=1,
    )
