"""Turn the bytes of one dropped file into a `ParsedArticle` or a `NotAnArticle`.

Pure: no Kafka, no filesystem. The file name and content type are metadata that only steer
format detection; the file name is never used as a path.
"""

import codecs
import hashlib
import html
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import charset_normalizer
from selectolax.lexbor import LexborHTMLParser, LexborNode

from services.ingest.dates import NO_DATE, PublishedAt, read_date
from shared import errors
from shared.arabic import clean_text, normalize_for_matching
from shared.reasons import Reason
from shared.settings import Settings

ContentFormat = Literal["text", "html", "json"]

DEFAULT_MAX_BYTES = Settings.max_file_bytes  # the doors' limit unless a caller says otherwise
MAX_TITLE_CHARS = 200
MAX_JSON_DEPTH = 32
MAX_FILENAME_BYTES = 200
# `archive.zip!folder/a.txt` names a member of an archive (as Java's jar: URLs do)
MEMBER_SEPARATOR = "!"
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
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
_HTML_EXTENSIONS = frozenset({"html", "htm", "xhtml"})
_TEXT_EXTENSIONS = frozenset({"txt", "text"})
# a name like dump.jsonl#17 is one line or element of a JSON container (see archives.py)
_CONTAINER_ELEMENT = re.compile(r"\.(?:json|jsonl|ndjson|jsonlines)(?:\.gz)?#\d+$", re.IGNORECASE)
# any start or end tag, comment or doctype: a file named .html without one is plain text
_MARKUP = re.compile(r"<(?:[a-zA-Z][^<>]*|/[a-zA-Z][^<>]*|!--|!doctype)>?", re.IGNORECASE)

# JSON field names of real scrapers and feeds, in order of preference: the first non-empty wins
BODY_FIELDS = ("content", "body", "text", "articleBody", "article_body", "article", "fulltext")
TITLE_FIELDS = ("title", "headline")
DATE_FIELDS = (
    "published_at", "datePublished", "date_published", "publishedAt", "published", "pubDate",
    "pub_date", "date", "created_at", "dateCreated", "date_created", "date_extracted",
)  # fmt: skip
URL_FIELDS = ("url", "link")
SOURCE_FIELDS = ("source", "publisher", "site_name")

# Arabic presentation forms (text copied out of PDFs) fold to the base letters; NFKC on these two
# blocks alone does that (lam-alef ligatures become two letters) without touching anything else.
# U+FEFF, the byte-order mark, is left to clean_text.
_PRESENTATION_FORM = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")
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


class NotAnArticle(errors.RejectedInput):
    """A dropped file that cannot become an article; `reason` is a short machine code.

    Derives from the project-wide `RejectedInput` so the ingest doors, which catch that one,
    dead-letter parse rejections too.
    """

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message, reason)
        self.reason: Reason = reason
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
    published_at_raw: str | None = None  # the date as given, when it could not be read


@dataclass(frozen=True)
class _Fields:
    """What a format extractor found, before the checks every format shares."""

    title: str
    body: str
    published_at: PublishedAt = NO_DATE
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

    The format is what the content type or else the name declares (HTML, JSON); plain text and
    names that say nothing are sniffed. A "page" without any markup is text, and so is JSON that
    does not parse, unless JSON was declared and the name does not say `.txt`.
    Raises `NotAnArticle` when the file is not a usable article.
    """
    if len(data) > max_bytes:
        raise NotAnArticle(Reason.TOO_LARGE, f"{len(data)} bytes is over the {max_bytes}-byte limit")
    if not data:
        raise NotAnArticle(Reason.EMPTY, "the file is empty")
    _reject_known_binary(data)
    text, encoding = decode(data)
    if not text.strip():
        raise NotAnArticle(Reason.EMPTY, "the file holds only whitespace or invisible characters")
    declared = declared_format(filename, content_type)
    content_format = declared or _sniffed_format(text)
    if content_format == "html" and not _MARKUP.search(text):
        content_format = "text"  # a page saved as .html that is plain text keeps its lines
    if content_format == "json":
        try:
            fields = _extract_json(text)
        except _NotJson:
            if declared == "json" and extension(filename) not in _TEXT_EXTENSIONS:
                raise
            content_format, fields = "text", _extract_text(text)  # `{headline}.. rest` is text
    elif content_format == "html":
        fields = _extract_html(text)
    else:
        fields = _extract_text(text)
    return _finish(fields, encoding, content_format)


def decode(data: bytes) -> tuple[str, str]:
    """The cleaned text of a file's bytes and the codec that decodes them; raises NotAnArticle."""
    decoded, encoding = _decode(data)
    return clean_text(fold_presentation_forms(decoded)), encoding


