"""Search parameters and the Elasticsearch request built from them; no servers needed."""

from __future__ import annotations

import json
from datetime import date

import pytest

from services.search import query, results
from services.search.params import BadParameter, NumberCondition, parse, parse_number
from services.search.variants import expand, spellings

GROUPS = [["غ", "ج"], ["ف", "ڤ"]]


def test_defaults_collapse_stories_and_rank_by_relevance() -> None:
    params = parse({"q": ["النازحين"]})
    assert params.collapse and params.sort == "relevance" and (params.page, params.size) == (1, 10)


@pytest.mark.parametrize(
    ("query_string", "parameter"),
    [
        ({"size": ["0"]}, "size"),
        ({"size": ["51"]}, "size"),
        ({"page": ["-1"]}, "page"),
        ({"page": ["٢"]}, "page"),
        ({"from": ["2016-13-01"]}, "from"),
        ({"from": ["2016-12-10"], "to": ["2016-12-01"]}, "to"),
        ({"dedup": ["copy"]}, "dedup"),
        ({"type": ["CITY"]}, "type"),
        ({"lang": ["arabic"]}, "lang"),
        ({"collapse": ["maybe"]}, "collapse"),
        ({"sort": ["_score"]}, "sort"),
        ({"number": [">>"]}, "number"),
        ({"q": ["a", "b"]}, "q"),
        ({"q": ["ا" * 501]}, "q"),
        ({"person": [f"p{i}" for i in range(21)]}, "person"),
    ],
)
def test_bad_parameters_name_the_parameter(query_string: dict[str, list[str]], parameter: str) -> None:
    with pytest.raises(BadParameter) as raised:
        parse(query_string)
    assert raised.value.name == parameter and raised.value.reason


def test_number_conditions() -> None:
    assert parse_number("شخص>=1000") == NumberCondition("شخص", ">=", 1000.0)
    assert parse_number("percent") == NumberCondition("percent")
    assert parse_number("<5") == NumberCondition("", "<", 5.0)


def test_filters_become_required_clauses() -> None:
    params = parse(
        {
            "person": ["سيرجي لافروف"],
            "lang": ["ar", "en"],
            "number": ["شخص>=1000"],
            "from": ["2016-12-01"],
            "to": ["2016-12-31"],
            "entity": ["حلب"],
            "type": ["location"],
        }
    )
    clauses = query.filters(params)
    assert {"term": {"persons": "سيرجي لافروف"}} in clauses
    assert {"terms": {"language.primary": ["ar", "en"]}} in clauses
    assert {"range": {"published_at": {"gte": "2016-12-01", "lte": "2016-12-31||/d"}}} in clauses
    nested = [c["nested"] for c in clauses if "nested" in c]
    assert {n["path"] for n in nested} == {"numbers", "entities"}
    entity = next(n for n in nested if n["path"] == "entities")["query"]["bool"]["filter"]
    assert {"term": {"entities.type": "LOCATION"}} in entity
    number = next(n for n in nested if n["path"] == "numbers")["query"]["bool"]["filter"]
    assert {"range": {"numbers.value": {"gte": 1000.0}}} in number


def test_collapse_is_the_default_and_can_be_switched_off() -> None:
    body = query.build(parse({"q": ["حلب"]}))
    assert body["collapse"]["field"] == "dedup.cluster_id"
    assert "stories" in body["aggs"]
    assert "collapse" not in query.build(parse({"q": ["حلب"], "collapse": ["false"]}))


def test_paging() -> None:
    body = query.build(parse({"page": ["3"], "size": ["20"]}))
    assert (body["from_"], body["size"]) == (40, 20)


def test_injection_like_input_stays_inside_one_text_value() -> None:
    hostile = '"}}{"query":{"match_all":{}}}'
    body = query.build(parse({"q": [hostile]}))
    text = body["query"]["bool"]["must"][0]["bool"]["should"]
    assert all(next(iter(clause.values()))["query"] == hostile for clause in text)
    assert "match_all" not in json.dumps(body["query"]).replace(json.dumps(hostile)[1:-1], "")


def test_quoted_queries_are_phrases_on_the_exact_fields_without_guessing() -> None:
    should = query.text_query('"حلب القديمة"', query.load_request()["text"])["bool"]["should"]
    assert should[0]["simple_query_string"]["quote_field_suffix"] == ".exact"
    assert not any("multi_match" in clause for clause in should)


