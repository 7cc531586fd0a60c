"""The three searches the relevance judgments compare, as Elasticsearch requests.

- `current`: the search service as it was before this work: the same request data with no clitic
  readings, no entity matching, and a one-word query's spellings all required (the old behaviour;
  services/search/request.json otherwise);
- `improved`: the search service as it is, the default (request.json as shipped);
- `plain`: BM25 over title and body split into words and lowercased, nothing else (the relevance
  index's `.plain` subfields: no Arabic normalisation, no stemming, no boosts).

All three have the same filters and show one hit per story (collapsed on `dedup.cluster_id`), as
the service does, so they differ only in how the words are matched and scored.
"""

from __future__ import annotations

import copy
from typing import Any

from elasticsearch import AsyncElasticsearch

from services.search import engine, query
from services.search.params import SearchParams

SYSTEMS = ("current", "improved", "plain")
PLAIN_FIELDS = ["title.plain", "body.plain"]


def request_of(system: str) -> dict[str, Any]:
    request = copy.deepcopy(query.load_request())
    if system != "improved":
        for improvement in ("clitics", "one_word_any_form"):
            request["text"][improvement] = False
        request.pop("entities", None)
    return request


def plain_query(q: str, minimum_should_match: str) -> dict[str, Any]:
    return {
        "simple_query_string": {
            "query": q,
            "fields": PLAIN_FIELDS,
            "default_operator": "or",
            "minimum_should_match": minimum_should_match,
        }
    }


async def ranked(es: AsyncElasticsearch, index: str, system: str, params: SearchParams) -> list[str]:
    """The ids of the story hits the system ranks first (params.size of them), best first."""
    request = request_of(system)
    named = await engine.named(es, index, params.q, request)
    body = query.build(params, request, named)
    if system == "plain" and params.q:
        body["query"]["bool"]["must"] = [plain_query(params.q, request["text"]["minimum_should_match"])]
    # only the ranking: no facets, snippets or copies, which cost time and change nothing in it
    for part in ("aggs", "highlight"):
        body.pop(part)
    if "collapse" in body:
        body["collapse"] = {"field": body["collapse"]["field"]}
    body.update(track_total_hits=False, source=False)
    response = await es.search(index=index, **body)
    return [hit["_id"] for hit in response["hits"]["hits"]]
