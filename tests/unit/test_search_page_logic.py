"""The search page's pure logic: the article page's segments and dates, the timeline's days, the map's
shapes; no servers needed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from services.search import article, timeline, world
from services.search.article import Span

BODY = "قال أنطونيو غوتيريش في نيويورك إن 250 ألف نازح عادوا."


def _at(word: str) -> tuple[int, int]:
    start = BODY.index(word)
    return start, start + len(word)


def test_segments_join_back_into_the_body_and_carry_each_mention_whole() -> None:
    person, place, number = _at("أنطونيو غوتيريش"), _at("نيويورك"), _at("250 ألف نازح")
    marks = [
        Span(*person, "PERSON", "أنطونيو غوتيريش"),
        Span(*place, "LOCATION", "نيويورك"),
        Span(*number, "NUMBER", "القيمة: 250000"),
    ]
    pieces = article.segments(BODY, marks, [])
    assert "".join(p["text"] for p in pieces) == BODY
    typed = [(p["text"], p["kind"]) for p in pieces if "kind" in p]
    assert typed == [("أنطونيو غوتيريش", "PERSON"), ("نيويورك", "LOCATION"), ("250 ألف نازح", "NUMBER")]
    assert not any(p["shared"] for p in pieces)


def test_an_overlapping_mention_does_not_cut_the_one_that_holds_it() -> None:
    outer, inner = _at("250 ألف نازح"), _at("250")
    pieces = article.segments(BODY, [Span(*inner, "NUMBER", "x"), Span(*outer, "ORGANIZATION", "y")], [])
    assert [(p["text"], p["kind"]) for p in pieces if "kind" in p] == [("250 ألف نازح", "ORGANIZATION")]


def test_a_shared_passage_is_marked_and_cuts_a_mention_it_crosses_keeping_its_type() -> None:
    person = _at("أنطونيو غوتيريش")
    middle = person[0] + 4
    pieces = article.segments(BODY, [Span(*person, "PERSON", "p")], [(middle, len(BODY))])
    assert "".join(p["text"] for p in pieces) == BODY
    shared = [p for p in pieces if p["shared"]]
    assert "".join(p["text"] for p in shared) == BODY[middle:]
    assert [p.get("kind") for p in pieces[:3]] == [None, "PERSON", "PERSON"]


def test_spans_out_of_the_body_are_dropped_not_drawn() -> None:
    pieces = article.segments("abc", [Span(2, 9, "PERSON", "x"), Span(1, 1, "PERSON", "y")], [(5, 8)])
    assert pieces == [{"text": "abc", "shared": False}]


def test_a_number_shows_value_unit_and_kind_on_hover() -> None:
    number = {"kind": "approximate", "value": 1000.0, "unit": "مدني", "qualifier": "approx"}
    title = article.number_title(number)
    assert title == "القيمة: 1000 · الوحدة: مدني · عدد تقريبي (نحو)"
    assert article.number_title({"kind": "range", "value": 10.0, "high": 20.0}) == "القيمة: 10–20 · مدى"


def test_dates_in_both_calendars() -> None:
    assert article.dates("2016-12-11T21:11") == {
        "gregorian": "11 ديسمبر 2016",
        "hijri": "12 ربيع الأول 1438 هـ",
        "iso": "2016-12-11",
    }
    assert article.dates(None) is None and article.dates("غدا") is None


def test_the_page_lists_copies_without_itself_and_related_passages_from_its_own_body() -> None:
    document: dict[str, Any] = {
        "id": "a",
        "title": "&quot;عنوان&quot;",
        "body": BODY,
        "dedup": {
            "cluster_id": "a",
            "related": [
                {"article_id": "b", "overlap": 0.5, "passages": [{"start": 0, "end": 3}]},
                {"article_id": "gone", "overlap": 0.2, "passages": []},
            ],
        },
    }
    # c twice: found in the story and as the head of a's copy group (related to it as well)
    copies = [{"id": "a"}, {"id": "c", "title": "نسخة"}, {"id": "d"}, {"id": "c", "title": "نسخة"}]
    page = article.page(document, copies, {"b": {"id": "b", "title": "آخر"}})
    assert page["title"] == '"عنوان"'
    assert [c["id"] for c in page["copies"]] == ["c", "d"]
    assert page["related"][0]["title"] == "آخر" and page["related"][0]["passages"][0]["text"] == "قال"
    assert page["related"][1] == {"id": "gone", "overlap": 0.2, "passages": []}
    assert page["segments"][0] == {"text": "قال", "shared": True}


def test_the_timeline_fills_short_quiet_spells_and_folds_long_ones() -> None:
    def day(iso: str) -> dict[str, Any]:
        return {"date": iso, "articles": 1, "stories": 1}

    days = timeline.days([day("2018-01-01"), day("2018-01-04"), day("2018-03-01")], max_empty=14)
    assert [d.get("date", d.get("gap")) for d in days] == [
        "2018-01-01", "2018-01-02", "2018-01-03", "2018-01-04", 55, "2018-03-01"
    ]  # fmt: skip
    assert days[1] == {"date": "2018-01-02", "articles": 0, "stories": 0}
    assert timeline.days([]) == []


# a square and a triangle sharing an edge, in TopoJSON: arc 0 is the shared edge, quantised
TOPOLOGY: dict[str, Any] = {
    "transform": {"scale": [1, 1], "translate": [0, 0]},
    "arcs": [[[10, 0], [0, 10]], [[10, 10], [-10, 0], [0, -10], [10, 0]], [[10, 0], [10, 0], [-10, 10]]],
    "objects": {
        "countries": {
            "geometries": [
                {"type": "Polygon", "id": "760", "arcs": [[0, 1]]},
                {"type": "Polygon", "id": "368", "arcs": [[~0, 2]]},
                {"type": "Polygon", "id": "010", "arcs": [[1]]},
                {"type": None},
            ]
        }
    },
}


def test_topojson_arcs_are_delta_decoded_and_walked_backwards_when_negative() -> None:
    arcs = world.decode_arcs(TOPOLOGY)
    assert arcs[0] == [(10, 0), (10, 10)]
    assert world.ring([0, 1], arcs) == [(10, 0), (10, 10), (0, 10), (0, 0), (10, 0)]
    assert world.ring([~0, 2], arcs) == [(10, 10), (10, 0), (20, 0), (10, 10)]


def test_countries_carry_their_codes_and_antarctica_is_left_out() -> None:
    shapes = world.countries(TOPOLOGY, {"760": ("SY", "سوريا"), "368": ("IQ", "العراق")})
    assert [(s["code"], s["name"]) for s in shapes] == [("SY", "سوريا"), ("IQ", "العراق")]
    assert shapes[0]["d"].startswith("M380,168L380,148") and shapes[0]["d"].endswith("Z")


def test_a_ring_across_the_antimeridian_goes_on_past_the_edge_and_is_drawn_again_from_the_other() -> None:
    crossing = [(170.0, 60.0), (-170.0, 60.0), (-170.0, 50.0), (170.0, 50.0)]
    assert world.unwrap(crossing) == [(170.0, 60.0), (190.0, 60.0), (190.0, 50.0), (170.0, 50.0)]
    subpaths = world.path([crossing]).strip("MZ").split("ZM")
    xs = [[float(point.split(",")[0]) for point in sub.split("L")] for sub in subpaths]
    # once past the right edge, once again past the left one: never a line across the map
    assert [(min(x), max(x)) for x in xs] == [(700, 740), (-20, 20)]


def test_every_code_in_the_table_is_two_letters_and_every_numeric_three_digits() -> None:
    codes = world.load_codes()
    assert codes["760"] == ("SY", "سوريا") and codes["818"][0] == "EG"
    assert all(len(n) == 3 and n.isdigit() and len(code) == 2 for n, (code, _) in codes.items())


@pytest.mark.skipif(not world.ATLAS.exists(), reason="make setup installs the world-atlas countries")
def test_the_installed_atlas_gives_most_countries_a_code() -> None:
    shapes = world.countries(json.loads(world.ATLAS.read_text()), world.load_codes())
    coded = {s["code"] for s in shapes if s["code"]}
    assert len(shapes) > 170 and len(coded) > 170 and {"SY", "IQ", "EG", "SA", "US", "FR"} <= coded
