"""Turn the bytes of one dropped file into a `ParsedArticle` or a `RejectedInput`.

Pure: no Kafka, no filesystem. The file name and content type are metadata that only steer
format detection; the file name is never used as a path.
"""

import codecs
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import charset_normalizer
from selectolax.lexbor import LexborHTMLParser, LexborNode

from shared import errors
from shared.arabic import clean_text, digits_to_ascii, normalize_for_matching

RejectReason = Literal["empty", "binary", "too_large", "undecodable", "no_text", "bad_json"]
ContentFormat = Literal["text", "html", "json"]

DEFAULT_MAX_BYTES = 20_000_000
MAX_TITLE_CHARS = 200
MAX_JSON_DEPTH = 32
MAX_FILENAME_BYTES = 200
_MAX_EXTENSION_CHARS = 10

# Decoding mistakes are systematic, so a prefix is enough to judge an encoding guess.
_SAMPLE_SIZE = 65_536
_MAX_CONTROL_SHARE = 0.05
_MAX_JUNK_SHARE = 0.05
_MIN_WORDY_SHARE = 0.5
_MIN_ARABIC_LETTER_SHARE = 0.5
_MIN_UTF16_HIGH_SHARE = 0.6
_MAX_UTF16_LOW_SHARE = 0.1

_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"\x7fELF", "executable"),
)

# NUL is left out: it is removed rather than counted, since stray or padding NULs are common in
# otherwise good text. Tab, newline, vertical tab, form feed and carriage return are text.
_BINARY_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")

# UTF-16 code units of Latin, Arabic and neighbouring scripts have a high byte of 0x00-0x08;
# byte encodings of real text practically never contain those bytes.
_UTF16_HIGH_BYTES = bytes(range(0x09))

_HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_JSON_MEDIA_TYPES = frozenset({"application/json", "text/json"})
_HTML_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template"})
_HTML_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
        "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip

# The optional closing quote lets an unterminated string run to the end in one match instead of
# being rescanned from every later quote.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_JSON_BRACKETS_AS_PARENS = bytes.maketrans(b"[]{}", b"()()")
_JSON_NON_BRACKET_BYTES = bytes(code for code in range(256) if code not in b"[]{}")
_WHITESPACE_RUN = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W\d_]")


class RejectedInput(errors.RejectedInput):
    """A dropped file that cannot become an article; `reason` is a short machine code.

    Derives from the project-wide `RejectedInput` so the ingest doors, which catch that one,
    dead-letter parse rejections too.
    """

    def __init__(self, reason: RejectReason, message: str) -> None:
        super().__init__(message, reason)
        self.reason: RejectReason = reason
        self.message = message


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    body: str
    published_at: str | None
    url: str | None
    source: str | None
    encoding: str
    content_format: ContentFormat


@dataclass(frozen=True)
class _Fields:
    """What a format extractor found, before the checks every format shares."""

    title: str
    body: str
    published_at: str | None = None
    url: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class _Profile:
    """Character statistics of a decoded sample, used to judge an encoding guess."""

    junk: float
    wordy: float
    arabic: float

    def reads_as_text(self) -> bool:
        return self.junk <= _MAX_JUNK_SHARE and self.wordy >= _MIN_WORDY_SHARE

    def reads_as_arabic(self) -> bool:
        return self.reads_as_text() and self.arabic >= _MIN_ARABIC_LETTER_SHARE


