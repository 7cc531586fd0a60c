"""Issue 15 at the parser: formats by name and type, presentation forms, character references,
the JSON fields real scrapers use and the dates they write."""

import json

import pytest

from services.ingest.articles import to_article
from services.ingest.dates import read_date
from services.ingest.parsing import NotAnArticle, fold_presentation_forms, parse_file

HEADLINE = "{هامتون كورت}.. 500 عام على القصر"
BODY = "احتفلت بريطانيا بمرور خمسمئة عام على بناء قصر هامتون كورت.\nوزار القصر آلاف السياح."
BRACE_ARTICLE = f"{HEADLINE}\n{BODY}\n"


def json_bytes(**fields: object) -> bytes:
    return json.dumps(fields, ensure_ascii=False).encode()


# --- format by name and content type, sniffing only when neither says -------------------------


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        pytest.param("headline.txt", None, id="txt-name"),
        pytest.param("headline.txt", "text/plain; charset=utf-8", id="txt-and-text-plain"),
        pytest.param("upload", None, id="nothing-said-sniffed"),
        pytest.param("upload", "application/x-www-form-urlencoded", id="curl-default-type"),
        pytest.param("headline.txt", "application/json", id="txt-name-beats-a-wrong-json-type"),
    ],
)
def test_a_brace_headline_is_text_not_bad_json(filename: str, content_type: str | None) -> None:
    parsed = parse_file(BRACE_ARTICLE.encode(), filename, content_type)
    assert (parsed.content_format, parsed.title, parsed.body) == ("text", HEADLINE, BODY)


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        pytest.param("a.json", None, id="json-name"),
        pytest.param("upload", "application/json", id="json-type"),
    ],
)
def test_a_declared_json_that_does_not_parse_is_still_bad_json(
    filename: str, content_type: str | None
) -> None:
    with pytest.raises(NotAnArticle) as caught:
        parse_file(BRACE_ARTICLE.encode(), filename, content_type)
    assert caught.value.reason == "bad_json"


def test_a_txt_holding_a_json_article_is_read_as_json() -> None:
    parsed = parse_file(json_bytes(title="عنوان", content=BODY), "export.txt")
    assert (parsed.content_format, parsed.title, parsed.body) == ("json", "عنوان", BODY)


def test_the_content_type_decides_before_the_name() -> None:
    html = f"<html><body><p>{BODY}</p></body></html>".encode()
    assert parse_file(html, "page.json", "text/html").content_format == "html"


def test_an_html_named_file_of_plain_cp1256_text_keeps_its_lines() -> None:
    parsed = parse_file(BRACE_ARTICLE.encode("cp1256"), "saved.html")
    assert (parsed.content_format, parsed.encoding) == ("text", "cp1256")
    assert (parsed.title, parsed.body) == (HEADLINE, BODY)


def test_an_html_named_file_with_markup_is_still_html() -> None:
    parsed = parse_file("<p>السطر الأول</p><p>الثاني</p>".encode("cp1256"), "saved.html")
    assert (parsed.content_format, parsed.body) == ("html", "السطر الأول\nالثاني")


# --- Arabic presentation forms ----------------------------------------------------------------

PDF_TEXT = "ﻛﺸﻔﺖ ﻣﺼﺎﺩﺭ ﻣﻄﻠﻌﺔ"  # pasted from a PDF: every letter a positional form


def test_presentation_forms_fold_to_base_letters() -> None:
    assert fold_presentation_forms(PDF_TEXT) == "كشفت مصادر مطلعة"


def test_a_lam_alef_ligature_becomes_two_letters() -> None:
    folded = fold_presentation_forms("ﻻ ﺗﻌﻠﻴﻖ ﻷﻥ")  # U+FEFB, U+FEF7
    assert folded == "لا تعليق لأن"
    assert folded.count("ل") == 3


def test_nothing_outside_the_presentation_blocks_changes() -> None:
    # NFKC on the whole text would change these: ligature fi, superscript two, full-width A,
    # Arabic-Indic digits stay, Persian yeh and keheh stay, diacritics stay, the BOM is not ours
    text = "ﬁ² Ａ ١٢٣ یک گ کتاب مُحَمَّد \ufeff ½ ℃"
    assert fold_presentation_forms(text) == text


def test_the_stored_body_is_folded_so_offsets_match_the_search_text() -> None:
    parsed = parse_file(f"ﻋﻨﻮﺍﻥ\n{PDF_TEXT} ﻋﻦ ﺍﻟﺘﻤﺸﻴﻂ".encode(), "pdf.txt")
    assert parsed.title == "عنوان"
    assert parsed.body == "كشفت مصادر مطلعة عن التمشيط"
    assert parsed.body[parsed.body.index("التمشيط") :] == "التمشيط"


