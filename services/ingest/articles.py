"""From a parsed file to the article record the pipeline carries."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

from services.ingest.archives import Member, parse_member
from services.ingest.parsing import NotAnArticle, ParsedArticle, article_id, safe_filename
from shared.schema import Article


def to_article(parsed: ParsedArticle, filename: str, received_at: float | None = None) -> Article:
    return Article(
        id=article_id(parsed.body),
        title=parsed.title,
        body=parsed.body,
        source_file=safe_filename(filename),
        content_format=parsed.content_format,
        encoding=parsed.encoding,
        ingested_at=received_at if received_at is not None else time.time(),
        url=parsed.url,
        source=parsed.source,
        published_at=parsed.published_at,
        published_at_raw=parsed.published_at_raw,
    )


def articles(
    members: Iterable[Member], max_bytes: int, received_at: float | None = None
) -> Iterator[tuple[Member, Article | NotAnArticle]]:
    """Each member with its article, or with the reason it is none."""
    for member in members:
        try:
            yield member, to_article(parse_member(member, max_bytes), member.name, received_at)
        except NotAnArticle as rejected:
            yield member, rejected
