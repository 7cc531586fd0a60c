"""`akhbar search`: the search API's answer, printed for a terminal.

It runs the same search as GET /v1/search (services/search/engine.py), straight against Elasticsearch,
so it works whether or not the search service is running.
"""

from __future__ import annotations

import html
import re
from typing import Any

import click

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def _terminal(fragment_html: str, color: bool) -> str:
    """Highlighted HTML as terminal text: marks become bold yellow (or [brackets] without colour)."""

    def mark(match: re.Match[str]) -> str:
        word = match.group(1)
        return click.style(word, fg="yellow", bold=True) if color else f"[{word}]"

    return html.unescape(_MARK.sub(mark, fragment_html)).replace("\n", " ")


def format_answer(answer: dict[str, Any], color: bool = False) -> list[str]:
    total = answer["total"]
    first = (answer["page"] - 1) * answer["size"]
    lines = [f"{total['stories']} stories, {total['articles']} articles (facets: articles/stories)"]
    for rank, hit in enumerate(answer["hits"], start=first + 1):
        when = (hit.get("published_at") or "")[:10] or "undated"
        lines.append("")
        lines.append(f"{rank}. {_terminal(hit['title_html'], color)}")
        lines.append(f"   {when}  {hit['source_file']}  {hit['dedup_status'] or '-'}  id={hit['id']}")
        lines.extend(f"   … {_terminal(snippet, color)} …" for snippet in hit["snippets_html"])
        for copy in hit["copies"]:
            lines.append(f"   ↳ copy ({copy['dedup_status']}): {copy['source_file']}  id={copy['id']}")
    facets = [
        f"{name}: " + ", ".join(f"{b['value']} ({b['count']}/{b['stories']})" for b in buckets)
        for name, buckets in answer["facets"].items()
        if buckets
    ]
    if facets:
        lines.extend(["", *facets])
    return lines