def fold_presentation_forms(text: str) -> str:
    """Arabic presentation forms to base letters; every other character is left as it is."""
    if not _PRESENTATION_FORM.search(text):  # 99% of articles: one scan, no copy
        return text
    return _PRESENTATION_FORM.sub(lambda match: unicodedata.normalize("NFKC", match.group(0)), text)


def article_id(body: str) -> str:
    """Stable id of an article body: the same text dropped twice gets the same id, whatever
    its diacritics, invisible characters or whitespace."""
    return hashlib.sha256(normalize_for_matching(body).encode("utf-8")).hexdigest()[:16]


def safe_filename(name: str) -> str:
    """Reduce an untrusted file name to a harmless basename for logs and metadata.

    An archive member's name (`corpus.zip!2016/a.txt`) keeps its path inside the archive, each
    part cleaned like a basename and `..` dropped: it is a label, never opened as a path.
    """
    outer, separator, member = name.partition(MEMBER_SEPARATOR)
    if separator and outer.lower().endswith(ARCHIVE_SUFFIXES):
        parts = (_visible(part) for part in _path_parts(member))
        inner = "/".join(part for part in parts if part)
        if inner:
            return _truncate_filename(f"{_visible(_path_parts(outer)[-1])}{MEMBER_SEPARATOR}{inner}")
    return _truncate_filename(_visible(_path_parts(name)[-1])) or "unnamed"


def _path_parts(name: str) -> list[str]:
    return name.replace("\\", "/").split("/")


def _visible(part: str) -> str:
    # Cc and Cf cover control characters and bidi overrides that disguise extensions.
    visible = "".join(ch for ch in part if unicodedata.category(ch) not in ("Cc", "Cf"))
    return unicodedata.normalize("NFC", visible).strip().strip(".").strip()


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
            raise NotAnArticle(Reason.BINARY, f"the file is a {kind}, not text")


