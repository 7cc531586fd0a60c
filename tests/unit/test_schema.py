"""The records' fast JSON encoding gives exactly Faust's bytes, and decodes back to the same record."""

from __future__ import annotations

import faust
import orjson

from shared.schema import Article, DedupInfo, EntityMention, RelatedArticle, SharedPassage, cap
from tests.unit.test_documents import article as indexed_article


def article() -> Article:
    """An article with records nested three deep (dedup -> related -> passages)."""
    related = RelatedArticle(article_id="b2", overlap=0.2, passages=[SharedPassage(start=0, end=9)])
    return indexed_article().derive(dedup=DedupInfo(status="partial", cluster_id="c1", related=[related]))


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


def test_a_decoded_article_derived_and_dumped_gives_fausts_bytes_of_the_same_record() -> None:
    decoded = Article.loads(article().dumps(), serializer="json")
    derived = decoded.derive(title="another title")
    evaluated = Article.loads(article().dumps(), serializer="json").derive(title="another title")
    assert derived.dumps() == faust.Record.dumps(evaluated)
    assert derived == evaluated


def test_nested_fields_a_stage_never_read_are_handed_on_as_they_came() -> None:
    data = orjson.loads(article().dumps())
    data["entities"][0]["added_by_a_newer_stage"] = True
    passed_on = orjson.loads(Article.loads(orjson.dumps(data), serializer="json").derive(title="t").dumps())
    assert passed_on["entities"][0]["added_by_a_newer_stage"] is True
    assert passed_on["dedup"] == data["dedup"] and passed_on["title"] == "t"


def test_nested_fields_read_by_a_stage_are_records_again() -> None:
    derived = Article.loads(article().dumps(), serializer="json").derive(title="t")
    assert isinstance(derived.entities[0], EntityMention)
    assert isinstance(derived.dedup, DedupInfo) and derived.dedup.related[0].passages[0].end == 9


def test_cap_keeps_the_first_items_and_says_when_it_cut() -> None:
    assert cap([1, 2, 3], 5) == ([1, 2, 3], False)
    assert cap([1, 2, 3], 3) == ([1, 2, 3], False)
    assert cap([1, 2, 3, 4], 2) == ([1, 2], True)
    assert cap([1], 0) == ([], True)
