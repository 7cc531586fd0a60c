"""Unit tests for services.ingest.parsing: encodings, formats, rejections, ids and file names."""

import codecs
import dataclasses
import json
import random
from pathlib import Path

import pytest

from services.ingest.parsing import (
    DEFAULT_MAX_BYTES,
    MAX_FILENAME_BYTES,
    MAX_JSON_DEPTH,
    MAX_TITLE_CHARS,
    NotAnArticle,
    ParsedArticle,
    article_id,
    parse_file,
    safe_filename,
)
from shared import errors

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))

TITLE = "جيش الأسد ينكسر في تدمر وينتصر على حلب"
BODY = (
    "يواصل الجيش السوري تقدمه في شرق حلب، بالتزامن مع فرار آلاف المدنيين.\n"
    "وسيطر على حي المعادي بعد اشتباكات عنيفة يوم الأحد."
)
ARTICLE = f"{TITLE}\n\n{BODY}\n"


def rejection(data: bytes, filename: str = "article.txt", max_bytes: int = DEFAULT_MAX_BYTES) -> NotAnArticle:
    with pytest.raises(NotAnArticle) as caught:
        parse_file(data, filename, max_bytes=max_bytes)
    return caught.value


# --- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(ARTICLE.encode("utf-8"), "utf-8", id="utf-8"),
        pytest.param(ARTICLE.encode("utf-8-sig"), "utf-8-sig", id="utf-8-bom"),
        pytest.param(ARTICLE.encode("utf-16"), "utf-16", id="utf-16-native-bom"),
        pytest.param(codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), "utf-16", id="le-bom"),
        pytest.param(codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), "utf-16", id="be-bom"),
        pytest.param(ARTICLE.encode("utf-16-le"), "utf-16-le", id="utf-16-le-no-bom"),
        pytest.param(ARTICLE.encode("utf-16-be"), "utf-16-be", id="utf-16-be-no-bom"),
        pytest.param(ARTICLE.encode("cp1256"), "cp1256", id="cp1256"),
    ],
)
def test_each_encoding_decodes_to_the_same_article(data: bytes, encoding: str) -> None:
    parsed = parse_file(data, "article.txt")
    assert (parsed.title, parsed.body, parsed.encoding) == (TITLE, BODY, encoding)
    assert data.decode(parsed.encoding).strip() == ARTICLE.strip()


@pytest.mark.parametrize("text", ["مرحبا", "مرحبا بكم في حلب", "سلام"])
def test_short_cp1256_is_not_mistaken_for_a_cjk_code_page(text: str) -> None:
    parsed = parse_file(text.encode("cp1256"), "short.txt")
    assert (parsed.body, parsed.encoding) == (text, "cp1256")


def test_other_legacy_arabic_encodings_are_detected() -> None:
    parsed = parse_file(ARTICLE.encode("iso8859_6"), "article.txt")
    assert (parsed.title, parsed.body, parsed.encoding) == (TITLE, BODY, "iso8859-6")


def test_nul_bytes_are_removed_not_rejected() -> None:
    data = ARTICLE.encode().replace(b" ", b" \x00", 3) + b"\x00" * 5000
    parsed = parse_file(data, "padded.txt")
    assert (parsed.title, parsed.body, parsed.encoding) == (TITLE, BODY, "utf-8")


def test_nul_bytes_do_not_hide_a_legacy_encoding() -> None:
    data = ARTICLE.encode("cp1256").replace(b" ", b" \x00", 3) + b"\x00" * 5000
    parsed = parse_file(data, "padded.txt")
    assert (parsed.title, parsed.body, parsed.encoding) == (TITLE, BODY, "cp1256")


def test_utf16_nul_characters_are_removed() -> None:
    parsed = parse_file(codecs.BOM_UTF16_LE + f"{TITLE}\x00\n{BODY}".encode("utf-16-le"), "a.txt")
    assert (parsed.title, parsed.body) == (TITLE, BODY)


def test_a_character_cut_off_at_the_end_is_dropped() -> None:
    data = f"{TITLE}\n\nنص ينتهي بحرف عربي".encode()[:-1]  # half of the final yeh
    parsed = parse_file(data, "cut.txt")
    assert (parsed.body, parsed.encoding) == ("نص ينتهي بحرف عرب", "utf-8")


def test_invalid_utf8_is_not_read_as_mojibake() -> None:
    data = "جيش الأسد ينكسر".encode() + b"\xff" + "في تدمر وحلب".encode()
    assert rejection(data).reason == "undecodable"


def test_random_high_bytes_are_undecodable() -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(4000))
    assert rejection(data).reason == "undecodable"


def test_bom_that_lies_is_undecodable() -> None:
    data = codecs.BOM_UTF8 + "جيش".encode("cp1256")
    assert rejection(data).reason == "undecodable"


