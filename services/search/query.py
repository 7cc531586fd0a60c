"""From SearchParams to the body of an Elasticsearch search request. Knows nothing of HTTP or Kafka.

The fixed parts (fields, boosts, highlighting, facets, sort orders) are data in request.json; this
module only decides which of them a request needs and adds the user's text and filters.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from services.search.entities import Named
from services.search.params import NumberCondition, SearchParams
from services.search.variants import expand

REQUEST_FILE = Path(__file__).with_name("request.json")
_RANGE_OPS = {">": "gt", ">=": "gte", "<": "lt", "<=": "lte"}
# simple_query_string operators; a query that uses them asked for exactly that, not for a guess
_OPERATORS = re.compile(r'["+|*~()]|(?:^|\s)-')


@functools.cache
def load_request(path: Path = REQUEST_FILE) -> dict[str, Any]:
    request: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return request


def has_operators(q: str) -> bool:
    return bool(_OPERATORS.search(q))


def _stemmed(q: str, text: dict[str, Any], expanded: bool = True) -> dict[str, Any]:
    """The words on the analysed fields, each with its other forms when `expanded` (plain words).

    Elasticsearch applies minimum_should_match to the query's outermost group, which for one word
    is the group of its forms: `3<75%` then asked for every spelling at once, and ترمب, written
    (ترمب | ترمپ), matched nothing. With `one_word_any_form`, one word needs one of its forms.
    """
    minimum = text["minimum_should_match"]
    if expanded:
        if text.get("one_word_any_form") and len(q.split()) == 1:
            minimum = "1"
        q = expand(q, text["spelling_variants"], text["max_variants"], text.get("clitics", False))
    return {
        "simple_query_string": {
            "default_operator": "or",
            "minimum_should_match": minimum,
            "query": q,
            "fields": text["fields"],
            "quote_field_suffix": text["quote_field_suffix"],
        }
    }


def entity_clauses(
    q: str, text: dict[str, Any], entities: dict[str, Any], named: Sequence[Named]
) -> list[dict[str, Any]]:
    """For each entity the query names, the articles the entity service linked to it, whatever
    spelling or alias they used, that also match the rest of the query: a boost, never a filter."""
    clauses = []
    words = q.split()
    for entity in named:
        linked = {"term": {entities["fields"][entity.type]: entity.canonical}}
        must: list[dict[str, Any]] = [{"constant_score": {"filter": linked, "boost": entities["boost"]}}]
        rest = " ".join(w for n, w in enumerate(words) if n not in entity.words)
        if rest:
            must.append(_stemmed(rest, text))
        clauses.append({"bool": {"must": must}})
    return clauses


def text_query(
    q: str, text: dict[str, Any], entities: dict[str, Any] | None = None, named: Sequence[Named] = ()
) -> dict[str, Any]:
    """Stemmed match, a bonus for the exact word, and, for plain words only, other spellings and
    clitic-free readings of each word, a fuzzy fallback and the articles linked to the entities
    the query names (`named`, looked up by services/search/entities.py; when `entities` says how).

    simple_query_string never fails on syntax: quotes make a phrase on the unstemmed `.exact`
    fields, and stray `{`, `:` or `\\` are just characters, so any input is text.
    """
    plain = not has_operators(q)
    common = {"default_operator": "or", "minimum_should_match": text["minimum_should_match"]}
    clauses: list[dict[str, Any]] = [
        _stemmed(q, text, expanded=plain),
        {"simple_query_string": {**common, "query": q, "fields": text["exact_fields"]}},
    ]
    if plain:
        fuzzy = text["fuzzy"]
        clauses.append(
            {
                "multi_match": {
                    "query": q,
                    "type": "most_fields",
                    "minimum_should_match": text["minimum_should_match"],
                    **fuzzy,
                }
            }
        )
        if entities:
            clauses.extend(entity_clauses(q, text, entities, named))
    return {"bool": {"should": clauses, "minimum_should_match": 1}}


def _number(condition: NumberCondition) -> dict[str, Any]:
    must: list[dict[str, Any]] = []
    if condition.key:
        key = condition.key
        unit_or_kind = [{"term": {"numbers.unit": key}}, {"term": {"numbers.kind": key}}]
        must.append({"bool": {"should": unit_or_kind, "minimum_should_match": 1}})
    if condition.op == "=":
        must.append({"term": {"numbers.value": condition.value}})
    elif condition.op:
        must.append({"range": {"numbers.value": {_RANGE_OPS[condition.op]: condition.value}}})
    return {"nested": {"path": "numbers", "query": {"bool": {"filter": must}}}}


def _entity(canonical: str | None, entity_type: str | None) -> dict[str, Any]:
    must = []
    if canonical:
        must.append({"term": {"entities.canonical": canonical}})
    if entity_type:
        must.append({"term": {"entities.type": entity_type}})
    return {"nested": {"path": "entities", "query": {"bool": {"filter": must}}}}


def filters(params: SearchParams) -> list[dict[str, Any]]:
    """Every filter is required; several values of one entity or unit filter are all required too
    (drilling down), while languages and dedup statuses (one per article) are alternatives."""
    clauses: list[dict[str, Any]] = []
    for field, values in (
        ("persons", params.persons),
        ("locations", params.locations),
        ("organizations", params.organizations),
        ("number_units", params.units),
        ("country_codes", params.countries),
    ):
        clauses.extend({"term": {field: value}} for value in values)
    clauses.extend(_entity(name, params.entity_type) for name in params.entities)
    if params.entity_type and not params.entities:
        clauses.append(_entity(None, params.entity_type))
    if params.languages:
        clauses.append({"terms": {"language.primary": list(params.languages)}})
    if params.dedup:
        clauses.append({"terms": {"dedup.status": list(params.dedup)}})
    clauses.extend(_number(condition) for condition in params.numbers)
    if params.date_from or params.date_to:
        window: dict[str, str] = {}
        if params.date_from:
            window["gte"] = params.date_from.isoformat()
        if params.date_to:
            window["lte"] = f"{params.date_to.isoformat()}||/d"  # the whole last day
        clauses.append({"range": {"published_at": window}})
    return clauses


def build(
    params: SearchParams, request: dict[str, Any] | None = None, named: Sequence[Named] = ()
) -> dict[str, Any]:
    """Keyword arguments for `AsyncElasticsearch.search`; `named`, the entities the query names."""
    request = request or load_request()
    scored = (
        text_query(params.q, request["text"], request.get("entities"), named)
        if params.q
        else {"match_all": {}}
    )
    body: dict[str, Any] = {
        "query": {"bool": {"must": [scored], "filter": filters(params)}},
        "from_": params.offset,
        "size": params.size,
        "sort": request["sorts"][params.sort],
        "track_total_hits": True,
        "source": request["source"],
        # without a query, no_match_size still gives each hit the opening of its body as a snippet
        "highlight": request["highlight"],
        "aggs": aggregations(request),
    }
    if params.collapse:
        # a copy matched too: its own snippet shows where
        copies = {**request["copies"], "highlight": request["highlight"]}
        body["collapse"] = {"field": "dedup.cluster_id", "inner_hits": copies}
    return body


def aggregations(request: dict[str, Any]) -> dict[str, Any]:
    """Stories in all, and articles and stories per facet value and per day of publication.

    The hits are one per story (collapsed on the same field the `stories` cardinality counts), so
    every count of stories here agrees with what paging through the hits would show.
    """
    stories = request["stories"]
    aggs: dict[str, Any] = {
        name: {"terms": {"field": facet["field"], "size": facet["size"]}, "aggs": {"stories": stories}}
        for name, facet in request["facets"].items()
    }
    aggs["stories"] = stories
    aggs["timeline"] = {"date_histogram": request["timeline"], "aggs": {"stories": stories}}
    return aggs
