"""Every file of the hostile corpus through `parse_file`: the right article, or the right rejection."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from services.ingest.archives import Limits, expand
from services.ingest.articles import articles, to_article
from services.ingest.parsing import (
    DEFAULT_MAX_BYTES,
    MAX_TITLE_CHARS,
    NotAnArticle,
    parse_file,
    safe_filename,
)
from shared import topics
from tests.hostile import corpus

TAG = "hostile0"

# The issue's list, one case each: empty, whitespace, an image, 50 MB, invalid UTF-8, Windows-1256,
# UTF-16 without BOM, NUL bytes, invisible and bidi characters, one huge line, HTML with scripts, JSON
# with missing or mistyped fields, a path-traversal name and deeply nested JSON.
KINDS = (
    "empty.txt",
    "whitespace.txt",
    "image.png",
    "huge.txt",
    "invalid-utf8.txt",
    "cp1256.txt",
    "utf16le-no-bom.txt",
    "utf16be-no-bom.txt",
    "nul-bytes.txt",
    "invisible.txt",
    "single-line.txt",
    "scripts.html",
    "missing-content.json",
    "wrong-type.json",
    "not-an-object.json",
    "deep.json",
    "x",
)


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, corpus.Case]:
    return {case.kind: case for case in corpus.write(tmp_path_factory.mktemp("hostile"), TAG)}


def parse(case: corpus.Case) -> tuple[str, str, str]:
    """Title, body and encoding of a case that must be an article."""
    parsed = parse_file(case.path.read_bytes(), case.name, case.content_type)
    return parsed.title, parsed.body, parsed.encoding


def test_the_corpus_has_every_case_of_the_issue(cases: dict[str, corpus.Case]) -> None:
    assert sorted(cases) == sorted(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_each_case_is_its_article_or_its_rejection(cases: dict[str, corpus.Case], kind: str) -> None:
    case = cases[kind]
    data = case.path.read_bytes()
    if case.reason is None:
        parsed = parse_file(data, case.name, case.content_type)
        assert parsed.body == case.body
        assert case.title is None or parsed.title == case.title
        return
    with pytest.raises(NotAnArticle) as caught:
        parse_file(data, case.name, case.content_type)
    assert caught.value.reason == case.reason
    assert str(caught.value)


@pytest.mark.parametrize(
    ("kind", "encoding"),
    [("cp1256.txt", "cp1256"), ("utf16le-no-bom.txt", "utf-16-le"), ("utf16be-no-bom.txt", "utf-16-be")],
)
def test_legacy_and_bomless_encodings_decode_to_the_original_arabic(
    cases: dict[str, corpus.Case], kind: str, encoding: str
) -> None:
    data = cases[kind].path.read_bytes()
    assert not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8))
    assert parse(cases[kind]) == (cases[kind].title, cases[kind].body, encoding)


def test_invisible_and_bidi_characters_are_removed(cases: dict[str, corpus.Case]) -> None:
    case = cases["invisible.txt"]
    assert set(corpus.INVISIBLE) <= set(case.path.read_text(encoding="utf-8"))
    title, body, _ = parse(case)
    assert not set(corpus.INVISIBLE) & set(title + body)
    assert (title, body) == (case.title, case.body)


def test_nul_bytes_are_removed(cases: dict[str, corpus.Case]) -> None:
    case = cases["nul-bytes.txt"]
    assert b"\x00" in case.path.read_bytes()
    title, body, encoding = parse(case)
    assert "\x00" not in title + body
    assert (title, body, encoding) == (case.title, case.body, "utf-8")


def test_html_scripts_styles_and_handlers_stay_out_of_the_article(cases: dict[str, corpus.Case]) -> None:
    case = cases["scripts.html"]
    assert corpus.SCRIPT_TEXT.encode() in case.path.read_bytes()
    title, body, _ = parse(case)
    assert (title, body) == (case.title, case.body)
    for code in (corpus.SCRIPT_TEXT, "alert", "color", "javascript"):
        assert code not in title + body


def test_a_huge_single_line_is_the_body_and_its_head_the_title(cases: dict[str, corpus.Case]) -> None:
    case = cases["single-line.txt"]
    assert b"\n" not in case.path.read_bytes() and case.path.stat().st_size > 1_000_000
    title, body, _ = parse(case)
    assert body == case.body
    assert 0 < len(title) <= MAX_TITLE_CHARS and body.startswith(title)


def test_the_50_mb_file_is_too_large_before_it_is_decoded(cases: dict[str, corpus.Case]) -> None:
    case = cases["huge.txt"]
    assert case.path.stat().st_size == corpus.HUGE_BYTES > DEFAULT_MAX_BYTES
    with pytest.raises(NotAnArticle) as caught:
        parse_file(case.path.read_bytes(), case.name)
    assert caught.value.reason == "too_large" and str(corpus.HUGE_BYTES) in str(caught.value)


def test_deep_json_is_rejected_for_its_nesting(cases: dict[str, corpus.Case]) -> None:
    with pytest.raises(NotAnArticle) as caught:
        parse_file(cases["deep.json"].path.read_bytes(), cases["deep.json"].name)
    assert caught.value.reason == "bad_json" and "nested" in str(caught.value)


def test_a_path_traversal_name_is_stored_as_its_bare_name(cases: dict[str, corpus.Case]) -> None:
    case = cases["x"]
    assert case.name == f"../../{TAG}-x"
    parsed = parse_file(case.path.read_bytes(), case.name, case.content_type)
    assert to_article(parsed, case.name).source_file == f"{TAG}-x"


def test_the_image_is_a_real_png() -> None:
    image = corpus.png()
    assert image.startswith(b"\x89PNG\r\n\x1a\n") and image.endswith(b"IEND\xaeB`\x82")


def test_an_arabic_article_under_the_size_limit_fits_in_one_kafka_record(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    corpus.write_prose(path, DEFAULT_MAX_BYTES - 1_000_000)
    parsed = parse_file(path.read_bytes(), path.name)
    assert len(to_article(parsed, path.name).dumps()) <= topics.MAX_MESSAGE_BYTES


@pytest.mark.parametrize("kind", KINDS)
def test_through_the_archive_expander_each_case_stays_one_file_with_its_outcome(
    cases: dict[str, corpus.Case], kind: str
) -> None:
    """Every door now expands before it parses: no hostile file may turn into several, or change."""
    case = cases[kind]
    limits = Limits(DEFAULT_MAX_BYTES, 100_000, 250_000_000)
    with case.path.open("rb") as stream:
        ((member, outcome),) = articles(
            expand(stream, safe_filename(case.name), case.content_type, limits), DEFAULT_MAX_BYTES
        )
    assert member.name == safe_filename(case.name)
    if case.reason is None:
        assert not isinstance(outcome, NotAnArticle) and outcome.body == case.body
    else:
        assert isinstance(outcome, NotAnArticle) and outcome.reason == case.reason