def test_spellings_swap_letters_within_a_group() -> None:
    assert spellings("سيرغي", GROUPS, 8) == ["سيرغي", "سيرجي"]
    assert spellings("حلب", GROUPS, 8) == ["حلب"]
    assert len(spellings("غغغغغغ", GROUPS, 8)) == 8
    assert expand("سيرغي لافروف", GROUPS, 8) == "(سيرغي | سيرجي) (لافروف | لافروڤ | لاڤروف | لاڤروڤ)"


def test_results_escape_titles_and_fold_copies() -> None:
    hit = {
        "_id": "a",
        "_score": 1.0,
        "_source": {"title": "<b>x</b>", "dedup": {"status": "unique", "cluster_id": "a"}},
        "inner_hits": {
            "copies": {
                "hits": {
                    "total": {"value": 2},
                    "hits": [{"_id": "a", "_source": {}}, {"_id": "b", "_source": {"title": "y"}}],
                }
            }
        },
    }
    day = {"key_as_string": "2016-12-11T00:00:00.000Z", "doc_count": 2, "stories": {"value": 1}}
    response = {
        "hits": {"total": {"value": 2}, "hits": [hit]},
        "aggregations": {
            "stories": {"value": 1},
            "lang": {"buckets": [{"key": "ar", "doc_count": 2, "stories": {"value": 1}}]},
            "timeline": {"buckets": [day]},
        },
    }
    answer = results.shape(response, parse({}), ["lang"])
    story = answer["hits"][0]
    assert story["title_html"] == "&lt;b&gt;x&lt;/b&gt;"
    assert [c["id"] for c in story["copies"]] == ["b"] and story["copies_total"] == 1
    assert answer["total"] == {"articles": 2, "stories": 1}
    assert answer["facets"] == {"lang": [{"value": "ar", "count": 2, "stories": 1}]}
    assert answer["timeline"] == [{"date": "2016-12-11", "articles": 2, "stories": 1}]


def test_every_facet_and_day_counts_the_stories_hits_are_collapsed_on() -> None:
    body = query.build(parse({"q": ["حلب"]}))
    collapsed_on = body["collapse"]["field"]
    facets = list(query.load_request()["facets"])
    for name in [*facets, "timeline"]:
        assert body["aggs"][name]["aggs"]["stories"]["cardinality"]["field"] == collapsed_on
    assert body["aggs"]["stories"]["cardinality"]["field"] == collapsed_on
    assert body["aggs"]["timeline"]["date_histogram"]["calendar_interval"] == "day"
    # every copy listed or not, the counts stay the same
    assert query.build(parse({"q": ["حلب"], "collapse": ["false"]}))["aggs"] == body["aggs"]


def test_country_filter_takes_two_letter_codes() -> None:
    params = parse({"country": ["sy", "IQ"]})
    assert params.countries == ("SY", "IQ")
    assert {"term": {"country_codes": "SY"}} in query.filters(params)
    with pytest.raises(BadParameter):
        parse({"country": ["S1"]})


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        # the stored text still holds a reference: Elasticsearch escapes its ampersand
        ("قال &amp;quot;<mark>نعم</mark>&amp;quot;", "قال &quot;<mark>نعم</mark>&quot;"),
        # a real angle bracket in the text stays escaped, and a decoded one is escaped again
        ("a &lt; b &amp;lt;script&amp;gt;", "a &lt; b &lt;script&gt;"),
        ("<mark>حلب</mark>", "<mark>حلب</mark>"),
    ],
)
def test_highlights_decode_stored_references_and_stay_escaped(stored: str, shown: str) -> None:
    assert results.decoded_markup(stored) == shown


def test_titles_decode_stored_references() -> None:
    hit = {"_id": "a", "_source": {"title": "&quot;حلب&quot; &lt;b&gt;"}}
    response = {
        "hits": {"total": {"value": 1}, "hits": [hit]},
        "aggregations": {"stories": {"value": 1}, "timeline": {"buckets": []}},
    }
    story = results.shape(response, parse({}), [])["hits"][0]
    assert story["title"] == '"حلب" <b>'
    assert story["title_html"] == "&quot;حلب&quot; &lt;b&gt;"


def test_dates_parse_as_dates() -> None:
    assert parse({"from": ["2016-12-01"]}).date_from == date(2016, 12, 1)