def _reject_control_heavy(text: str) -> None:
    controls = len(_BINARY_CONTROL.findall(text))
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise NotAnArticle(Reason.BINARY, f"{controls} of {len(text)} characters are control codes")


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
        raise NotAnArticle(
            Reason.UNDECODABLE, f"the byte-order mark says {encoding} but the bytes are not: {error}"
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
    raise NotAnArticle(Reason.UNDECODABLE, "not UTF-8, UTF-16 or Windows-1256, and no other fit")


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


def media_type(content_type: str | None) -> str:
    """`text/html; charset=utf-8` -> `text/html`."""
    return (content_type or "").partition(";")[0].strip().lower()


def extension(filename: str) -> str:
    """The lower-case extension of a file name (of the member, for an archive member's name)."""
    _, dot, suffix = filename.replace("\\", "/").rsplit("/", 1)[-1].rpartition(".")
    return suffix.lower() if dot else ""


def declared_format(filename: str, content_type: str | None) -> Literal["html", "json"] | None:
    """The format the content type (first) or the file name says, when either says HTML or JSON.

    Plain text (`.txt`, `text/plain`) and names or types that say nothing are sniffed: `.txt`
    exports of pages and of JSON are common, and a text file may start like either.
    """
    media = media_type(content_type)
    if media in _HTML_MEDIA_TYPES:
        return "html"
    if media in _JSON_MEDIA_TYPES or media.endswith("+json"):
        return "json"
    suffix = extension(filename)
    if suffix in _HTML_EXTENSIONS:
        return "html"
    if suffix == "json" or _CONTAINER_ELEMENT.search(filename):
        return "json"
    return None


def _sniffed_format(text: str) -> ContentFormat:
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
        return _Fields(title=_unescape(first), body=_unescape(rest))
    return _Fields(title="", body=_unescape(text))


def _unescape(text: str) -> str:
    """Character references (`&#8220;`, `&quot;`) that scrapers leave in text and JSON."""
    return html.unescape(text) if "&" in text else text


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


class _NotJson(NotAnArticle):
    """The text does not parse as JSON at all (as opposed to JSON that is not an article)."""


def _extract_json(text: str) -> _Fields:
    reject_deep_json(text)
    try:
        # strict=False: cleaning the text made line separators (U+2028, CR) inside strings into
        # newlines, which strict JSON refuses; 3 of ANT's 31,523 articles have them
        document = json.loads(text, strict=False)
    except ValueError as error:
        raise _NotJson(Reason.BAD_JSON, f"not valid JSON: {error}") from error
    if not isinstance(document, dict):
        kind = type(document).__name__
        raise NotAnArticle(Reason.BAD_JSON, f"the top level must be an object, not {kind}")
    return _article_fields(document)


def _article_fields(document: dict[str, Any]) -> _Fields:
    bodies = [text for name in BODY_FIELDS if (text := _string_field(document, name)) is not None]
    if not bodies:
        raise NotAnArticle(
            Reason.BAD_JSON, f"missing field 'content' (or any of {', '.join(BODY_FIELDS[1:])})"
        )
    # `content: ""` beside a full `body` is common: the first with text wins, else the first given
    body = next((text for text in bodies if text.strip()), bodies[0])
    return _Fields(
        title=_unescape(_first_string(document, TITLE_FIELDS) or ""),
        body=_unescape(body),
        published_at=_published_at(document),
        url=_metadata(_first_string(document, URL_FIELDS)),
        source=_metadata(_unescape(_first_string(document, SOURCE_FIELDS) or "")),
    )


def reject_deep_json(text: str) -> None:
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
        raise NotAnArticle(Reason.BAD_JSON, f"nested deeper than {MAX_JSON_DEPTH} levels")


def _string_field(document: dict[str, Any], name: str) -> str | None:
    """The field's value, None when absent or null; any other value must be a string."""
    value = document.get(name)
    if value is not None and not isinstance(value, str):
        kind = type(value).__name__
        raise NotAnArticle(Reason.BAD_JSON, f"field '{name}' must be a string, not {kind}")
    return value


def _first_string(document: dict[str, Any], names: tuple[str, ...]) -> str | None:
    """The first of `names` that is present and not empty."""
    for name in names:
        value = _string_field(document, name)
        if value:
            return value
    return None


def _metadata(value: str | None) -> str | None:
    if value is None:
        return None
    return " ".join(clean_text(value).split()) or None


def _published_at(document: dict[str, Any]) -> PublishedAt:
    """The first date field that reads; else the first one given, as given (never a rejection)."""
    unread = NO_DATE
    for name in DATE_FIELDS:
        found = read_date(document.get(name))
        if found.iso is not None:
            return found
        if unread.raw is None and found.raw is not None:
            unread = PublishedAt(None, clean_text(found.raw)[:MAX_TITLE_CHARS])
    return unread


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
        raise NotAnArticle(Reason.EMPTY, f"no article text in the {content_format} content")
    if not _LETTER.search(body):
        raise NotAnArticle(Reason.NO_TEXT, "the article text has no letters")
    title = " ".join(clean_text(fields.title).split()) or _headline(body)
    return ParsedArticle(
        title=title,
        body=body,
        published_at=fields.published_at.iso,
        url=fields.url,
        source=fields.source,
        encoding=encoding,
        content_format=content_format,
        published_at_raw=fields.published_at.raw,
    )
