"""The ceilings the pipeline is compared with: Kafka alone, Elasticsearch alone, enrichment without Kafka."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from elasticsearch.helpers import async_bulk
from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

from benchmarks.workload import File
from services.dedup.decider import Decider, Policy
from services.dedup.fingerprints import fingerprint
from services.dedup.records import ClusterLink, Seen
from services.dedup.verdict import Verdict, to_dedup_info
from services.entities import enrich as entities_step
from services.entities import stacked
from services.indexer.documents import to_document
from services.ingest.articles import to_article
from services.ingest.parsing import DEFAULT_MAX_BYTES, parse_file
from services.language import enrich as language_step
from services.language.detect import LanguageDetector
from services.numbers import enrich as numbers_step
from services.numbers.extract import NumberExtractor
from shared import index, topics
from shared.schema import Article
from shared.settings import Settings

BENCH_INDEX_PREFIX = "akhbar-bench-"
BULK_CHUNK = 200  # the indexer's batch: AKHBAR_BATCH_SIZE's default


def kafka_round_trip(settings: Settings, files: list[File], tag: str) -> dict[str, float]:
    """Produce the files' bytes to a throwaway topic as the doors do, then consume them all back."""
    topic = f"akhbar-bench-{tag}"
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, client_id="akhbar-bench")
    admin.create_topics(
        [
            NewTopic(
                topic,
                num_partitions=settings.topic_partitions,
                replication_factor=settings.replication_factor,
                topic_configs={"max.message.bytes": str(topics.MAX_MESSAGE_BYTES)},
            )
        ]
    )
    try:
        producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all", linger_ms=20)
        producer.partitions_for(topic)  # the new topic's metadata, fetched before the clock starts
        started = time.perf_counter()
        for f in files:
            producer.send(
                topic, key=f.article_id.encode(), value=f.data, headers=[("filename", f.name.encode())]
            )
        producer.flush()
        produced = time.perf_counter() - started
        producer.close()
        consumer = KafkaConsumer(
            topic,
            bootstrap_servers=settings.kafka_bootstrap,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            consumer_timeout_ms=10_000,
        )
        started = time.perf_counter()
        received = 0
        for _ in consumer:
            received += 1
            if received == len(files):
                break
        consumed = time.perf_counter() - started
        consumer.close()
    finally:
        admin.delete_topics([topic])
        admin.close()
    return {"produce_per_s": len(files) / produced, "consume_per_s": received / consumed}


@dataclass
class Enricher:
    """The services' pure steps in one process, in pipeline order, with the time each one took."""

    detector: LanguageDetector
    recognizer: stacked.Recognises
    extractor: NumberExtractor
    decider: Decider
    seconds: dict[str, float]
    # earlier articles' verdicts changed by later ones, the newest of each: what the indexer applies
    revised: dict[str, Verdict] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Enricher:
        """The steps as the services run them: the entities recogniser AKHBAR_ENTITIES_RECOGNIZER names."""
        state: dict[str, Seen] = {}
        links: dict[str, ClusterLink] = {}
        steps = ("ingest", "language", "entities", "numbers", "dedup", "document")
        return cls(
            LanguageDetector(),
            stacked.load(Settings.from_env().entities_recognizer),
            NumberExtractor(),
            Decider(Policy(), state, links),
            dict.fromkeys(steps, 0.0),
        )

    def _timed(self, step: str, started: float) -> float:
        now = time.perf_counter()
        self.seconds[step] += now - started
        return now

    def document(self, f: File, seq: int, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
        """Every step on one file, as the services run them; ``max_bytes`` is the door's limit."""
        t = time.perf_counter()
        article: Article = to_article(parse_file(f.data, f.name, max_bytes=max_bytes), f.name)
        t = self._timed("ingest", t)
        article = language_step.annotate(article, self.detector)
        t = self._timed("language", t)
        article = entities_step.annotate(article, self.recognizer)
        t = self._timed("entities", t)
        article = numbers_step.annotate(article, self.extractor)
        t = self._timed("numbers", t)
        decision = self.decider.decide(
            article.id, fingerprint(article.body), len(article.body), seq, time.time()
        )
        article = article.derive(dedup=to_dedup_info(decision.verdict))
        self.revised.update(decision.revised)
        t = self._timed("dedup", t)
        document = to_document(article)
        self._timed("document", t)
        return document


async def _bulk(settings: Settings, name: str, documents: list[dict[str, Any]]) -> float:
    """Seconds to bulk-index the documents into a new index `name` (template's settings) until searchable."""
    es = index.client(settings, request_timeout=120)
    try:
        await index.create_index(es, name, index.load_template())
        actions = ({"_index": name, "_id": d["id"], "_source": d} for d in documents)
        started = time.perf_counter()
        await async_bulk(es, actions, chunk_size=BULK_CHUNK, max_retries=5)
        await es.indices.refresh(index=name)
        return time.perf_counter() - started
    finally:
        await es.indices.delete(index=name, ignore_unavailable=True)
        await es.close()


def elasticsearch_bulk(settings: Settings, documents: list[dict[str, Any]], tag: str, at_least: int) -> float:
    """Documents per second bulk-indexed into a throwaway akhbar-bench-* index, deleted afterwards.

    The enriched sample is cycled, each round under new ids, to `at_least` documents: a few hundred
    would time mostly the first requests.
    """
    rounds = -(-at_least // len(documents))
    documents = [{**d, "id": f"{d['id']}-{n}"} for n in range(rounds) for d in documents]
    seconds = asyncio.run(_bulk(settings, f"{BENCH_INDEX_PREFIX}{tag}", documents))
    return len(documents) / seconds


def in_process(settings: Settings, files: list[File], tag: str) -> dict[str, Any]:
    """Every enrichment step in this one process, then one bulk write: the pipeline without Kafka."""
    enricher = Enricher.load()
    started = time.perf_counter()
    documents = [enricher.document(f, seq) for seq, f in enumerate(files)]
    enriched = time.perf_counter() - started
    written = asyncio.run(_bulk(settings, f"{BENCH_INDEX_PREFIX}{tag}", documents))
    return {
        "per_s": len(files) / (enriched + written),
        "enrich_per_s": len(files) / enriched,
        "step_per_s": {step: len(files) / s for step, s in enricher.seconds.items() if s > 0},
        "documents": documents,
    }
