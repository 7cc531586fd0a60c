"""One file in, the files of its articles out: archives and JSON containers expanded lazily.

Written once for every door: `akhbar ingest` expands on the client (a corpus is larger than one
Kafka record), the ingest service expands archives that arrive whole. Pure: no Kafka; the input is
any readable binary stream, and members are read one at a time, so memory holds one member.

Names: a member of a zip or tar is `archive.zip!folder/a.txt`; a line of JSON Lines or an element of
a JSON array is `dump.jsonl#17`, counted from 1 as editors number lines (blank lines count, so `#17`
is line 17 of the file). Limits: each member at most `member_bytes`; an archive at most `members`
members and `total_bytes` uncompressed bytes. A member over its limit is rejected on its own; an
archive over its limits is refused from there on, with the reason, and nothing more is read.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Literal, cast

from services.ingest.parsing import (
    ARCHIVE_SUFFIXES,
    MEMBER_SEPARATOR,
    NotAnArticle,
    ParsedArticle,
    declared_format,
    decode,
    media_type,
    parse_file,
    reject_deep_json,
)
from shared.reasons import Reason
from shared.settings import Settings

Kind = Literal["zip", "tar", "gzip", "jsonl", "json_array"]  # json_array: maybe; looked at whole

# zip inside tar.gz inside zip is still a corpus; deeper is a trap
MAX_DEPTH = 3
_CHUNK_BYTES = 1 << 20
_HEAD_BYTES = 512  # enough for the tar magic at offset 257
JSON_MEMBER_TYPE = "application/json"

_ZIP_TYPES = frozenset({"application/zip", "application/x-zip-compressed", "application/x-zip"})
_TAR_TYPES = frozenset({"application/x-tar", "application/x-gtar", "application/x-ustar"})
_GZIP_TYPES = frozenset({"application/gzip", "application/x-gzip"})
_JSONL_TYPES = frozenset(
    {"application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines"}
)
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Limits:
    member_bytes: int
    members: int
    total_bytes: int

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(settings.max_file_bytes, settings.max_archive_members, settings.max_archive_bytes)


@dataclass(frozen=True)
class Member:
    """One article's file, or, with `rejection` set, why this member (or the rest) is refused."""

    name: str
    data: bytes
    content_type: str | None = None
    rejection: NotAnArticle | None = None


def parse_member(member: Member, max_bytes: int) -> ParsedArticle:
    """The member's article; raises its rejection, or parse_file's."""
    if member.rejection is not None:
        raise member.rejection
    return parse_file(member.data, member.name, member.content_type, max_bytes=max_bytes)


def container_kind(name: str, content_type: str | None, head: bytes) -> Kind | None:
    """Which container a file is, by content type, then name, then its first bytes; None: one file."""
    media, lower = media_type(content_type), name.lower()
    if media in _ZIP_TYPES or lower.endswith(".zip") or head.startswith(b"PK\x03\x04"):
        return "zip"
    if media in _TAR_TYPES or lower.endswith(ARCHIVE_SUFFIXES) or head[257:262] == b"ustar":
        return "tar"
    if media in _GZIP_TYPES or lower.endswith(".gz") or head.startswith(b"\x1f\x8b"):
        return "gzip"
    if media in _JSONL_TYPES or lower.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    # a JSON array of articles; only then is the whole file decoded to look
    if declared_format(name, content_type) in ("json", None) and _starts_like_array(head):
        return "json_array"
    return None


def expand(stream: IO[bytes], name: str, content_type: str | None, limits: Limits) -> Iterator[Member]:
    """Every article file in `stream`: itself when it is no container, else its members."""
    budget = _Budget(limits)
    try:
        yield from _expand(stream, name, content_type, budget, depth=0)
    except _Refused as refused:
        yield Member(name, b"", content_type, refused.rejection)


def expand_bytes(data: bytes, name: str, content_type: str | None, limits: Limits) -> Iterator[Member]:
    return expand(io.BytesIO(data), name, content_type, limits)


