"""Dedup service: marks copies and shared passages, and gives each story one cluster id.

State: a changelog-backed Faust table from fingerprint to the earliest article that had it. It is a
global table (every worker reads every partition's changelog), because an article's passages hash to
keys unrelated to the article's own partition. It survives restarts through its changelog topic.
"""

from __future__ import annotations

from typing import Any

import faust

from services.dedup.fingerprints import Owner, Verdict, body_digest, judge
from shared import observability, topics
from shared.observability import Metrics
from shared.schema import Article, DedupInfo, RelatedArticle, SharedPassage
from shared.service import create_app
from shared.settings import Settings
from shared.stage import Stage
from shared.worker import run

SERVICE = "dedup"

settings = Settings.from_env()
app = create_app(SERVICE, settings)
metrics = Metrics(SERVICE)
stage = Stage(app, SERVICE, settings, metrics)
stage.output = stage.article_topic(topics.ARTICLES_ENRICHED)
source = stage.article_topic(topics.ARTICLES_NUMBERS)
observability.install(app, metrics)


class FingerprintOwner(faust.Record, include_metadata=False):
    article_id: str
    cluster_id: str


# use_partitioner: a key's changelog partition follows the key, not the event being processed
owners = app.GlobalTable(
    "fingerprints", key_type=str, value_type=FingerprintOwner, partitions=None, use_partitioner=True
)


def lookup(digest: str) -> Owner | None:
    found = owners.get(digest)
    return Owner(found.article_id, found.cluster_id) if found else None


def to_record(verdict: Verdict) -> DedupInfo:
    return DedupInfo(
        status=verdict.status,
        cluster_id=verdict.cluster_id,
        duplicate_of=verdict.duplicate_of,
        similarity=verdict.similarity,
        related=[
            RelatedArticle(
                article_id=r.article_id,
                overlap=r.overlap,
                passages=[SharedPassage(start=s, end=e) for s, e in r.passages],
            )
            for r in verdict.related
        ],
    )


def annotate(article: Article) -> Article:
    verdict, fingerprints = judge(article.id, article.body, lookup)
    mine = FingerprintOwner(article_id=article.id, cluster_id=verdict.cluster_id)
    keys = ["body:" + body_digest(article.body)] + ["shingle:" + f.digest for f in fingerprints]
    for key in keys:
        owners.setdefault(key, mine)
    return article.derive(dedup=to_record(verdict))


@app.agent(source)
async def find_duplicates(stream: Any) -> None:
    await stage.enrich(stream, annotate)


def main() -> None:
    run(app, SERVICE, settings)
