"""From an Elasticsearch search response to the API's answer: stories, their copies, facet counts.

Every `*_html` value is safe to insert as HTML: Elasticsearch escapes highlighted text (encoder html)
and only adds <mark>; unhighlighted titles are escaped here.
"""

from __future__ import annotations

import html
from typing import Any

from services.search.params import SearchParams


def _article(hit: dict[str, Any]) -> dict[str, Any]:
    source = hit.get("_source", {})
    highlight = hit.get("highlight", {})
    dedup = source.get("dedup") or {}
    title = source.get("title", "")
    return {
        "id": hit["_id"],
        "title": title,
        "title_html": (highlight.get("title") or [html.escape(title)])[0],
        "snippets_html": highlight.get("body", []),
        "source_file": source.get("source_file"),
        "source": source.get("source"),
        "url": source.get("url"),
        "published_at": source.get("published_at"),
        "dedup_status": dedup.get("status"),
        "cluster_id": dedup.get("cluster_id"),
    }


def _story(hit: dict[str, Any]) -> dict[str, Any]:
    source = hit.get("_source", {})
    story = _article(hit)
    copies = hit.get("inner_hits", {}).get("copies", {}).get("hits", {})
    story.update(
        score=hit.get("_score"),
        language=(source.get("language") or {}).get("primary"),
        persons=source.get("persons", []),
        locations=source.get("locations", []),
        organizations=source.get("organizations", []),
        # the inner hits hold the story's own hit too; only the others are its copies
        copies=[_article(copy) for copy in copies.get("hits", []) if copy["_id"] != hit["_id"]],
        copies_total=max(0, copies.get("total", {}).get("value", 1) - 1),
    )
    return story


def shape(response: dict[str, Any], params: SearchParams, facet_names: list[str]) -> dict[str, Any]:
    hits = response["hits"]
    articles = hits["total"]["value"]
    aggregations = response.get("aggregations", {})
    stories = aggregations["stories"]["value"] if params.collapse else articles
    return {
        "total": {"articles": articles, "stories": stories},
        "page": params.page,
        "size": params.size,
        "collapsed": params.collapse,
        "hits": [_story(hit) for hit in hits["hits"]],
        "facets": {
            name: [{"value": b["key"], "count": b["doc_count"]} for b in aggregations[name]["buckets"]]
            for name in facet_names
        },
    }