class _Refused(Exception):
    """The archive as a whole went over a limit or is unreadable: nothing more is taken from it."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.rejection = NotAnArticle(reason, message)


class _MemberTooLarge(Exception):
    pass


class _Budget:
    """What one top-level file may still expand to, shared by every level of nesting."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.members = 0
        self.bytes = 0

    def count_member(self) -> None:
        self.members += 1
        if self.members > self.limits.members:
            raise _Refused(Reason.TOO_MANY_MEMBERS, f"more than {self.limits.members} members")

    def spend(self, size: int) -> None:
        self.bytes += size
        if self.bytes > self.limits.total_bytes:
            raise _Refused(Reason.TOO_LARGE, f"expands to more than {self.limits.total_bytes} bytes")

    def read(self, stream: IO[bytes], spent: bool = False) -> bytes:
        """The whole member, read in chunks; raises _MemberTooLarge past the member limit.

        `spent`: its size was counted already (a tar header declares it).
        """
        chunks, size = [], 0
        while chunk := stream.read(min(_CHUNK_BYTES, self.limits.member_bytes + 1 - size)):
            if not spent:
                self.spend(len(chunk))
            chunks.append(chunk)
            size += len(chunk)
            if size > self.limits.member_bytes:
                raise _MemberTooLarge
        return b"".join(chunks)


def _expand(
    stream: IO[bytes],
    name: str,
    content_type: str | None,
    budget: _Budget,
    depth: int,
    kind_name: str | None = None,
) -> Iterator[Member]:
    """`kind_name` is the name that tells the kind when it is not `name` (inside a .gz)."""
    head = _peek(stream)
    kind = container_kind(kind_name or name, content_type, head) if depth < MAX_DEPTH else None
    if kind == "zip":
        yield from _zip_members(stream, name, budget, depth)
    elif kind == "tar":
        yield from _tar_members(stream, name, budget, depth)
    elif kind == "gzip":
        # one compressed file: looked at again as what it holds (JSON Lines, a JSON array, a text),
        # keeping the name the user knows: ant.jsonl.gz#17
        inner = cast(IO[bytes], gzip.GzipFile(fileobj=stream))
        yield from _expand(inner, name, None, budget, depth + 1, (kind_name or name).removesuffix(".gz"))
    elif kind == "jsonl":
        yield from _json_lines(stream, name, budget)
    else:
        yield from _single(stream, name, content_type, budget, json_array=kind == "json_array")


def _peek(stream: IO[bytes]) -> bytes:
    if isinstance(stream, io.BufferedReader | gzip.GzipFile):
        return stream.peek(_HEAD_BYTES)[:_HEAD_BYTES]
    position = stream.tell()
    head = stream.read(_HEAD_BYTES)
    stream.seek(position)
    return head


def _single(
    stream: IO[bytes], name: str, content_type: str | None, budget: _Budget, json_array: bool
) -> Iterator[Member]:
    member = _read_member(stream, name, content_type, budget)
    if json_array and member.rejection is None:
        elements = _array_elements(member.data)
        if elements is not None:
            for number, element in enumerate(elements, start=1):
                budget.count_member()
                yield Member(f"{name}#{number}", _json_bytes(element), JSON_MEMBER_TYPE)
            return
    budget.count_member()
    yield member


def _read_member(
    stream: IO[bytes], name: str, content_type: str | None, budget: _Budget, spent: bool = False
) -> Member:
    try:
        return Member(name, budget.read(stream, spent), content_type)
    except _MemberTooLarge:
        limit = budget.limits.member_bytes
        return Member(name, b"", content_type, NotAnArticle(Reason.TOO_LARGE, _over(stream, limit)))


def _over(stream: IO[bytes], limit: int) -> str:
    """Why a file is too large, with its size when it is a whole file in memory or on disk (never by
    decompressing a member to its end: that is what a bomb wants)."""
    if isinstance(stream, io.BytesIO | io.BufferedReader):
        return f"{stream.seek(0, 2)} bytes is over the {limit}-byte limit"
    return f"over the {limit}-byte limit"


def _zip_members(stream: IO[bytes], name: str, budget: _Budget, depth: int) -> Iterator[Member]:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise _Refused(Reason.BAD_ARCHIVE, f"not a readable zip archive: {error}") from error
    with archive:
        entries = [info for info in archive.infolist() if not info.is_dir() and not _hidden(info.filename)]
        # the directory at the end of a zip declares every member: a bomb is refused before reading
        if len(entries) > budget.limits.members:
            limit = budget.limits.members
            raise _Refused(Reason.TOO_MANY_MEMBERS, f"{len(entries)} members, over the limit of {limit}")
        declared = sum(info.file_size for info in entries)
        if declared > budget.limits.total_bytes:
            limit = budget.limits.total_bytes
            raise _Refused(
                Reason.TOO_LARGE, f"declares {declared} bytes uncompressed, over the limit of {limit}"
            )
        for info in entries:
            member_name = f"{name}{MEMBER_SEPARATOR}{info.filename}"
            if info.flag_bits & 0x1:
                budget.count_member()
                yield Member(
                    member_name, b"", None, NotAnArticle(Reason.BAD_ARCHIVE, "the member is encrypted")
                )
                continue
            try:
                with archive.open(info) as member_stream:
                    member = _read_member(member_stream, member_name, None, budget)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
                unreadable = NotAnArticle(Reason.BAD_ARCHIVE, f"unreadable member: {error}")
                member = Member(member_name, b"", None, unreadable)
            yield from _nested(member, budget, depth)