def test_presentation_forms_in_json_and_utf16_fold_too() -> None:
    parsed = parse_file(json_bytes(title="ﺧﺒﺮ", content=PDF_TEXT), "a.json")
    assert (parsed.title, parsed.body) == ("خبر", "كشفت مصادر مطلعة")
    assert parse_file(f"ﺧﺒﺮ\n{PDF_TEXT}".encode("utf-16"), "a.txt").body == "كشفت مصادر مطلعة"


# --- HTML character references in text and JSON -------------------------------------------------


def test_character_references_in_plain_text_are_decoded() -> None:
    text = "قال &#8220;نايف البكري&#8221; &amp; غيره\nإن &quot;الوضع&quot; مستقر &#x2014; تماما."
    parsed = parse_file(text.encode(), "a.txt")
    assert parsed.title == "قال \u201cنايف البكري\u201d & غيره"
    assert parsed.body == 'إن "الوضع" مستقر \u2014 تماما.'


def test_character_references_in_json_title_body_and_source_are_decoded() -> None:
    data = json_bytes(title="&quot;عاجل&quot;", content="تصريح &#8220;مهم&#8221;", source="صحيفة &amp; موقع")
    parsed = parse_file(data, "a.json")
    assert (parsed.title, parsed.body, parsed.source) == ('"عاجل"', "تصريح \u201cمهم\u201d", "صحيفة & موقع")


def test_html_references_are_decoded_once_not_twice() -> None:
    parsed = parse_file("<p>اكتب &amp;lt; لا &lt;</p>".encode(), "a.html")
    assert parsed.body == "اكتب &lt; لا <"


def test_a_url_keeps_its_ampersands_as_given() -> None:
    parsed = parse_file(json_bytes(content=BODY, url="https://x.com/a?b=1&amp;para=2"), "a.json")
    assert parsed.url == "https://x.com/a?b=1&amp;para=2"


# --- JSON: the first non-empty of the known fields ------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"content": "", "body": BODY}, id="empty-content-full-body"),
        pytest.param({"content": "  \n", "text": BODY}, id="blank-content-text"),
        pytest.param({"content": None, "articleBody": BODY}, id="null-content-articleBody"),
        pytest.param({"body": BODY, "content": "  "}, id="order-in-the-file-does-not-matter"),
    ],
)
def test_the_first_non_empty_body_field_is_taken(fields: dict[str, object]) -> None:
    assert parse_file(json_bytes(**fields), "a.json").body == BODY


def test_headline_and_link_are_known_names_for_title_and_url() -> None:
    parsed = parse_file(json_bytes(headline="عنوان", articleBody=BODY, link="https://x.com/1"), "a.json")
    assert (parsed.title, parsed.url) == ("عنوان", "https://x.com/1")


def test_an_ant_line_keeps_url_source_and_date() -> None:
    line = json_bytes(
        id="AL-culture-1-20180218",
        url="http://www.alarabiya.net/ar/a.html",
        source="alarabia",
        category="culture",
        title="عنوان",
        published_at="2018-02-18T21:35:43+04:00",
        abstract="ملخص",
        body=BODY,
    )
    parsed = parse_file(line, "ant-v2.1.jsonl.gz#1", "application/json")
    assert (parsed.url, parsed.source, parsed.published_at) == (
        "http://www.alarabiya.net/ar/a.html",
        "alarabia",
        "2018-02-18T21:35:43+04:00",
    )
    assert parsed.body == BODY  # the abstract is not the body


@pytest.mark.parametrize("separator", ["\u2028", "\r", "\u2029"])
def test_a_line_separator_inside_a_json_string_is_no_bad_json(separator: str) -> None:
    # valid JSON; the text cleaning before parsing turns it into a newline inside the string
    data = json.dumps({"title": "عنوان", "body": f"السطر الأول{separator}السطر الثاني"}, ensure_ascii=False)
    assert parse_file(data.encode(), "a.json").body == "السطر الأول\nالسطر الثاني"


