"""The judged corpus in an index of its own: the seeds plus tests/relevance/docs, enriched offline.

Each file goes through the services' own steps (parse, language, entities, numbers, the indexer's
document shape) without Kafka, into `akhbar-test-*` built from the project's template, so the
relevance numbers depend on nothing else that is in `articles`. Dedup needs the pipeline's state,
so every document here is its own story; the judgments are about finding documents, not folding them.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk

from services.entities.app import annotate as entities
from services.indexer.documents import to_document
from services.ingest.articles import to_article
from services.ingest.parsing import parse_file
from services.language.app import annotate as language
from services.numbers.app import annotate as numbers
from shared import index
from shared.schema import DedupInfo

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FILES = sorted((ROOT / "seeds").glob("*.txt")) + sorted((HERE / "docs").glob("*.txt"))


def document(path: Path) -> dict[str, Any]:
    parsed = parse_file(path.read_bytes(), path.name)
    article = numbers(entities(language(to_article(parsed, path.name, received_at=0.0))))
    article = article.derive(dedup=DedupInfo(status="unique", cluster_id=article.id))
    return to_document(article, indexed_at=0.0)


async def build(es: AsyncElasticsearch, files: list[Path] = FILES) -> str:
    """A fresh, refreshed test index holding `files`; the caller deletes it."""
    name = f"akhbar-test-relevance-{uuid.uuid4().hex[:8]}"
    await index.create_index(es, name, index.load_template())
    docs = [document(path) for path in files]
    await async_bulk(es, ({"_index": name, "_id": d["id"], "_source": d} for d in docs), refresh="wait_for")
    return name
