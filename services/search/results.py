"""From an Elasticsearch search response to the API's answer: stories, their copies, facet counts.

Every `*_html` value is safe to insert as HTML: Elasticsearch escapes highlighted text (encoder html)
and only adds <mark>; unhighlighted titles are escaped here.

Articles indexed before ingest decoded character references still hold `&quot;` and the like in their
text; titles and snippets are decoded here, at display time, so they read as written.
"""

from __future__ import annotations

import html
import re
from typing import Any

from services.search import timeline
from services.search.params import SearchParams

_MARK_TAGS = re.compile(r"(</?mark>)")


def decoded_markup(fragment: str) -> str:
    """A highlighted fragment with the references of the stored text decoded, still escaped.

    Between the <mark> tags, text is Elasticsearch's escape of the stored text: unescaped once it is
    that text, unescaped again its references are decoded, and escaped once more it is safe again.
    """
    return "".join(
        piece if _MARK_TAGS.fullmatch(piece) else html.escape(html.unescape(html.unescape(piece)))
        for piece in _MARK_TAGS.split(fragment)
    )


def _article(hit: dict[str, Any]) -> dict[str, Any]:
    source = hit.get("_source", {})
    highlight = hit.get("highlight", {})
    dedup = source.get("dedup") or {}
    title = html.unescape(source.get("title", ""))
    marked_title = highlight.get("title")
    return {
        "id": hit["_id"],
        "title": title,
        "title_html": decoded_markup(marked_title[0]) if marked_title else html.escape(title),
        "snippets_html": [decoded_markup(snippet) for snippet in highlight.get("body", [])],
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


def _bucket(bucket: dict[str, Any]) -> dict[str, Any]:
    return {"value": bucket["key"], "count": bucket["doc_count"], "stories": bucket["stories"]["value"]}


def _day(bucket: dict[str, Any]) -> dict[str, Any]:
    return {
        "date": bucket["key_as_string"][:10],
        "articles": bucket["doc_count"],
        "stories": bucket["stories"]["value"],
    }


def shape(response: dict[str, Any], params: SearchParams, facet_names: list[str]) -> dict[str, Any]:
    hits = response["hits"]
    aggregations = response["aggregations"]
    return {
        "total": {"articles": hits["total"]["value"], "stories": aggregations["stories"]["value"]},
        "page": params.page,
        "size": params.size,
        "collapsed": params.collapse,
        "sort": params.sort,
        "hits": [_story(hit) for hit in hits["hits"]],
        # `count` is articles, as before; `stories` the distinct stories among them
        "facets": {name: [_bucket(b) for b in aggregations[name]["buckets"]] for name in facet_names},
        "timeline": timeline.days([_day(b) for b in aggregations["timeline"]["buckets"]]),
    }
