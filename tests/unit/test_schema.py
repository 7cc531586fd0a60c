"""The records' fast JSON encoding gives exactly Faust's bytes, and decodes back to the same record."""

from __future__ import annotations

import faust
import orjson

from shared.schema import (
    Article,
    DedupInfo,
    EntityMention,
    LanguageInfo,
    LanguageSpan,
    RelatedArticle,
    SharedPassage,
)


def article() -> Article:
    return Article(
        id="a1",
        title="حلب",
        body="دخل الجيش حلب الشرقية.",
        source_file="x.txt",
        content_format="text",
        encoding="utf-8",
        ingested_at=1.5,
        language=LanguageInfo(
            primary="ar",
            confidence=0.99,
            shares={"ar": 0.9, "en": 0.1},
            spans=[LanguageSpan(language="en", start=0, end=3, text="BBC")],
            script="Arab",
            is_arabic=True,
        ),
        entities=[EntityMention(text="حلب", start=10, end=13, type="LOCATION", canonical="حلب", lat=36.2)],
        dedup=DedupInfo(
            status="partial",
            cluster_id="c1",
            related=[RelatedArticle(article_id="b2", overlap=0.2, passages=[SharedPassage(start=0, end=9)])],
        ),
    )


def test_dumps_gives_fausts_own_bytes() -> None:
    record = article()
    assert record.dumps() == faust.Record.dumps(record)
    assert orjson.loads(record.dumps())["dedup"]["related"][0]["passages"] == [{"start": 0, "end": 9}]


def test_a_dumped_article_loads_back_equal_and_to_data_is_its_json() -> None:
    record = article()
    again = Article.loads(record.dumps(), serializer="json")
    assert again == record
    assert isinstance(again.entities[0], EntityMention)
    assert record.to_data() == orjson.loads(faust.Record.dumps(record))
