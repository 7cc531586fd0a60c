"""What every fault drill needs: distinct articles to stream, and the checks that nothing was lost."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from akhbar import local
from services.ingest.articles import to_article
from services.ingest.parsing import parse_file
from shared import index, topics
from shared.registry import SERVICES
from shared.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@dataclass(frozen=True)
class Batch:
    tag: str
    files: dict[str, bytes]  # file name -> bytes
    ids: set[str]


def make_batch(tag: str, count: int) -> Batch:
    """`count` distinct articles: each seed with a numbered sentence of its own, so ids differ."""
    files, ids = {}, set()
    for n in range(count):
        seed = SEEDS[n % len(SEEDS)]
        data = seed.read_bytes() + f"\n\nملاحظة التجربة {tag} رقم {n}.\n".encode()
        name = f"{tag}-{n:05d}.txt"
        files[name] = data
        ids.add(to_article(parse_file(data, name), name).id)
    return Batch(tag, files, ids)


def send(settings: Settings, batch: Batch) -> None:
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all", linger_ms=20)
    for name, data in batch.files.items():
        producer.send(topics.INGEST_FILES, value=data, headers=[("filename", name.encode())])
    producer.flush()
    producer.close()


def dlq_offsets(settings: Settings) -> dict[TopicPartition, int]:
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap)
    tps = [TopicPartition(topics.ARTICLES_DLQ, p) for p in consumer.partitions_for_topic(topics.ARTICLES_DLQ)]
    ends: dict[TopicPartition, int] = consumer.end_offsets(tps)
    consumer.close()
    return ends


def dead_letters_of(
    settings: Settings, since: dict[TopicPartition, int], batch: Batch
) -> list[dict[str, Any]]:
    """Dead letters written since `since` that belong to this batch (by file name or article id)."""
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, consumer_timeout_ms=3000)
    consumer.assign(list(since))
    for tp, offset in since.items():
        consumer.seek(tp, offset)
    letters = []
    for message in consumer:
        letter = json.loads(message.value)
        if (letter.get("filename") or "").startswith(batch.tag) or letter.get("key") in batch.ids:
            letters.append(letter)
    consumer.close()
    return letters


async def _count(settings: Settings, ids: set[str]) -> int:
    es = index.client(settings)
    try:
        await es.indices.refresh(index=settings.index_alias)
        result = await es.count(index=settings.index_alias, query={"ids": {"values": sorted(ids)}})
        return int(result["count"])
    finally:
        await es.close()


async def _delete(settings: Settings, ids: set[str]) -> None:
    es = index.client(settings)
    try:  # by id in bulk: the distribution we run leaves out delete-by-query's module
        deletes = [{"delete": {"_index": settings.index_alias, "_id": id_}} for id_ in sorted(ids)]
        await es.bulk(operations=deletes, refresh=True)
    finally:
        await es.close()


def delete_documents(settings: Settings, ids: set[str]) -> None:
    """Take a test's articles out of the shared index: later tests search the seeds, not these."""
    if ids:
        asyncio.run(_delete(settings, ids))


def forget(settings: Settings, batch: Batch) -> None:
    delete_documents(settings, batch.ids)


def indexed_count(settings: Settings, batch: Batch) -> int:
    try:
        return asyncio.run(_count(settings, batch.ids))
    except Exception:  # Elasticsearch may be the thing a drill stopped
        return -1


def wait_until(condition: Any, seconds: float, what: str, every: float = 1.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(every)
    raise AssertionError(f"{what} did not happen within {seconds:.0f} s")


def wait_all_indexed(settings: Settings, batch: Batch, seconds: float = 600) -> None:
    wait_until(
        lambda: indexed_count(settings, batch) == len(batch.ids),
        seconds,
        f"all {len(batch.ids)} articles of {batch.tag} indexed",
    )


def service_pid(settings: Settings, name: str) -> int:
    return int(local._ctl(settings, "pid", f"services:{name}").stdout.strip() or 0)


def ready(settings: Settings, name: str) -> bool:
    url = f"http://{settings.bind_host}:{SERVICES[name].port + settings.port_offset}/ready"
    try:
        return httpx.get(url, timeout=3).status_code == 200
    except httpx.HTTPError:
        return False


def kill_hard(settings: Settings, name: str) -> int:
    """kill -9 the service; supervisord restarts it, as an unexpected exit. Returns the old pid."""
    pid = service_pid(settings, name)
    os.kill(pid, signal.SIGKILL)
    return pid
