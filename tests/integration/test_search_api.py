"""GET /v1/search on the running search service, over the seeds in `articles`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.integration
HOSTILE = [
    '"}}{"query":{"match_all"',
    "<script>alert(1)</script>",
    "*:*",
    '\\"',
    "\\",
    "(((",
    "title:حلب OR 1=1",
    "' OR '1'='1",
    "{{7*7}}",
    "a" * 499 + "*",
    "\x00",
    "%00",
]


@pytest.fixture(scope="module")
def displaced(seed_ids: dict[Path, str]) -> set[str]:
    """The seeds that speak of displaced people (النازحين)."""
    return {id_ for path, id_ in seed_ids.items() if "النازحين" in path.read_text(encoding="utf-8")}


def get(url: str, **params: Any) -> httpx.Response:
    return httpx.get(f"{url}/v1/search", params=params, timeout=30)


def every_hit(url: str, **params: Any) -> list[dict[str, Any]]:
    """All pages of an answer: `articles` is shared, so other tests' copies of the seeds are in it too."""
    hits: list[dict[str, Any]] = []
    for page in range(1, 101):
        answer = get(url, page=page, size=50, **params).json()
        hits.extend(answer["hits"])
        if len(answer["hits"]) < 50:
            return hits
    return hits


def test_the_service_is_healthy_ready_and_measured(search_url: str) -> None:
    assert httpx.get(f"{search_url}/health").json()["service"] == "search"
    ready = httpx.get(f"{search_url}/ready")
    assert ready.status_code == 200, ready.text
    get(search_url, q="حلب")
    assert 'akhbar_records_in_total{service="search"}' in httpx.get(f"{search_url}/metrics").text


def test_displaced_people_are_found_and_highlighted(search_url: str, displaced: set[str]) -> None:
    assert len(displaced) >= 2
    hits = {hit["id"]: hit for hit in every_hit(search_url, q="النازحين", collapse="false")}
    assert displaced <= set(hits)
    for article_id in displaced:
        assert any("<mark>النازحين</mark>" in s for s in hits[article_id]["snippets_html"])


def test_stories_are_collapsed_by_default_with_their_copies_folded_under(search_url: str) -> None:
    for _ in range(5):  # `articles` is shared: read again if someone indexed between the reads
        stories = every_hit(search_url, q="حلب")
        answer = get(search_url, q="حلب").json()
        every_copy = get(search_url, q="حلب", collapse="false").json()
        if sum(1 + story["copies_total"] for story in stories) == every_copy["total"]["articles"]:
            break
    assert len({h["cluster_id"] for h in stories}) == len(stories) == answer["total"]["stories"]
    # counted, not paged: a story's copies can outnumber what paging reaches
    assert sum(1 + story["copies_total"] for story in stories) == every_copy["total"]["articles"]
    assert answer["total"]["articles"] == every_copy["total"]["articles"]
    for story in stories:
        assert all(copy["cluster_id"] == story["cluster_id"] for copy in story["copies"])
        assert min(story["copies_total"], 9) <= len(story["copies"]) <= 10
    assert answer["total"]["stories"] >= 1 and answer["total"]["articles"] >= answer["total"]["stories"]


def test_filters_and_facets_agree(search_url: str) -> None:
    answer = get(search_url, q="حلب", collapse="false").json()
    person = answer["facets"]["person"][0]
    filtered = get(search_url, q="حلب", collapse="false", person=person["value"]).json()
    assert filtered["total"]["articles"] == person["count"]
    assert all(person["value"] in hit["persons"] for hit in filtered["hits"])
    language = get(search_url, q="حلب", lang="xx").json()
    assert language["total"]["articles"] == 0


def test_facets_and_the_timeline_count_the_stories_the_hits_are(search_url: str) -> None:
    answer = get(search_url, q="حلب").json()
    for name in ("location", "country"):
        bucket = answer["facets"][name][0]
        stories = every_hit(search_url, q="حلب", **{name: bucket["value"]})
        assert bucket["stories"] == len(stories) <= bucket["count"]
    days = [day for day in answer["timeline"] if "date" in day and day["stories"]]
    assert days, "the seeds carry dates"
    one = get(search_url, q="حلب", **{"from": days[0]["date"], "to": days[0]["date"]}).json()
    assert one["total"]["stories"] == days[0]["stories"] and one["total"]["articles"] == days[0]["articles"]


def test_number_and_date_filters(search_url: str) -> None:
    many = get(search_url, number="شخص>=1000", collapse="false").json()
    none = get(search_url, number="شخص>=100000000", collapse="false").json()
    assert many["total"]["articles"] > 0 and none["total"]["articles"] == 0
    future = get(search_url, q="حلب", **{"from": "2100-01-01"}).json()
    assert future["total"]["articles"] == 0


@pytest.mark.parametrize(
    "params",
    [{"size": "0"}, {"page": "x"}, {"dedup": "copy"}, {"from": "yesterday"}, {"type": "CITY"}],
)
def test_bad_parameters_are_400_with_a_reason(search_url: str, params: dict[str, str]) -> None:
    response = get(search_url, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == next(iter(params)) and body["reason"]


@pytest.mark.parametrize("q", HOSTILE)
def test_injection_like_queries_are_text(search_url: str, q: str) -> None:
    response = get(search_url, q=q)
    assert response.status_code in (200, 400), response.text
    if response.status_code == 200:
        # never the whole index: a match_all smuggled in would return every article
        everything = get(search_url, collapse="false").json()["total"]["articles"]
        assert response.json()["total"]["articles"] < everything


def test_the_api_is_read_only(search_url: str) -> None:
    for method in ("POST", "PUT", "DELETE"):
        assert httpx.request(method, f"{search_url}/v1/search", timeout=10).status_code in (404, 405)


def test_articles_serve_their_text_and_refuse_bad_ids(search_url: str, displaced: set[str]) -> None:
    article_id = min(displaced)
    text = httpx.get(f"{search_url}/v1/articles/{article_id}")
    assert text.status_code == 200 and "النازحين" in text.text
    assert text.headers["content-type"].startswith("text/plain")
    assert httpx.get(f"{search_url}/v1/articles/..%2F_search").status_code in (400, 404)
    assert httpx.get(f"{search_url}/v1/articles/ffffffffffffffff").status_code == 404