# --- rejections ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, id="png"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 64, id="jpeg"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + ARTICLE.encode(), id="pdf"),
    ],
)
def test_known_binary_formats_are_rejected(data: bytes) -> None:
    assert rejection(data).reason == "binary"


def test_control_heavy_bytes_are_binary() -> None:
    rng = random.Random(3)
    data = bytes(rng.randrange(0x100) for _ in range(4000))
    assert rejection(data).reason == "binary"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="no-bytes"),
        pytest.param(b" \n\t\r\n ", id="whitespace"),
        pytest.param(codecs.BOM_UTF8, id="bom-only"),
        pytest.param("\u200b\u200f\u202b\n".encode(), id="invisible-only"),
        pytest.param(b"\x00" * 100, id="nul-only"),
    ],
)
def test_empty_files_are_rejected(data: bytes) -> None:
    assert rejection(data).reason == "empty"


def test_too_large_is_checked_before_decoding() -> None:
    error = rejection(b"\xff" * 101, max_bytes=100)
    assert error.reason == "too_large"
    assert "101" in error.message


def test_exactly_max_bytes_is_accepted() -> None:
    data = ARTICLE.encode()
    assert parse_file(data, "a.txt", max_bytes=len(data)).title == TITLE


@pytest.mark.parametrize("text", ["123 456 !!!", "٣٤٥ — ١٢ %", "*** --- ***\n\n...."])
def test_text_without_letters_is_rejected(text: str) -> None:
    assert rejection(text.encode()).reason == "no_text"


def test_rejection_carries_reason_and_message_and_is_the_project_exception() -> None:
    error = rejection(b"")
    assert isinstance(error, errors.RejectedInput)
    assert error.reason == "empty"
    assert error.message and str(error) == error.message


# --- plain text ------------------------------------------------------------------------------


def test_plain_text_title_is_the_first_non_empty_line_and_body_the_rest() -> None:
    parsed = parse_file(f"\n\n  \n{ARTICLE}".encode(), "a.txt")
    assert (parsed.title, parsed.body, parsed.content_format) == (TITLE, BODY, "text")
    assert (parsed.published_at, parsed.url, parsed.source) == (None, None, None)


def test_single_line_text_is_body_and_title_is_its_start() -> None:
    line = " ".join(["كلمة"] * 100)  # 499 characters, far longer than a headline
    parsed = parse_file(line.encode(), "a.txt")
    assert parsed.body == line
    assert len(parsed.title) <= MAX_TITLE_CHARS
    assert line.startswith(parsed.title)
    assert line[len(parsed.title)] == " "  # cut at a word boundary


def test_short_single_line_is_both_title_and_body() -> None:
    parsed = parse_file("خبر عاجل من حلب".encode(), "a.txt")
    assert parsed.title == parsed.body == "خبر عاجل من حلب"


def test_first_line_too_long_for_a_headline_stays_in_the_body() -> None:
    paragraph = "حلب " * 80
    parsed = parse_file(f"{paragraph}\nسطر ثان".encode(), "a.txt")
    assert parsed.body == f"{paragraph.strip()}\nسطر ثان"
    assert len(parsed.title) <= MAX_TITLE_CHARS


def test_text_is_cleaned() -> None:
    data = f"\u200f{TITLE}\u200b  \r\n\r\n{BODY}\x00".replace("\n", "\r\n").encode()
    parsed = parse_file(data, "a.txt")
    assert (parsed.title, parsed.body) == (TITLE, BODY)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name)
def test_each_seed_parses(seed: Path) -> None:
    parsed = parse_file(seed.read_bytes(), seed.name)
    assert (parsed.encoding, parsed.content_format) == ("utf-8", "text")
    assert parsed.title and len(parsed.title) <= MAX_TITLE_CHARS
    assert len(parsed.body) > 1000
    assert "\n" not in parsed.title


def test_there_are_seeds_to_parse() -> None:
    assert len(SEEDS) >= 5


def test_seed_000_title() -> None:
    seed = next(path for path in SEEDS if path.name.startswith("000"))
    parsed = parse_file(seed.read_bytes(), seed.name)
    assert parsed.title == "جيش الأسد ينكسر في تدمر وينتصر على حلب"
    assert parsed.body.startswith("كتبه فريق التحرير")


# --- HTML ------------------------------------------------------------------------------------

HTML = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
  <title> {TITLE} </title>
  <style>p {{ color: red; }}</style>
  <script>var x = "<p>ليس نصا</p>";</script>
</head>
<body>
  <h1>عنوان الصفحة</h1>
  <p>الفقرة <b>الأولى</b>
     تكمل هنا.</p>
  <p>الفقرة الثانية<br>سطر بعد فاصل</p>
  <noscript>فعّل جافاسكربت</noscript>
  <!-- تعليق -->
  <div>خاتمة &amp; توقيع</div>
