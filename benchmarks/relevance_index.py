"""The whole ANT corpus enriched in process and indexed behind its own alias, for judging relevance.

Every record goes through the services' own steps (benchmarks/limits.py's `Enricher`: ingest's
parsing, language, entities, numbers, the dedup decider, the indexer's document builder) with no
Kafka, into the index `akhbar-ant-v<template version>` behind the alias `akhbar-ant`
(`AKHBAR_RELEVANCE_ALIAS`), never `articles`, which the pipeline and its tests own. The mapping is the
project's template plus one thing: `title.plain` and `body.plain`, the words only split and
lowercased (no Arabic normalisation, no stemming), the field the plain-BM25 baseline searches.

Dedup's revisions (an earlier article's verdict changed by a later one, a story merged into another)
are applied at the end as the indexer applies them, by partial updates, so `dedup.cluster_id` is
what the pipeline's index would hold.

Run: make relevance-index   (or python -m benchmarks.relevance_index [--limit N]); needs only
Elasticsearch. 7 minutes for the 31,523 records (30,034 distinct bodies) on 2 shared cores.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk
from tqdm import tqdm

from benchmarks import realnews
from benchmarks.eval_dedup import IndexedStories
from benchmarks.limits import BULK_CHUNK, Enricher
from benchmarks.workload import File
from services.dedup.verdict import Verdict, to_dedup_info
from services.ingest.parsing import NotAnArticle
from shared import index
from shared.settings import Settings

DEFAULT_ALIAS = "akhbar-ant"
PLAIN_ANALYZER = "foreign_plain"  # the template's own: standard tokenizer, lowercase, ASCII digits
PLAIN_FIELDS = ("title", "body")
RECORDS = 31_523  # lines in ant-v2.1, for the progress bar only


def alias() -> str:
    return os.environ.get("AKHBAR_RELEVANCE_ALIAS") or DEFAULT_ALIAS


def template() -> dict[str, Any]:
    """The project's template with a `.plain` subfield on title and body for the baseline."""
    found = copy.deepcopy(index.load_template())
    properties = found["template"]["mappings"]["properties"]
    for name in PLAIN_FIELDS:
        properties[name]["fields"]["plain"] = {"type": "text", "analyzer": PLAIN_ANALYZER}
    return found


def files(limit: int | None) -> Iterator[File]:
    """Each record as the bytes of one JSON file, named by its ANT id so a hit leads back to it."""
    for record in realnews.articles(limit):
        yield File(f"{record['id']}.json", json.dumps(record, ensure_ascii=False).encode(), "", "ant")


class Build:
    """Documents from the enricher, counting what ingest refuses and bodies already seen."""

    def __init__(self, enricher: Enricher, name: str) -> None:
        self.enricher = enricher
        self.name = name
        self.written: dict[str, dict[str, Any]] = {}  # article id -> the dedup part as written
        self.stories = IndexedStories()
        self.revised: dict[str, Verdict] = {}  # the newest revised verdict of each earlier article
        self.rejected = 0
        self.repeated = 0

    def actions(self, records: Iterator[File]) -> Iterator[dict[str, Any]]:
        for seq, f in enumerate(records):
            try:
                document = self.enricher.document(f, seq)
            except NotAnArticle:
                self.rejected += 1
                continue
            if document["id"] in self.written:  # the same body again: the same document
                self.repeated += 1
                continue
            self.written[document["id"]] = document["dedup"]
            self.stories.place(document["id"], document["dedup"]["cluster_id"])
            for earlier, verdict in self.enricher.revised.items():
                self.stories.revise(earlier, verdict.cluster_id)
                self.revised[earlier] = verdict
            self.enricher.revised.clear()
            yield {"_index": self.name, "_id": document["id"], "_source": document}

    def revisions(self) -> Iterator[dict[str, Any]]:
        """Partial updates for the articles whose dedup part is not what was written: their own
        revised verdict, or their story moved into another (no scripts: this Elasticsearch has none)."""
        for article_id, revised in self.final().items():
            if revised != self.written[article_id]:
                yield {
                    "_op_type": "update",
                    "_index": self.name,
                    "_id": article_id,
                    "doc": {"dedup": revised},
                }

    def final(self) -> dict[str, dict[str, Any]]:
        final = {}
        for article_id, written in self.written.items():
            verdict = self.revised.get(article_id)
            dedup = to_dedup_info(verdict).to_data() if verdict else dict(written)
            dedup["cluster_id"] = self.stories.of[article_id]
            final[article_id] = dedup
        return final


async def build(settings: Settings, limit: int | None) -> dict[str, Any]:
    es: AsyncElasticsearch = index.client(settings, request_timeout=120)
    name = index.index_name(alias(), template())
    enricher = Enricher.load()
    job = Build(enricher, name)
    try:
        await es.indices.delete(index=name, ignore_unavailable=True)
        await index.create_index(es, name, template(), aliases={alias(): {}})
        # a bulk-loaded index needs no refresh until it is complete
        await es.indices.put_settings(index=name, settings={"refresh_interval": "-1"})
        started = time.perf_counter()
        # counted as records read, so the bar ends full although repeated bodies write nothing
        records = tqdm(files(limit), total=limit or RECORDS, unit=" records", file=sys.stderr, mininterval=5)
        await async_bulk(es, job.actions(records), chunk_size=BULK_CHUNK, max_retries=5)
        enriched = time.perf_counter() - started
        updated, _ = await async_bulk(es, job.revisions(), chunk_size=BULK_CHUNK, max_retries=5)
        await es.indices.put_settings(index=name, settings={"refresh_interval": index.refresh_interval()})
        await es.indices.refresh(index=name)
        count = int((await es.count(index=name))["count"])
    finally:
        await es.close()
    return {
        "index": name,
        "alias": alias(),
        "documents": count,
        "rejected": job.rejected,
        "repeated": job.repeated,
        "revised": updated,
        "seconds": round(time.perf_counter() - started, 1),
        "enrich_and_write_seconds": round(enriched, 1),
        "step_seconds": {step: round(s, 1) for step, s in enricher.seconds.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, help="only the first N records (a quick look)")
    args = parser.parse_args()
    missing = realnews.missing_reason()
    if missing:
        sys.exit(f"relevance_index: {missing}")
    summary = asyncio.run(build(Settings.from_env(), args.limit))
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
