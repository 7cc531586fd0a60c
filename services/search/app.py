"""Search service: GET /v1/search, GET /v1/articles/{id}, the search page and an article page, over the
`articles` alias.

Read-only: it only ever searches and gets documents. It consumes no topic (a Faust app with no agents),
so it is ready as soon as Elasticsearch answers and the alias exists.
"""

from __future__ import annotations

import logging
import mimetypes
import re
from pathlib import Path
from urllib.parse import parse_qs

from elastic_transport import TransportError
from elasticsearch import ApiError, BadRequestError
from faust.web import Request, Response, View

from services.search import engine, world
from services.search.params import BadParameter, parse
from shared import index, observability
from shared.bootstrap import build

SERVICE = "search"
STATIC = Path(__file__).with_name("static")
# article ids are hex digests; anything else cannot name an article, so it never reaches Elasticsearch
ARTICLE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_FIELDS = 200
# the page loads only its own script and style, and never inline code: highlighted text cannot run
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
log = logging.getLogger(__name__)

service = build(SERVICE)
app, settings, metrics = service.app, service.settings, service.metrics
es = index.client(settings, request_timeout=10)
# the page's files, read once: a name not in this map is a 404, so no path ever reaches the disk
static_files = {
    path.name: (path.read_bytes(), f"{mimetypes.guess_type(path.name)[0]}; charset=utf-8")
    for path in STATIC.iterdir()
    if path.is_file()
}


async def index_ready() -> str | None:
    try:
        if not await es.indices.exists_alias(name=settings.index_alias):
            return f"alias '{settings.index_alias}' does not exist yet"
    except (ApiError, TransportError) as exc:
        return f"Elasticsearch at {settings.elasticsearch_url} does not answer: {exc}"
    return None


observability.install(app, metrics, [index_ready])


def _query(request: Request) -> dict[str, list[str]]:
    try:
        return parse_qs(request.query_string, max_num_fields=MAX_FIELDS)
    except ValueError:
        raise BadParameter("query", f"more than {MAX_FIELDS} parameters") from None


def _refused(view: View, parameter: str, reason: str, error: str = "bad parameter") -> Response:
    return view.json({"error": error, "parameter": parameter, "reason": reason}, status=400)


def _unavailable(view: View, what: str, exc: Exception) -> Response:
    """Elasticsearch did not answer: a 503 that names the cause, and the cause in the log."""
    log.warning("%s failed: %s", what, exc)
    return view.json({"error": "search is unavailable", "reason": type(exc).__name__}, status=503)


@app.page("/v1/search")
class Search(View):
    async def get(self, request: Request) -> Response:
        metrics.record_in()
        try:
            params = parse(_query(request))
        except BadParameter as exc:
            return _refused(self, exc.name, exc.reason)
        try:
            with metrics.timed():
                answer = await engine.search(es, settings.index_alias, params)
        except BadRequestError as exc:
            # e.g. a wildcard that expands to too many terms: the query's fault, not the server's
            metrics.dead_letter("bad_query")
            return _refused(self, "q", str(exc.message), error="bad query")
        except (ApiError, TransportError) as exc:
            metrics.dead_letter("elasticsearch")
            return _unavailable(self, "search", exc)
        return self.json(answer)


@app.page("/v1/articles/{article_id}")
class ArticleView(View):
    async def get(self, request: Request, article_id: str) -> Response:
        if not ARTICLE_ID.match(article_id):
            return _refused(self, "id", "not an article id")
        try:
            document = await engine.article(es, settings.index_alias, article_id)
        except (ApiError, TransportError) as exc:
            return _unavailable(self, "get", exc)
        if document is None:
            return self.json({"error": "no such article", "id": article_id}, status=404)
        if request.query.get("format") == "json":
            return self.json(document)
        text = f"{document.get('title', '')}\n\n{document.get('body', '')}\n"
        return self.text(text, content_type="text/plain", headers=dict(HEADERS))


@app.page("/v1/articles/{article_id}/page")
class ArticlePage(View):
    """The article with its mentions, copies and related articles, as the article page draws it."""

    async def get(self, request: Request, article_id: str) -> Response:
        if not ARTICLE_ID.match(article_id):
            return _refused(self, "id", "not an article id")
        try:
            answer = await engine.page(es, settings.index_alias, article_id)
        except (ApiError, TransportError) as exc:
            return _unavailable(self, "article page", exc)
        if answer is None:
            return self.json({"error": "no such article", "id": article_id}, status=404)
        return self.json(answer)


@app.page("/v1/map")
class WorldMap(View):
    """Country shapes for the page's map; the same for every request, so browsers may keep them."""

    async def get(self, request: Request) -> Response:
        try:
            shapes = world.world_map()
        except world.AtlasMissing as exc:
            log.warning("%s", exc)
            return self.json({"error": "the map is not installed", "reason": str(exc)}, status=503)
        return self.json(shapes, headers={"Cache-Control": "max-age=86400"})


def _static(name: str) -> Response | None:
    found = static_files.get(name)
    if found is None:
        return None
    data, content_type = found
    return app.web.bytes(data, headers={**HEADERS, "Content-Type": content_type})


@app.page("/")
class Page(View):
    async def get(self, request: Request) -> Response:
        return _static("index.html") or self.json({"error": "the page is missing"}, status=404)


@app.page("/article/{article_id}")
class ArticleHtml(View):
    async def get(self, request: Request, article_id: str) -> Response:
        # the page reads the id from its own address and asks /v1/articles/{id}/page
        return _static("article.html") or self.json({"error": "the page is missing"}, status=404)


@app.page("/static/{name}")
class Static(View):
    async def get(self, request: Request, name: str) -> Response:
        return _static(name) or self.json({"error": "not found"}, status=404)


def main() -> None:
    service.run()