def test_all_bodies_empty_is_empty_not_missing() -> None:
    with pytest.raises(NotAnArticle) as caught:
        parse_file(json_bytes(content="", body=" "), "a.json")
    assert caught.value.reason == "empty"


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        pytest.param("Mon, 12 Dec 2016 10:00:00 GMT", "2016-12-12T10:00:00+00:00", id="rfc-2822"),
        pytest.param("Mon, 12 Dec 2016 13:00:00 +0300", "2016-12-12T13:00:00+03:00", id="rfc-2822-offset"),
        pytest.param("12/12/2016", "2016-12-12T00:00:00", id="slashes"),
        pytest.param("05/03/2016", "2016-03-05T00:00:00", id="slashes-day-first"),
        pytest.param("12 ديسمبر 2016", "2016-12-12T00:00:00", id="arabic-month"),
        pytest.param("١٢ ديسمبر ٢٠١٦", "2016-12-12T00:00:00", id="arabic-month-and-digits"),
        pytest.param("12 كانون الأول 2016", "2016-12-12T00:00:00", id="levantine-month"),
        pytest.param("3 كانون الثاني 2017", "2017-01-03T00:00:00", id="levantine-january"),
        pytest.param("الاثنين 12 كانون الأول، 2016 10:30 م", "2016-12-12T22:30:00", id="weekday-and-pm"),
        pytest.param("2016-12-12T10:00:00+03:00", "2016-12-12T10:00:00+03:00", id="iso-offset"),
        pytest.param("2016-12-12T07:00:00Z", "2016-12-12T07:00:00+00:00", id="iso-z"),
        pytest.param("2016-12-12", "2016-12-12T00:00:00", id="iso-date"),
        pytest.param(1481533860, "2016-12-12T09:11:00+00:00", id="epoch-seconds"),
        pytest.param(1481533860000, "2016-12-12T09:11:00+00:00", id="epoch-milliseconds"),
        pytest.param("1481533860", "2016-12-12T09:11:00+00:00", id="epoch-as-text"),
        pytest.param("1437-03-12هـ", "2015-12-23T00:00:00", id="hijri"),
        pytest.param("12/03/1437 هـ", "2015-12-23T00:00:00", id="hijri-day-first"),
        pytest.param("1440-01-01 ه", "2018-09-11T00:00:00", id="hijri-new-year-1440"),
    ],
)
def test_every_date_form_reads_to_iso(value: object, iso: str) -> None:
    assert read_date(value).iso == iso


@pytest.mark.parametrize(
    "key",
    ["date_extracted", "datePublished", "pubDate", "published", "published_at", "created_at", "date"],
)
def test_every_date_key_is_read(key: str) -> None:
    parsed = parse_file(json_bytes(content=BODY, **{key: "Mon, 12 Dec 2016 10:00:00 GMT"}), "a.json")
    assert (parsed.published_at, parsed.published_at_raw) == ("2016-12-12T10:00:00+00:00", None)


def test_a_publication_date_is_preferred_to_the_scraping_date() -> None:
    data = json_bytes(content=BODY, date_extracted="2020-01-01", datePublished="2016-12-12")
    assert parse_file(data, "a.json").published_at == "2016-12-12T00:00:00"


def test_an_unreadable_date_gives_way_to_a_readable_one() -> None:
    data = json_bytes(content=BODY, published_at="منذ ساعة", date="12/12/2016")
    assert parse_file(data, "a.json").published_at == "2016-12-12T00:00:00"


@pytest.mark.parametrize(
    ("value", "raw"),
    [
        pytest.param("منذ ساعتين", "منذ ساعتين", id="words"),
        pytest.param("10:00", "10:00", id="a-time-without-a-date"),
        pytest.param("31/02/2016", "31/02/2016", id="no-such-day"),
        pytest.param("1437-13-40هـ", "1437-13-40هـ", id="no-such-hijri-day"),
        pytest.param(99_999_999_999_999, "99999999999999", id="epoch-out-of-range"),
        pytest.param("12 ديسمبر 3016", "12 ديسمبر 3016", id="year-out-of-range"),
        pytest.param(["2016"], "['2016']", id="a-list"),
    ],
)
def test_an_unreadable_date_keeps_its_raw_string_and_the_article(value: object, raw: str) -> None:
    parsed = parse_file(json_bytes(content=BODY, date=value), "a.json")
    assert (parsed.body, parsed.published_at, parsed.published_at_raw) == (BODY, None, raw)
    article = to_article(parsed, "a.json")
    assert (article.published_at, article.published_at_raw) == (None, raw)


def test_no_date_at_all_is_neither_iso_nor_raw() -> None:
    parsed = parse_file(json_bytes(content=BODY, date=""), "a.json")
    assert (parsed.published_at, parsed.published_at_raw) == (None, None)