def parse_file(
    data: bytes,
    filename: str,
    content_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParsedArticle:
    """Decode, detect the format of and extract the article in one dropped file.

    Raises `RejectedInput` when the file is not a usable article.
    """
    if len(data) > max_bytes:
        raise RejectedInput("too_large", f"{len(data)} bytes is over the {max_bytes}-byte limit")
    if not data:
        raise RejectedInput("empty", "the file is empty")
    _reject_known_binary(data)
    decoded, encoding = _decode(data)
    text = clean_text(decoded)
    if not text.strip():
        raise RejectedInput("empty", "the file holds only whitespace or invisible characters")
    content_format = _content_format(text, filename, content_type)
    if content_format == "html":
        fields = _extract_html(text)
    elif content_format == "json":
        fields = _extract_json(text)
    else:
        fields = _extract_text(text)
    return _finish(fields, encoding, content_format)


def article_id(body: str) -> str:
    """Stable id of an article body: the same text dropped twice gets the same id, whatever
    its diacritics, invisible characters or whitespace."""
    return hashlib.sha256(normalize_for_matching(body).encode("utf-8")).hexdigest()[:16]


def safe_filename(name: str) -> str:
    """Reduce an untrusted file name to a harmless basename for logs and metadata."""
    basename = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Cc and Cf cover control characters and bidi overrides that disguise extensions.
    visible = "".join(ch for ch in basename if unicodedata.category(ch) not in ("Cc", "Cf"))
    cleaned = unicodedata.normalize("NFC", visible).strip().strip(".").strip()
    return _truncate_filename(cleaned) or "unnamed"


def _truncate_filename(name: str) -> str:
    if len(name.encode("utf-8")) <= MAX_FILENAME_BYTES:
        return name
    stem, dot, extension = name.rpartition(".")
    # A long tail after the last dot is part of the name, not an extension worth keeping.
    if not dot or len(extension) > _MAX_EXTENSION_CHARS:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    budget = MAX_FILENAME_BYTES - len(suffix.encode("utf-8"))
    # Cutting UTF-8 bytes can split a character; "ignore" drops that partial character.
    return stem.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip() + suffix


def _reject_known_binary(data: bytes) -> None:
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise RejectedInput("binary", f"the file is a {kind}, not text")


def _reject_control_heavy(text: str) -> None:
    controls = len(_BINARY_CONTROL.findall(text))
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise RejectedInput("binary", f"{controls} of {len(text)} characters are control codes")


def _decode(data: bytes) -> tuple[str, str]:
    """Return the text and the name of the codec that decodes the original bytes."""
    unicode_text = _decode_unicode_by_bom(data) or _decode_utf16_without_bom(data)
    if unicode_text is not None:
        _reject_control_heavy(unicode_text[0])
        return unicode_text
    # Not UTF-16, so a zero byte cannot be part of a character: it is padding or corruption.
    data = data.replace(b"\0", b"")
    _reject_control_heavy(data.decode("latin-1"))  # latin-1 maps each byte to one character
    try:
        return _decode_cut(data, "utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode_legacy(data)


def _decode_cut(data: bytes, encoding: str) -> str:
    """Strict decoding that drops a character cut off at the very end.

    A download truncated mid-character still carries a whole article, so that is no reason to
    reject it or to fall back to guessing another encoding.
    """
    return codecs.getincrementaldecoder(encoding)("strict").decode(data, final=False)


def _decode_unicode_by_bom(data: bytes) -> tuple[str, str] | None:
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        return None
    try:
        return _decode_cut(data, encoding), encoding
    except UnicodeDecodeError as error:
        raise RejectedInput(
            "undecodable", f"the byte-order mark says {encoding} but the bytes are not: {error}"
        ) from error


def _decode_utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Recognise UTF-16 by the column of high bytes every other byte."""
    sample = data[: _SAMPLE_SIZE - _SAMPLE_SIZE % 2]
    if len(sample) < 2:
        return None
    even, odd = _utf16_high_share(sample[0::2]), _utf16_high_share(sample[1::2])
    if odd >= _MIN_UTF16_HIGH_SHARE and even <= _MAX_UTF16_LOW_SHARE:
        encoding = "utf-16-le"
    elif even >= _MIN_UTF16_HIGH_SHARE and odd <= _MAX_UTF16_LOW_SHARE:
        encoding = "utf-16-be"
    else:
        return None
    text = _decode_if(data, encoding, _Profile.reads_as_text)
    return None if text is None else (text, encoding)


def _utf16_high_share(column: bytes) -> float:
    return (len(column) - len(column.translate(None, _UTF16_HIGH_BYTES))) / len(column)


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Decode bytes that are not UTF-8 with charset-normalizer's guesses, checked by us."""
    # The detector's cost grows with the input while its guesses do not improve much.
    guesses = [match.encoding for match in charset_normalizer.from_bytes(data[:_SAMPLE_SIZE])]
    # Short Arabic in Windows-1256 scores as well in CJK or Thai code pages, and the detector
    # cannot know the feed is Arabic: a guess that reads as Arabic beats the detector's ranking,
    # and cp1256, the usual legacy Arabic encoding, is always tried.
    for encoding in guesses if "cp1256" in guesses else [*guesses, "cp1256"]:
        text = _decode_if(data, encoding, _Profile.reads_as_arabic)
        if text is not None:
            return text, codecs.lookup(encoding).name
    if guesses:
        text = _decode_if(data, guesses[0], _Profile.reads_as_text)
        if text is not None:
            return text, codecs.lookup(guesses[0]).name
    raise RejectedInput("undecodable", "not UTF-8, UTF-16 or Windows-1256, and no other fit")


def _decode_if(data: bytes, encoding: str, accept: Callable[[_Profile], bool]) -> str | None:
    """Decode `data` if it decodes strictly and a sample of the result passes `accept`."""
    try:
        if not accept(_profile(_decode_cut(data[:_SAMPLE_SIZE], encoding))):
            return None
        return _decode_cut(data, encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _profile(sample: str) -> _Profile:
    """Junk is what a wrong decoding produces: non-ASCII symbols, controls, unassigned or
    private-use code points and U+FFFD. Markup and ASCII punctuation are neutral."""
    junk = wordy = letters = arabic = 0
    for ch in sample:
        category = unicodedata.category(ch)
        if ch.isspace() or category[0] in "LMN":
            wordy += 1
        elif category == "Cc" or (not ch.isascii() and category[0] != "P"):
            junk += 1
        if category[0] == "L":
            letters += 1
            arabic += "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f"
    total = len(sample) or 1
    return _Profile(junk=junk / total, wordy=wordy / total, arabic=arabic / (letters or 1))


def _content_format(text: str, filename: str, content_type: str | None) -> ContentFormat:
    """Declared type first (content type, then extension), then the content itself."""
    media_type = (content_type or "").partition(";")[0].strip().lower()
    _, dot, extension = safe_filename(filename).rpartition(".")
    extension = extension.lower() if dot else ""
    if media_type in _HTML_MEDIA_TYPES:
        return "html"
    if media_type in _JSON_MEDIA_TYPES or media_type.endswith("+json"):
        return "json"
    if extension in ("html", "htm"):
        return "html"
    if extension == "json":
        return "json"
    head = text.lstrip()[:9].lower()
    if head.startswith(("<!doctype", "<html")):
        return "html"
    return "json" if head.startswith("{") else "text"


def _extract_text(text: str) -> _Fields:
    """The first line is the headline and the body is the rest.

    The headline is left out of the body so that the same story dropped as text or as JSON
    (whose `content` rarely repeats the title) gets the same body and id. A first line that is
    too long to be a headline, or the only line, is body text: the title is then derived.
    """
    first, _, rest = text.strip().partition("\n")
    if rest.strip() and len(first.strip()) <= MAX_TITLE_CHARS:
        return _Fields(title=first, body=rest)
    return _Fields(title="", body=text)


def _extract_html(text: str) -> _Fields:
    tree = LexborHTMLParser(text)
    body = _html_block_text(tree.body) if tree.body is not None else ""
    return _Fields(title=_html_title(tree), body=body)


def _html_title(tree: LexborHTMLParser) -> str:
    for selector in ("title", "h1"):
        node = tree.css_first(selector)
        if node is not None and node.text().strip():
            return node.text()
    return ""


def _html_block_text(root: LexborNode) -> str:
    """Visible text with one line per block element, whitespace collapsed as a browser does.

    Walks the tree with an explicit stack so deeply nested markup cannot exhaust recursion.
    """
    parts: list[str] = []
    stack: list[LexborNode | None] = [root]  # None marks the end of a block element
    while stack:
        node = stack.pop()
        if node is None:
            parts.append("\n")
        elif node.is_text_node:
            parts.append(_WHITESPACE_RUN.sub(" ", node.text_content or ""))
        elif node.tag not in _HTML_SKIPPED_TAGS and not node.is_comment_node:
            if node.tag in _HTML_BLOCK_TAGS:
                parts.append("\n")
                stack.append(None)
            stack.extend(reversed(list(node.iter(include_text=True))))
    lines = (line.strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _extract_json(text: str) -> _Fields:
    _reject_deep_json(text)
    try:
        document = json.loads(text)
    except ValueError as error:
        raise RejectedInput("bad_json", f"not valid JSON: {error}") from error
    if not isinstance(document, dict):
        kind = type(document).__name__
        raise RejectedInput("bad_json", f"the top level must be an object, not {kind}")
    body = _string_field(document, "content", "body")
    if body is None:
        raise RejectedInput("bad_json", "missing field 'content' (or 'body')")
    return _Fields(
        title=_string_field(document, "title") or "",
        body=body,
        published_at=_published_at(_string_field(document, "published_at", "date")),
        url=_metadata(_string_field(document, "url")),
        source=_metadata(_string_field(document, "source")),
    )


def _reject_deep_json(text: str) -> None:
    """Bound the nesting before `json.loads`, which recurses once per level.

    With strings removed, each pass deletes the innermost empty bracket pairs, so the number of
    passes that still find a pair is the depth. It all runs in C: even 20 MB of brackets is fast.
    """
    # bytes.translate is a plain 256-entry table lookup, the fastest way to keep only brackets.
    brackets = _JSON_STRING.sub("", text).encode("utf-8")
    brackets = brackets.translate(_JSON_BRACKETS_AS_PARENS, _JSON_NON_BRACKET_BYTES)
    for _ in range(MAX_JSON_DEPTH):
        brackets = brackets.replace(b"()", b"")
    if b"()" in brackets:
        raise RejectedInput("bad_json", f"nested deeper than {MAX_JSON_DEPTH} levels")


def _string_field(document: dict[str, Any], *names: str) -> str | None:
    """The first of `names` that is present and not null; it must be a string."""
    for name in names:
        value = document.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            kind = type(value).__name__
            raise RejectedInput("bad_json", f"field '{name}' must be a string, not {kind}")
        return value
    return None


def _metadata(value: str | None) -> str | None:
    if value is None:
        return None
    return " ".join(clean_text(value).split()) or None


def _published_at(value: str | None) -> str | None:
    """ISO 8601 when the date parses as ISO, otherwise the date as given."""
    value = _metadata(value)
    if value is None:
        return None
    try:
        return datetime.fromisoformat(digits_to_ascii(value)).isoformat()
    except ValueError:
        return value


def _headline(body: str) -> str:
    """The first line of `body`, cut at a word boundary to a headline's length."""
    # No more than MAX_TITLE_CHARS words can fit, so the rest of a long line is left unsplit.
    words = body.lstrip().partition("\n")[0].split(maxsplit=MAX_TITLE_CHARS)
    line = " ".join(words[:MAX_TITLE_CHARS])
    if len(line) <= MAX_TITLE_CHARS:
        return line
    cut = line[: MAX_TITLE_CHARS + 1].rsplit(" ", 1)[0]
    return cut if len(cut) <= MAX_TITLE_CHARS else line[:MAX_TITLE_CHARS]


def _finish(fields: _Fields, encoding: str, content_format: ContentFormat) -> ParsedArticle:
    body = clean_text(fields.body).strip()
    if not body:
        raise RejectedInput("empty", f"no article text in the {content_format} content")
    if not _LETTER.search(body):
        raise RejectedInput("no_text", "the article text has no letters")
    title = " ".join(clean_text(fields.title).split()) or _headline(body)
    return ParsedArticle(
        title=title,
        body=body,
        published_at=fields.published_at,
        url=fields.url,
        source=fields.source,
        encoding=encoding,
        content_format=content_format,
    )