def _tar_members(stream: IO[bytes], name: str, budget: _Budget, depth: int) -> Iterator[Member]:
    try:
        # "r|*": a stream, read forwards once, any compression
        with tarfile.open(fileobj=stream, mode="r|*") as archive:
            for info in archive:
                if not info.isfile() or _hidden(info.name):
                    continue  # folders, links and devices carry no article
                # a tar header declares the size the stream then holds (and that skipping a member
                # too large to take still inflates): counted before reading it
                budget.spend(info.size)
                member_file = archive.extractfile(info)
                if member_file is None:
                    continue
                member_name = f"{name}{MEMBER_SEPARATOR}{info.name}"
                member = _read_member(member_file, member_name, None, budget, spent=True)
                yield from _nested(member, budget, depth)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise _Refused(Reason.BAD_ARCHIVE, f"not a readable tar archive: {error}") from error


def _nested(member: Member, budget: _Budget, depth: int) -> Iterator[Member]:
    """An archive member that is a container itself is expanded; anything else is one member."""
    if member.rejection is None and depth + 1 < MAX_DEPTH:
        head = member.data[:_HEAD_BYTES]
        if container_kind(member.name.rpartition(MEMBER_SEPARATOR)[2], None, head) is not None:
            yield from _expand(io.BytesIO(member.data), member.name, None, budget, depth + 1)
            return
    budget.count_member()
    yield member


def _json_lines(stream: IO[bytes], name: str, budget: _Budget) -> Iterator[Member]:
    limit = budget.limits.member_bytes
    number = 0
    while line := stream.readline(limit + 1):
        number += 1
        budget.spend(len(line))
        if len(line) > limit and not line.endswith(b"\n"):
            _skip_rest_of_line(stream, budget)
            budget.count_member()
            too_large = NotAnArticle(Reason.TOO_LARGE, f"over the {limit}-byte limit")
            yield Member(f"{name}#{number}", b"", JSON_MEMBER_TYPE, too_large)
            continue
        if number == 1:
            line = line.removeprefix(_UTF8_BOM)
        if line.strip():
            budget.count_member()
            yield Member(f"{name}#{number}", line.strip(), JSON_MEMBER_TYPE)


def _skip_rest_of_line(stream: IO[bytes], budget: _Budget) -> None:
    while chunk := stream.readline(_CHUNK_BYTES):
        budget.spend(len(chunk))
        if chunk.endswith(b"\n"):
            return


def _array_elements(data: bytes) -> list[object] | None:
    """The articles of a JSON array of objects, or None when the data is no such array: it is then
    one file (and `["title", "body"]` one bad_json, not two)."""
    try:
        text, _ = decode(data)
        if not text.lstrip().startswith("["):
            return None
        reject_deep_json(text)
        # strict=False: cleaning the text made line separators (U+2028, CR) inside strings into
        # newlines, which strict JSON refuses; 3 of ANT's 31,523 articles have them
        document = json.loads(text, strict=False)
    except (NotAnArticle, ValueError):
        return None
    if isinstance(document, list) and document and all(isinstance(element, dict) for element in document):
        return document
    return None


def _json_bytes(element: object) -> bytes:
    return json.dumps(element, ensure_ascii=False).encode("utf-8")


def _starts_like_array(head: bytes) -> bool:
    # UTF-16 puts a zero byte beside each ASCII character; the byte-order marks are not text
    text = head.replace(b"\x00", b"")
    for mark in (_UTF8_BOM, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        text = text.removeprefix(mark)
    return text.lstrip()[:1] == b"["


def _hidden(path: str) -> bool:
    """macOS resource forks (`__MACOSX/`, `._a.txt`) and dot files are not articles."""
    parts = path.replace("\\", "/").split("/")
    return any((part.startswith(".") and part not in (".", "..")) or part == "__MACOSX" for part in parts)
