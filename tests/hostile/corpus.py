"""Hostile and broken input files, and what each must become: an article or a dead letter's reason.

`write(folder, tag)` writes the corpus into a folder at test time. The tag goes into every file name
and every article text, so that one run's articles and dead letters cannot be mistaken for another's.
"""

from __future__ import annotations

import json
import mimetypes
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shared.reasons import Reason

HUGE_BYTES = 50_000_000
SINGLE_LINE_BYTES = 2_000_000
JSON_DEPTH = 100_000

TITLE = "جيش الأسد ينكسر في تدمر وينتصر على حلب"
PARAGRAPHS = (
    "يواصل الجيش السوري تقدمه في شرق حلب، بالتزامن مع فرار آلاف المدنيين.",
    "وسيطر على حي المعادي بعد اشتباكات عنيفة يوم الأحد.",
)
# Zero-width space, non-joiner and joiner, LRM, RLM, ALM, and bidi embeddings, overrides and isolates.
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
SCRIPT_TEXT = "document.cookie"
# Words no later stage finds a name or a number in, so the long line costs the pipeline little.
FILLER = "هذا نص طويل جدا بلا فواصل أسطر "


@dataclass(frozen=True)
class Case:
    """One corpus file: `kind` names the case, `name` is what a door is told, `path` holds the bytes."""

    kind: str
    name: str
    path: Path
    reason: Reason | None = None  # the dead letter's reason; None when it must become an article
    title: str | None = None
    body: str | None = None

    @property
    def content_type(self) -> str:
        return mimetypes.guess_type(self.name)[0] or "application/octet-stream"


def article(token: str) -> tuple[str, str]:
    """A title and body carrying `token`, so that each case of each run is an article of its own."""
    return f"{TITLE} {token}", "\n".join([*PARAGRAPHS, token])


def png() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def write_prose(path: Path, size: int) -> None:
    """Arabic text of exactly `size` bytes, written a block at a time to keep the test's memory small."""
    block = (" ".join(PARAGRAPHS) + "\n").encode() * 1000
    with path.open("wb") as out:
        for _ in range(size // len(block)):
            out.write(block)
        out.write(b"." * (size % len(block)))


def _with_invisibles(text: str) -> str:
    """`text` with an invisible character after every word, cycling through INVISIBLE."""
    words = text.split(" ")
    return " ".join(word + INVISIBLE[i % len(INVISIBLE)] for i, word in enumerate(words))


def _html(title: str, body: str) -> str:
    paragraphs = "".join(f'<p onclick="{SCRIPT_TEXT}">{p}</p>' for p in body.split("\n"))
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>"
        f"<script>var stolen = {SCRIPT_TEXT};</script><style>p {{ color: red }}</style></head>"
        f"<body><script>alert('{TITLE}')</script>{paragraphs}"
        f"<noscript>{TITLE}</noscript><iframe src='javascript:{SCRIPT_TEXT}'></iframe></body></html>"
    )


def _article(name: str, tag: str, encode: Callable[[str], bytes]) -> tuple[str, bytes, None, str, str]:
    """A corpus entry that must come out as the article it encodes: title, blank line, body."""
    title, body = article(f"{tag} {name.rpartition('/')[2]}")
    return name, encode(f"{title}\n\n{body}\n"), None, title, body


def write(folder: Path, tag: str, huge_bytes: int = HUGE_BYTES) -> list[Case]:
    """Write every case into `folder`; file names on disk are plain, the names told to doors are not."""
    folder.mkdir(parents=True, exist_ok=True)
    single_line = tag + " " + FILLER * (SINGLE_LINE_BYTES // len(FILLER.encode()))
    nested = "[" * JSON_DEPTH + "]" * JSON_DEPTH
    title, body = article(tag)
    files: list[tuple[str, bytes, Reason | None, str | None, str | None]] = [
        ("empty.txt", b"", "empty", None, None),
        ("whitespace.txt", " \n\t\r\n\u00a0\u3000\n ".encode(), "empty", None, None),
        ("image.png", png(), "binary", None, None),
        (
            "invalid-utf8.txt",
            f"{title}\n{body}".encode().replace(b" ", b" \xff\xfe", 3),
            "undecodable",
            None,
            None,
        ),
        _article("cp1256.txt", tag, lambda text: text.encode("cp1256")),
        _article("utf16le-no-bom.txt", tag, lambda text: text.encode("utf-16-le")),
        _article("utf16be-no-bom.txt", tag, lambda text: text.encode("utf-16-be")),
        _article(
            "nul-bytes.txt", tag, lambda text: text.encode().replace(b" ", b" \x00\x00") + b"\x00" * 4096
        ),
        _article("invisible.txt", tag, lambda text: _with_invisibles(text).encode()),
        ("single-line.txt", single_line.encode(), None, None, single_line.strip()),
        _article("scripts.html", tag, lambda text: _html(*text.split("\n\n", 1)).encode()),
        ("missing-content.json", json.dumps({"title": title}).encode(), "bad_json", None, None),
        ("wrong-type.json", json.dumps({"title": title, "content": 42}).encode(), "bad_json", None, None),
        ("not-an-object.json", json.dumps([title, body]).encode(), "bad_json", None, None),
        (
            "deep.json",
            json.dumps({"content": body, "extra": "@"}).replace('"@"', nested).encode(),
            "bad_json",
            None,
            None,
        ),
        # the name is hostile, the content is fine: an article whose source_file is the bare name
        _article("../../x", tag, str.encode),
    ]
    cases = []
    for name, data, reason, expected_title, expected_body in files:
        head, _, kind = name.rpartition("/")
        path = folder / f"{tag}-{kind}"
        path.write_bytes(data)
        told = f"{head}/{path.name}" if head else path.name
        cases.append(Case(kind, told, path, reason, expected_title, expected_body))
    huge = folder / f"{tag}-huge.txt"
    write_prose(huge, huge_bytes)
    cases.append(Case("huge.txt", huge.name, huge, "too_large"))
    return cases
