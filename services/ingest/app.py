"""Ingest service: every door ends in `ingest.files`; this turns each file into an article.

Doors: the `ingest.files` topic itself (value = file bytes, headers `filename`, `content-type`),
the watched drop folder, `POST /v1/files`, and `akhbar ingest` (which writes to the topic).
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from faust.web import Request, Response, View

from services.ingest.articles import to_article
from services.ingest.dropfolder import DropFolder
from services.ingest.parsing import parse_file, safe_filename
from shared import observability, topics
from shared.bootstrap import build
from shared.errors import RejectedInput
from shared.stage import Outgoing, dead_letter, each, header, message_context

SERVICE = "ingest"
# room for a multipart form's boundaries and part headers around a file at the size limit
MULTIPART_OVERHEAD_BYTES = 65_536
log = logging.getLogger(__name__)

service = build(SERVICE)
app, stage, settings, metrics = service.app, service.stage, service.settings, service.metrics
max_body_bytes = settings.max_file_bytes + MULTIPART_OVERHEAD_BYTES
app.conf.web_application_options = {"client_max_size": max_body_bytes}
files = app.topic(
    topics.INGEST_FILES,
    key_type=bytes,
    value_type=bytes,
    key_serializer="raw",
    value_serializer="raw",
    partitions=None,
)
observability.install(app, metrics)


def file_headers(filename: str, content_type: str | None) -> dict[str, bytes]:
    headers = {"filename": safe_filename(filename).encode("utf-8")}
    if content_type:
        headers["content-type"] = content_type.encode("utf-8")
    return headers


def handle_file(event: Any) -> Outgoing:
    message = event.message
    filename = safe_filename(header(message, "filename") or f"{message.topic}-{message.offset}")
    context = {"stage": SERVICE, "file": filename, **message_context(message)}
    metrics.record_in()
    try:
        with metrics.timed():
            parsed = parse_file(
                event.value or b"",
                filename,
                header(message, "content-type"),
                max_bytes=settings.max_file_bytes,
            )
            article = to_article(parsed, filename, message.timestamp).stamped(SERVICE, "1")
    except RejectedInput as exc:
        metrics.dead_letter(exc.reason)
        log.warning("dead-lettered reason=%s error=%s", exc.reason, exc, extra=context)
        letter = dead_letter(SERVICE, message, exc.reason, str(exc), filename)
        return Outgoing(stage.dlq, filename, letter)
    metrics.record_out()
    log.info("ingested", extra={"article_id": article.id, **context})
    assert stage.output is not None
    return Outgoing(stage.output, article.id, article, source=message)


@app.agent(files)
async def ingest_files(stream: Any) -> None:
    async for events in stage.batches(stream):
        await stage.deliver(await each(events, handle_file))


async def publish_file(filename: str, data: bytes, content_type: str | None = None) -> str:
    """Validate a file and publish it to `ingest.files`; returns its article id once Kafka has it."""
    parsed = parse_file(data, filename, content_type, max_bytes=settings.max_file_bytes)
    article_id = to_article(parsed, filename).id
    await stage.deliver([Outgoing(files, article_id, data, file_headers(filename, content_type))])
    return article_id


@app.task
async def watch_drop_folder() -> None:
    await DropFolder(settings.drop_dir, publish_file, settings.max_file_bytes).run()


def _authorised(request: Any) -> bool:
    expected = settings.ingest_token
    given = request.headers.get("Authorization", "")
    return bool(expected) and hmac.compare_digest(given, f"Bearer {expected}")


@app.page("/v1/files")
class Files(View):
    async def post(self, request: Request) -> Response:
        if not settings.ingest_token:
            return self.json({"error": "the HTTP door is off: set AKHBAR_INGEST_TOKEN"}, status=503)
        if not _authorised(request):
            return self.json({"error": "missing or wrong bearer token"}, status=401)
        if int(request.headers.get("Content-Length") or 0) > max_body_bytes:
            return self._too_large()
        try:
            filename, content_type, data = await _read_upload(request)
            article_id = await publish_file(filename, data, content_type)
        except RejectedInput as exc:
            # a chunked body declares no length, so an oversized one is only found once read
            if exc.reason == "too_large":
                return self._too_large()
            return self.json({"error": str(exc), "reason": exc.reason}, status=422)
        return self.json({"id": article_id, "filename": safe_filename(filename)}, status=202)

    def _too_large(self) -> Response:
        limit = settings.max_file_bytes
        return self.json({"error": "file too large", "reason": "too_large", "limit": limit}, status=413)


async def _read_upload(request: Any) -> tuple[str, str | None, bytes]:
    """The first file of a multipart form, or the raw body named by `?filename=`."""
    if request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        async for part in reader:
            if part.filename is not None:
                data = await part.read(decode=False)
                return part.filename, part.headers.get("Content-Type"), bytes(data)
        raise RejectedInput("the multipart form has no file part", "no_file")
    filename = request.query.get("filename") or "upload.txt"
    return filename, request.content_type or None, await request.read()


def main() -> None:
    service.run()
