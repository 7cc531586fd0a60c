"""Entity-aware queries and clitic readings: the pure parts, no servers needed."""

from __future__ import annotations

from typing import Any

from services.search import entities, query
from services.search.entities import Named, candidates, letter_forms, linked
from services.search.params import parse
from services.search.variants import expand, without_clitics

GROUPS = [["غ", "ج"], ["ف", "ڤ"]]


def test_clitics_the_stemmer_leaves_are_read_off() -> None:
    assert without_clitics("وبالمدينة") == ["بالمدينة", "المدينة"]
    assert without_clitics("بغزة") == ["غزة"]
    assert "السعودية" in without_clitics("وللسعودية")
    assert "لاجئين" in without_clitics("للاجئين")
    assert without_clitics("Trump") == []
    assert without_clitics("وطن") == []  # three letters: the و is the word's own


def test_expansion_offers_readings_only_when_asked() -> None:
    assert expand("بغزة", [], 8) == "بغزة"
    assert expand("بغزة", [], 8, clitics=True) == "(بغزة | غزة)"
    assert expand('"بغزة"', [], 8, clitics=True) == '"بغزة"'


def test_letter_forms_cover_hamza_and_endings() -> None:
    forms = letter_forms("اردوغان")
    assert "أردوغان" in forms and "إردوغان" in forms
    assert "الحديدة" in letter_forms("الحديده")
    assert letter_forms("غزة") == ["غزة", "غزه"]


def test_candidates_are_runs_of_query_words_in_the_forms_mentions_are_written() -> None:
    found = candidates("وتنظيم الدولة يهاجم جوتيريس", GROUPS, 8)
    assert found["تنظيم الدولة"] == frozenset({0, 1})
    assert found["غوتيريس"] == frozenset({3})
    assert "تنظيم والدولة" not in found


def _lookup(*surfaces: tuple[str, int, list[tuple[str, str, int]]]) -> dict[str, Any]:
    """A lookup answer as Elasticsearch gives it: surface, its mentions, and its canonicals."""
    buckets = [
        {
            "key": surface,
            "doc_count": count,
            "canonical": {
                "buckets": [
                    {"key": name, "doc_count": n, "type": {"buckets": [{"key": kind}]}}
                    for name, kind, n in linked_to
                ]
            },
        }
        for surface, count, linked_to in surfaces
    ]
    return {"aggregations": {"mentions": {"wanted": {"surface": {"buckets": buckets}}}}}


def test_linked_takes_the_canonicals_the_service_wrote_and_the_widest_run() -> None:
    q = "تنظيم الدولة في الرقة"
    surfaces = candidates(q, GROUPS, 8)
    answer = _lookup(
        ("تنظيم الدولة", 50, [("تنظيم الدولة الإسلامية", "ORGANIZATION", 49), ("الدولة", "LOCATION", 1)]),
        ("الدولة", 10, [("الدولة", "ORGANIZATION", 10)]),
        ("الرقة", 30, [("الرقة", "LOCATION", 30)]),
    )
    assert linked(answer, surfaces, q) == [
        Named("تنظيم الدولة الإسلامية", "ORGANIZATION", frozenset({0, 1})),
        Named("الرقة", "LOCATION", frozenset({3})),
    ]


def test_latin_aliases_reach_the_arabic_canonical() -> None:
    table = entities.load_aliases()
    assert table[("isis",)] == ("تنظيم الدولة الإسلامية", "ORGANIZATION")
    assert linked(_lookup(), {}, "Trump visits") == [Named("دونالد ترامب", "PERSON", frozenset({0}))]


def test_an_entity_is_a_boost_with_the_rest_of_the_query_never_a_filter() -> None:
    request = query.load_request()
    named = [Named("تنظيم الدولة الإسلامية", "ORGANIZATION", frozenset({0}))]
    body = query.build(parse({"q": ["داعش الرقة"]}), request, named)
    should = body["query"]["bool"]["must"][0]["bool"]["should"]
    entity = should[-1]["bool"]["must"]
    assert entity[0]["constant_score"]["filter"] == {"term": {"organizations": "تنظيم الدولة الإسلامية"}}
    assert "الرقة" in entity[1]["simple_query_string"]["query"]
    assert body["query"]["bool"]["must"][0]["bool"]["minimum_should_match"] == 1


def test_without_the_entities_part_the_request_is_the_former_one() -> None:
    request = {**query.load_request(), "text": {**query.load_request()["text"], "clitics": False}}
    request.pop("entities")
    named = [Named("دونالد ترامب", "PERSON", frozenset({0}))]
    should = query.build(parse({"q": ["ترمب"]}), request, named)["query"]["bool"]["must"][0]["bool"]["should"]
    assert len(should) == 3  # stemmed, exact, fuzzy: no entity clause


def test_one_word_needs_one_of_its_forms() -> None:
    request = query.load_request()
    stemmed = query.text_query("ترمب", request["text"])["bool"]["should"][0]["simple_query_string"]
    assert stemmed["query"] == "(ترمب | ترمپ)" and stemmed["minimum_should_match"] == "1"
    two = query.text_query("ترمب يهدد", request["text"])["bool"]["should"][0]["simple_query_string"]
    assert two["minimum_should_match"] == request["text"]["minimum_should_match"]
