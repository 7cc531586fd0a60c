"""Ingest service: every door ends in `ingest.files`; this turns each file into an article.

Doors: the `ingest.files` topic itself (value = file bytes, headers `filename`, `content-type`),
the watched drop folder, `POST /v1/files`, and `akhbar ingest` (which writes to the topic).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from faust.web import Request, Response, View

from services.ingest import uploads
from services.ingest.archives import Limits, expand_bytes
from services.ingest.articles import articles
from services.ingest.dropfolder import DropFolder
from services.ingest.parsing import safe_filename
from services.ingest.records import member_record
from services.ingest.uploads import Checked, Upload
from shared import observability, topics
from shared.bootstrap import build
from shared.errors import RejectedInput
from shared.reasons import Reason
from shared.records import header, message_context
from shared.stage import Outgoing

SERVICE = "ingest"
# room for a multipart form's boundaries and part headers around a file at the size limit
MULTIPART_OVERHEAD_BYTES = 65_536
log = logging.getLogger(__name__)

service = build(SERVICE)
app, stage, settings, metrics = service.app, service.stage, service.settings, service.metrics
max_body_bytes = settings.max_file_bytes + MULTIPART_OVERHEAD_BYTES
limits = Limits.of(settings)
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


def handle_file(event: Any) -> list[Outgoing]:
    """One file record: an article, or as many as an archive holds, and a dead letter for each
    file or member that is none."""
    message = event.message
    filename = safe_filename(header(message, "filename") or f"{message.topic}-{message.offset}")
    members = expand_bytes(event.value or b"", filename, header(message, "content-type"), limits)
    outgoing = []
    metrics.record_in()
    with metrics.timed():
        for member, outcome in articles(members, settings.max_file_bytes, message.timestamp):
            context = {"stage": SERVICE, "file": member.name, **message_context(message)}
            if isinstance(outcome, RejectedInput):
                source = member_record(message, member)
                outgoing.append(stage.letter(source, outcome.reason, str(outcome), filename=member.name))
                continue
            metrics.record_out()
            log.info("ingested", extra={"article_id": outcome.id, **context})
            assert stage.output is not None
            article = outcome.stamped(SERVICE, "1")
            outgoing.append(Outgoing(stage.output, article.id, article, source=message))
    return outgoing


@app.agent(files)
async def ingest_files(stream: Any) -> None:
    async for events in stage.batches(stream):
        per_file = await stage.work(
            events, handle_file, lambda event, seconds: [stage.timed_out(event, seconds)]
        )
        await stage.deliver([outgoing for file_outgoing in per_file for outgoing in file_outgoing])


async def publish_file(filename: str, data: bytes, content_type: str | None = None) -> list[str]:
    """Check a file (every member of an archive) and publish it whole to `ingest.files`; returns
    its article ids once Kafka has it. Raises RejectedInput when it holds no article."""
    (checked,) = await publish([Upload(filename, content_type, data)])
    return checked.ids


async def publish(uploaded: list[Upload]) -> list[Checked]:
    """Check every file first, so that one bad file of a request publishes none of them."""
    # parsing a file near the size limit takes seconds: off the event loop, which serves the door
    checked = [await asyncio.to_thread(uploads.check, upload, limits) for upload in uploaded]
    await stage.deliver(
        [
            Outgoing(files, c.ids[0], c.upload.data, file_headers(c.upload.filename, c.upload.content_type))
            for c in checked
        ]
    )
    return checked


@app.task
async def watch_drop_folder() -> None:
    await DropFolder(settings.drop_dir, publish_file, settings.max_file_bytes).run()


def _authorised(request: Any) -> bool:
    return uploads.authorised(request.headers.get("Authorization"), settings.ingest_token)


@app.page("/v1/files")
class Files(View):
    async def post(self, request: Request) -> Response:
        if not settings.ingest_token:
            return self.json({"error": "the HTTP door is off: set AKHBAR_INGEST_TOKEN"}, status=503)
        if not _authorised(request):
            return self.json({"error": "missing or wrong bearer token"}, status=401)
        if int(request.headers.get("Content-Length") or 0) > max_body_bytes:
            return self._too_large()
        problem = uploads.malformed_multipart(request.headers.get("Content-Type"))
        if problem:
            return self.json({"error": problem, "reason": "bad_request"}, status=400)
        try:
            uploaded = await _read_upload(request)
            # a chunked body declares no length, so an oversized one is only found once read
            if uploads.over_limit(uploaded, settings.max_file_bytes):
                return self._too_large()
            checked = await publish(uploaded)
        except RejectedInput as exc:
            return self.json({"error": str(exc), "reason": exc.reason}, status=422)
        return self.json(uploads.accepted(checked), status=202)

    def _too_large(self) -> Response:
        limit = settings.max_file_bytes
        return self.json({"error": "file too large", "reason": Reason.TOO_LARGE, "limit": limit}, status=413)


async def _read_upload(request: Any) -> list[Upload]:
    """Every file of a multipart form (a form may carry several, as `<input multiple>` sends them),
    or the raw body named by `?filename=`."""
    if request.content_type.startswith("multipart/"):
        found = []
        reader = await request.multipart()
        async for part in reader:
            if part.filename is not None:
                data = await part.read(decode=False)
                found.append(Upload(part.filename, part.headers.get("Content-Type"), bytes(data)))
        if not found:
            raise RejectedInput("the multipart form has no file part", Reason.NO_FILE)
        return found
    filename = request.query.get("filename") or "upload.txt"
    return [Upload(filename, request.content_type or None, await request.read())]


def main() -> None:
    service.run()