</body>
</html>"""

HTML_BODY = "\n".join(
    ["عنوان الصفحة", "الفقرة الأولى تكمل هنا.", "الفقرة الثانية", "سطر بعد فاصل", "خاتمة & توقيع"]
)


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        pytest.param("page.html", None, id="extension-html"),
        pytest.param("page.HTM", None, id="extension-htm"),
        pytest.param("upload.bin", "text/html; charset=utf-8", id="content-type"),
        pytest.param("page.txt", None, id="sniffed"),
    ],
)
def test_html_is_extracted(filename: str, content_type: str | None) -> None:
    parsed = parse_file(HTML.encode(), filename, content_type)
    assert parsed.content_format == "html"
    assert parsed.title == TITLE
    assert parsed.body == HTML_BODY


def test_html_in_cp1256_is_extracted() -> None:
    parsed = parse_file(HTML.encode("cp1256"), "page.html")
    assert (parsed.encoding, parsed.title) == ("cp1256", TITLE)
    assert parsed.body.startswith("عنوان الصفحة\n")


def test_html_title_falls_back_to_first_h1() -> None:
    html = "<html><body><p>قبل</p><h1>العنوان <i>الرئيسي</i></h1><h1>ثان</h1></body></html>"
    parsed = parse_file(html.encode(), "page.html")
    assert parsed.title == "العنوان الرئيسي"
    assert parsed.body == "\n".join(["قبل", "العنوان الرئيسي", "ثان"])


def test_html_without_title_or_h1_uses_the_first_line() -> None:
    parsed = parse_file("<p>السطر الأول</p><p>الثاني</p>".encode(), "page.html")
    assert (parsed.title, parsed.body) == ("السطر الأول", "\n".join(["السطر الأول", "الثاني"]))


def test_html_with_only_scripts_has_no_article_text() -> None:
    html = b"<html><head><title>x</title><script>alert(1)</script></head><body></body></html>"
    assert rejection(html, "page.html").reason == "empty"


def test_deeply_nested_html_does_not_recurse() -> None:
    html = "<div>" * 20_000 + "نص عميق" + "</div>" * 20_000
    assert parse_file(html.encode(), "deep.html").body == "نص عميق"


# --- JSON ------------------------------------------------------------------------------------


def json_bytes(**fields: object) -> bytes:
    return json.dumps(fields, ensure_ascii=False).encode()


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        pytest.param("article.json", None, id="extension"),
        pytest.param("upload", "application/json; charset=utf-8", id="content-type"),
        pytest.param("upload", "application/vnd.news+json", id="json-suffix"),
        pytest.param("article.txt", None, id="sniffed"),
    ],
)
def test_json_article_fields(filename: str, content_type: str | None) -> None:
    data = json_bytes(
        title=TITLE,
        content=BODY,
        date="2016-12-12T09:11:00Z",
        url="https://example.com/a?id=1",
        source=" وكالة  الأنباء ",
    )
    parsed = parse_file(data, filename, content_type)
    assert parsed == ParsedArticle(
        title=TITLE,
        body=BODY,
        published_at="2016-12-12T09:11:00+00:00",
        url="https://example.com/a?id=1",
        source="وكالة الأنباء",
        encoding="utf-8",
        content_format="json",
    )


def test_json_body_and_published_at_aliases() -> None:
    parsed = parse_file(json_bytes(body=BODY, published_at="2016-12-12"), "a.json")
    assert (parsed.body, parsed.published_at) == (BODY, "2016-12-12T00:00:00")


def test_json_date_with_arabic_digits_is_parsed() -> None:
    arabic_date = "2016-12-12 09:11".translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    parsed = parse_file(json_bytes(content=BODY, date=arabic_date), "a.json")
    assert parsed.published_at == "2016-12-12T09:11:00"


def test_json_date_that_cannot_be_read_is_kept_as_given() -> None:
    parsed = parse_file(json_bytes(content=BODY, date="قبل ساعتين"), "a.json")
    assert (parsed.published_at, parsed.published_at_raw) == (None, "قبل ساعتين")


def test_json_without_title_takes_the_first_line_of_the_body() -> None:
    parsed = parse_file(json_bytes(content=ARTICLE), "a.json")
    assert (parsed.title, parsed.body) == (TITLE, ARTICLE.strip())


def test_json_strings_are_cleaned() -> None:
    parsed = parse_file(json_bytes(title=f"{TITLE}\u200f\n", content=f"\x00{BODY}\r\n"), "a.json")
    assert (parsed.title, parsed.body) == (TITLE, BODY)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param(json_bytes(title=TITLE), "content", id="missing-body"),
        pytest.param(json_bytes(title=TITLE, content=None), "content", id="null-body"),
        pytest.param(json_bytes(title=5, content=BODY), "title", id="title-number"),
        pytest.param(json_bytes(content=[BODY]), "content", id="content-list"),
        pytest.param(json_bytes(body={"text": BODY}), "body", id="body-object"),
        pytest.param(json_bytes(content=BODY, url=["x"]), "url", id="url-list"),
        pytest.param(json_bytes(content=BODY, source=True), "source", id="source-bool"),
    ],
)
def test_json_with_missing_or_mistyped_fields_names_the_field(data: bytes, field: str) -> None:
    error = rejection(data, "a.json")
    assert error.reason == "bad_json"
    assert f"'{field}'" in error.message


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b'{"title": "x", "content": ', id="truncated"),
        pytest.param(b"{not json}", id="syntax"),
        pytest.param(json.dumps([{"content": BODY}]).encode(), id="top-level-array"),
        pytest.param(b'"just a string"', id="top-level-string"),
    ],
)
def test_invalid_json_is_bad_json(data: bytes) -> None:
    assert rejection(data, "a.json").reason == "bad_json"


def test_empty_json_body_is_empty() -> None:
    assert rejection(json_bytes(title=TITLE, content="  \n"), "a.json").reason == "empty"


@pytest.mark.parametrize("inner_depth", [MAX_JSON_DEPTH, 100_000])
def test_deep_json_is_rejected_without_recursion_error(inner_depth: int) -> None:
    nested = b"[" * inner_depth + b"]" * inner_depth
    data = b'{"content": "x", "extra": ' + nested + b"}"
    error = rejection(data, "a.json")
    assert error.reason == "bad_json"
    assert "nested" in error.message


def test_json_at_the_depth_limit_is_accepted() -> None:
    nested = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    data = f'{{"content": "{BODY}", "extra": {nested}}}'.replace("\n", "\\n").encode()
    assert parse_file(data, "a.json").body == BODY


def test_brackets_inside_json_strings_do_not_count_as_nesting() -> None:
    text = "[{" * 1000 + ' \\" ' + "[[[" + " نص"
    parsed = parse_file(json_bytes(title="عنوان", content=text), "a.json")
    assert parsed.body == text


# --- article_id ------------------------------------------------------------------------------


def test_article_id_is_short_stable_hex() -> None:
    first = article_id(BODY)
    assert first == article_id(BODY)
    assert len(first) == 16
    assert int(first, 16) >= 0


def test_article_id_ignores_diacritics_whitespace_tatweel_and_invisibles() -> None:
    variant = (
        "يُواصِلُ  الجيـــشُ السوريّ تقدّمَه في شرق حلب،\u200f بالتزامن مع فرار آلاف المدنيين.\n\n"
        "   وسيطر على حي المعادي بعد اشتباكات عنيفة يوم الأحد.\t"
    )
    assert article_id(variant) == article_id(BODY)


def test_article_id_differs_for_different_bodies() -> None:
    assert article_id(BODY) != article_id(BODY.replace("حلب", "حمص"))


def test_same_article_dropped_twice_gets_the_same_id() -> None:
    as_text = parse_file(ARTICLE.encode("cp1256"), "a.txt")
    as_json = parse_file(json_bytes(title=TITLE, content=BODY), "a.json")
    assert article_id(as_text.body) == article_id(as_json.body)


# --- safe_filename ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../x", "x"),
        ("../../../etc/passwd", "passwd"),
        ("/abs/path/article.txt", "article.txt"),
        ("..\\..\\windows\\evil.txt", "evil.txt"),
        ("a\x00b\nc\x1b.txt", "abc.txt"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ("..", "unnamed"),
        ("", "unnamed"),
        ("dir/", "unnamed"),
        ("  .hidden.txt ", "hidden.txt"),
        ("خبر عاجل.txt", "خبر عاجل.txt"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_safe_filename_limits_length_and_keeps_the_extension() -> None:
    stem = "خبر" * 200
    safe = safe_filename(f"{stem}.html")
    assert MAX_FILENAME_BYTES - 10 <= len(safe.encode("utf-8")) <= MAX_FILENAME_BYTES
    assert safe.endswith(".html")
    assert stem.startswith(safe.removesuffix(".html"))


def test_path_like_filename_only_steers_the_format() -> None:
    parsed = parse_file(ARTICLE.encode(), "../../../../etc/shadow.json.txt")
    assert (parsed.title, parsed.content_format) == (TITLE, "text")


def test_parsed_article_is_frozen() -> None:
    parsed = parse_file(ARTICLE.encode(), "a.txt")
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.title = "x"  # type: ignore[misc]
