"""Dedup service: marks copies and shared passages, and gives each story one cluster id.

Two steps. `fingerprint_articles` runs on every partition of the input, on every worker: it computes the
MinHash signature and passage fingerprints (the costly part) and forwards the article with them to a
single-partition topic. `decide` consumes that topic, so one worker at a time sees every article in
one total order, and judges each against the state: changelog-backed tables with one message per
article (and one per story merge), co-partitioned with the sequencer topic so their owner is the
decider. Its in-memory index is rebuilt from the table after every recovery. When a new article
shares passages with earlier ones, their new verdicts go to `articles.revisions` for the indexer.
"""

from __future__ import annotations

import logging
import time
from functools import partial
from typing import Any, cast

from faust.types import EventT

from services.dedup import probe
from services.dedup.decider import Decider, Policy
from services.dedup.fingerprints import fingerprint
from services.dedup.records import ClusterLink, Seen
from services.dedup.verdict import to_dedup_info
from shared import observability, topics
from shared.bootstrap import build
from shared.reasons import Reason
from shared.schema import Article, DedupRevision
from shared.stage import Outgoing, each

SERVICE = "dedup"
PROBES = "akhbar-dedup-probes"
log = logging.getLogger(__name__)

service = build(SERVICE)
app, stage, settings = service.app, service.stage, service.settings
# one partition: the total order in which "earlier" is decided
probes = app.topic(
    PROBES,
    key_type=str,
    value_type=Article,
    partitions=1,
    internal=True,
    config={"max.message.bytes": str(topics.MAX_MESSAGE_BYTES)},  # as big as the articles it carries
)
revisions = app.topic(topics.ARTICLES_REVISIONS, key_type=str, value_type=DedupRevision)
observability.install(app, service.metrics)

# Same partition count as the probes topic, so the assignor gives both to the same worker.
# use_partitioner: writes from the sweep happen outside the iteration of one event.
# v4: heads keep their shingle sets (v3 did not, and had 192-value signatures; v1 no passage spans):
# a changelog of an older form is left behind, not misread
articles = app.Table("dedup-articles-v4", key_type=str, value_type=Seen, partitions=1, use_partitioner=True)
links = app.Table("dedup-clusters", key_type=str, value_type=ClusterLink, partitions=1, use_partitioner=True)
policy = Policy(
    near_threshold=settings.dedup_near_threshold,
    min_share=settings.dedup_min_share,
    window_seconds=settings.dedup_window_days * 86_400,
    max_articles=settings.dedup_max_articles,
)
decider = Decider(policy, articles, links)


@articles.on_recover
async def rebuild_index() -> None:
    decider.invalidate()


def to_probe(event: EventT) -> Outgoing:
    article = cast(Article, event.value)
    return Outgoing(probes, article.id, article, probe.to_headers(fingerprint(article.body)))


def judge(event: EventT) -> list[Outgoing]:
    """The article with its verdict, then the revisions of earlier articles it causes."""
    revised: list[Outgoing] = []
    article = stage.apply(event, partial(annotate, event, revised))
    return [article, *revised]


def annotate(event: EventT, revised: list[Outgoing], article: Article) -> Article:
    """The article with its verdict; the revisions of earlier articles it causes go into `revised`."""
    prints = probe.prints_of(event.message, article.body)
    decision = decider.decide(article.id, prints, len(article.body), event.message.offset, time.time())
    for earlier, verdict in decision.revised:
        dedup = to_dedup_info(verdict, settings.max_related)
        revision = DedupRevision(article_id=earlier, dedup=dedup, cause=article.id)
        revised.append(Outgoing(revisions, earlier, revision, source=event.message))
        log.info("revised cause=%s", article.id, extra={"article_id": earlier, "stage": SERVICE})
    service.metrics.revised(len(decision.revised))
    return article.derive(dedup=to_dedup_info(decision.verdict, settings.max_related))


def probe_or_letter(event: EventT) -> Outgoing:
    """The article with its fingerprints for the decider, or its dead letter."""
    try:
        return to_probe(event)
    except Exception as exc:  # one bad article must not stop the stage
        log.exception("could not fingerprint article", extra={"stage": SERVICE})
        article = event.value if isinstance(event.value, Article) else None
        return stage.letter(event.message, Reason.STAGE_ERROR, f"{type(exc).__name__}: {exc}", article)


@app.agent(service.source())
async def fingerprint_articles(stream: Any) -> None:
    async for events in stage.batches(stream):
        await stage.deliver(await stage.work(events, probe_or_letter))


@app.agent(probes)
async def decide(stream: Any) -> None:
    async for events in stage.batches(stream):
        expired = decider.expire(time.time())
        if expired:
            log.info("expired %d article(s) from the dedup state", expired, extra={"stage": SERVICE})
        decided = await each(events, judge)  # on the loop: judging changes the Faust tables
        await stage.deliver([outgoing for judged in decided for outgoing in judged])


def main() -> None:
    service.run()
