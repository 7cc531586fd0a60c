"""What the HTTP door decides, apart from the web framework: who may upload, which requests are
malformed, and what an upload holds. Pure, so it is tested without a server."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from email.message import Message

from services.ingest.archives import Limits, expand_bytes
from services.ingest.articles import articles
from services.ingest.parsing import media_type, safe_filename
from shared.errors import RejectedInput


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str | None
    data: bytes


@dataclass(frozen=True)
class Checked:
    """An upload that holds at least one article: their ids, and the members that are none."""

    upload: Upload
    ids: list[str]
    rejected: list[dict[str, str]] = field(default_factory=list)


def authorised(authorization: str | None, expected: str | None) -> bool:
    """`Bearer <token>`, the scheme in any case (RFC 9110: schemes are case-insensitive)."""
    if not expected or not authorization:
        return False
    scheme, _, token = authorization.strip().partition(" ")
    # compare_digest in every case, so that the answer takes as long for a wrong scheme
    matches = hmac.compare_digest(token.strip().encode(), expected.encode())
    return scheme.lower() == "bearer" and matches


def over_limit(uploaded: list[Upload], max_bytes: int) -> bool:
    """A file over the size limit makes the whole request 413 (an archive's members are judged
    one by one later)."""
    return any(len(upload.data) > max_bytes for upload in uploaded)


def malformed_multipart(content_type: str | None) -> str | None:
    """Why a multipart request cannot be read, or None (also for requests that are not multipart)."""
    if not media_type(content_type).startswith("multipart/"):
        return None
    header = Message()
    header["content-type"] = content_type or ""
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        return "a multipart content type needs a boundary parameter, e.g. multipart/form-data; boundary=x"
    return None


def check(upload: Upload, limits: Limits) -> Checked:
    """The articles in one uploaded file (every member of an archive); raises RejectedInput when
    there is none, with the reason of the file itself or of its first member."""
    ids: list[str] = []
    rejected: list[dict[str, str]] = []
    first_rejection: RejectedInput | None = None
    members = expand_bytes(upload.data, safe_filename(upload.filename), upload.content_type, limits)
    for member, outcome in articles(members, limits.member_bytes):
        if isinstance(outcome, RejectedInput):
            first_rejection = first_rejection or outcome
            rejected.append({"filename": member.name, "reason": outcome.reason, "error": str(outcome)})
        else:
            ids.append(outcome.id)
    if not ids:
        assert first_rejection is not None, "an upload expands to at least one member"
        if len(rejected) == 1:
            raise first_rejection
        raise RejectedInput(
            f"none of its {len(rejected)} members is an article: {rejected[0]}", first_rejection.reason
        )
    return Checked(upload, ids, rejected)


def accepted(checked: list[Checked]) -> dict[str, object]:
    """The 202 answer: `id` and `filename` of the first article and file, then every one of them."""
    return {
        "id": checked[0].ids[0],
        "filename": safe_filename(checked[0].upload.filename),
        "files": [
            {"filename": safe_filename(c.upload.filename), "ids": c.ids, "rejected": c.rejected}
            for c in checked
        ],
    }
