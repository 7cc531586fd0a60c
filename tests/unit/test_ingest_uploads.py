"""The HTTP door's decisions without a server: the bearer scheme, malformed multipart requests,
what an upload of one file or of an archive holds, and the 202 answer."""

import io
import json
import zipfile

import pytest

from services.ingest.archives import Limits
from services.ingest.uploads import Upload, accepted, authorised, check, malformed_multipart, over_limit
from shared.errors import RejectedInput

LIMITS = Limits(member_bytes=10_000, members=50, total_bytes=100_000)
ARTICLE = "عنوان الخبر\nيواصل الجيش السوري تقدمه في شرق حلب، بالتزامن مع فرار آلاف المدنيين.".encode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Bearer s3cret", True),
        ("bearer s3cret", True),
        ("BEARER s3cret", True),
        ("  Bearer   s3cret ", True),
        ("Bearer wrong", False),
        ("Basic s3cret", False),
        ("s3cret", False),
        ("Bearer", False),
        ("", False),
        (None, False),
    ],
)
def test_the_bearer_scheme_is_case_insensitive_and_the_token_exact(
    header: str | None, expected: bool
) -> None:
    assert authorised(header, "s3cret") is expected


def test_no_configured_token_lets_nobody_in() -> None:
    assert not authorised("Bearer ", "")
    assert not authorised("Bearer x", None)


@pytest.mark.parametrize(
    ("content_type", "problem"),
    [
        ("multipart/form-data", True),
        ("multipart/form-data; charset=utf-8", True),
        ('multipart/form-data; boundary=""', True),
        ("multipart/form-data; boundary=----x1", False),
        ('multipart/mixed; boundary="a b"', False),
        ("text/plain", False),
        (None, False),
    ],
)
def test_a_multipart_type_without_a_boundary_is_a_reasoned_400(
    content_type: str | None, problem: bool
) -> None:
    reason = malformed_multipart(content_type)
    assert (reason is not None) is problem
    if problem:
        assert reason is not None and "boundary" in reason


def test_one_text_file_is_one_article() -> None:
    checked = check(Upload("a.txt", "text/plain", ARTICLE), LIMITS)
    assert len(checked.ids) == 1 and checked.rejected == []


def test_a_rejected_single_file_raises_its_own_reason() -> None:
    with pytest.raises(RejectedInput) as caught:
        check(Upload("a.txt", None, b"   "), LIMITS)
    assert caught.value.reason == "empty"


def test_an_archive_lists_its_articles_and_the_members_that_are_none() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", ARTICLE)
        archive.writestr("b.txt", ARTICLE.replace("حلب".encode(), "حمص".encode()))
        archive.writestr("empty.txt", b"  ")
    checked = check(Upload("../c.zip", "application/zip", buffer.getvalue()), LIMITS)
    assert len(set(checked.ids)) == 2
    assert [(r["filename"], r["reason"]) for r in checked.rejected] == [("c.zip!empty.txt", "empty")]


def test_an_archive_without_any_article_is_rejected_with_its_first_reason() -> None:
    lines = b"\n".join(json.dumps({"title": "x", "body": ""}).encode() for _ in range(3))
    with pytest.raises(RejectedInput) as caught:
        check(Upload("d.jsonl", None, lines), LIMITS)
    assert caught.value.reason == "empty"
    assert "none of its 3 members" in str(caught.value)


def test_every_part_of_a_two_file_form_is_answered() -> None:
    first = check(Upload("a.txt", "text/plain", ARTICLE), LIMITS)
    second = check(Upload("b.txt", "text/plain", ARTICLE + " ثان".encode()), LIMITS)
    answer = accepted([first, second])
    assert answer["id"] == first.ids[0] and answer["filename"] == "a.txt"
    assert answer["files"] == [
        {"filename": "a.txt", "ids": first.ids, "rejected": []},
        {"filename": "b.txt", "ids": second.ids, "rejected": []},
    ]


def test_a_file_over_the_limit_makes_the_request_too_large() -> None:
    small, big = Upload("a.txt", None, b"x" * 10), Upload("b.txt", None, b"x" * 11)
    assert not over_limit([small], 10)
    assert over_limit([small, big], 10)
