"""Archives and JSON containers become one article file per member, line or element, within limits."""

import gzip
import io
import json
import os
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.ingest.archives import Limits, Member, container_kind, expand, expand_bytes, parse_member
from services.ingest.parsing import NotAnArticle, safe_filename

LIMITS = Limits(member_bytes=10_000, members=50, total_bytes=100_000)
BODY = "يواصل الجيش السوري تقدمه في شرق حلب، بالتزامن مع فرار آلاف المدنيين."


def article(number: int) -> dict[str, object]:
    return {"id": f"x-{number}", "title": f"الخبر {number}", "body": f"{BODY} ({number})", "source": "bbc"}


def jsonl(*documents: object) -> bytes:
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents).encode()


def members(data: bytes, name: str, content_type: str | None = None, limits: Limits = LIMITS) -> list[Member]:
    return list(expand_bytes(data, name, content_type, limits))


def outcome(found: list[Member]) -> list[tuple[str, str]]:
    """(name, title or rejection reason) of each member, parsed as the service parses it."""
    result = []
    for member in found:
        try:
            result.append((member.name, parse_member(member, LIMITS.member_bytes).title))
        except NotAnArticle as rejected:
            result.append((member.name, f"rejected:{rejected.reason}"))
    return result


def zip_bytes(files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def tar_bytes(files: dict[str, bytes], mode: str = "w:gz") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:  # type: ignore[call-overload]
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


TEXT_FILES = {"2016/a.txt": f"عنوان أ\n{BODY}".encode(), "2016/b.txt": f"عنوان ب\n{BODY} ب".encode()}


# --- one article per line, element or member ------------------------------------------------------


def test_json_lines_become_one_article_per_line_numbered_from_one() -> None:
    found = members(jsonl(article(1), article(2)) + b"\n" + jsonl(article(4)), "dump.jsonl")
    assert outcome(found) == [
        ("dump.jsonl#1", "الخبر 1"),
        ("dump.jsonl#2", "الخبر 2"),
        ("dump.jsonl#4", "الخبر 4"),
    ]


def test_a_bad_line_is_its_own_rejection_and_the_others_go_on() -> None:
    data = jsonl(article(1)) + b'{"title": "broken\n' + jsonl({"title": "x", "body": ""}, article(4))
    assert outcome(members(data, "dump.ndjson")) == [
        ("dump.ndjson#1", "الخبر 1"),
        ("dump.ndjson#2", "rejected:bad_json"),
        ("dump.ndjson#3", "rejected:empty"),
        ("dump.ndjson#4", "الخبر 4"),
    ]


def test_a_json_array_becomes_one_article_per_element() -> None:
    data = json.dumps([article(1), article(2)], ensure_ascii=False, indent=2).encode("utf-16")
    assert outcome(members(data, "export.json")) == [
        ("export.json#1", "الخبر 1"),
        ("export.json#2", "الخبر 2"),
    ]


@pytest.mark.parametrize("document", [["عنوان", "نص"], [], [{"body": "نص"}, 5]])
def test_an_array_that_is_not_of_articles_is_one_bad_json_file(document: list[object]) -> None:
    data = json.dumps(document, ensure_ascii=False).encode()
    assert outcome(members(data, "not-an-object.json")) == [("not-an-object.json", "rejected:bad_json")]


def test_a_json_array_with_no_json_name_is_found_by_its_bracket() -> None:
    data = json.dumps([article(1)]).encode()
    assert outcome(members(data, "upload", None)) == [("upload#1", "الخبر 1")]


def test_a_single_json_object_or_text_passes_through_unchanged() -> None:
    data = json.dumps(article(1)).encode()
    assert members(data, "a.json") == [Member("a.json", data, None)]
    text = "[عاجل] خبر\nنص".encode()
    assert members(text, "a.txt", "text/plain") == [Member("a.txt", text, "text/plain")]


def test_gzipped_json_lines_keep_the_name_the_user_knows() -> None:
    data = gzip.compress(jsonl(article(1), article(2)))
    assert outcome(members(data, "ant.jsonl.gz")) == [
        ("ant.jsonl.gz#1", "الخبر 1"),
        ("ant.jsonl.gz#2", "الخبر 2"),
    ]


@pytest.mark.parametrize("name", ["corpus.zip", "upload"])
def test_a_zip_becomes_one_article_per_member(name: str) -> None:
    data = zip_bytes({**TEXT_FILES, "2016/": b"", "__MACOSX/2016/._a.txt": b"\0\x05", ".DS_Store": b"\0"})
    assert outcome(members(data, name)) == [
        (f"{name}!2016/a.txt", "عنوان أ"),
        (f"{name}!2016/b.txt", "عنوان ب"),
    ]


@pytest.mark.parametrize(
    ("name", "mode"), [("c.tar.gz", "w:gz"), ("c.tgz", "w:gz"), ("c.tar", "w"), ("c", "w:gz")]
)
def test_a_tar_becomes_one_article_per_member(name: str, mode: str) -> None:
    data = tar_bytes(TEXT_FILES, mode)
    assert outcome(members(data, name)) == [
        (f"{name}!2016/a.txt", "عنوان أ"),
        (f"{name}!2016/b.txt", "عنوان ب"),
    ]


def test_json_lines_inside_a_zip_are_expanded_too() -> None:
    data = zip_bytes(
        {"data/part1.jsonl": jsonl(article(1), article(2)), "readme.txt": f"اقرأ\n{BODY}".encode()}
    )
    assert outcome(members(data, "c.zip")) == [
        ("c.zip!data/part1.jsonl#1", "الخبر 1"),
        ("c.zip!data/part1.jsonl#2", "الخبر 2"),
        ("c.zip!readme.txt", "اقرأ"),
    ]


def test_a_binary_member_is_rejected_on_its_own() -> None:
    data = zip_bytes({"a.txt": TEXT_FILES["2016/a.txt"], "photo.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 20})
    assert outcome(members(data, "c.zip")) == [
        ("c.zip!a.txt", "عنوان أ"),
        ("c.zip!photo.png", "rejected:binary"),
    ]


def test_member_names_survive_the_service_s_file_name_cleaning() -> None:
    for name in ("archive.zip!folder/a.txt", "dump.jsonl#17", "c.tar.gz!x/y/z.html"):
        assert safe_filename(name) == name
    assert safe_filename("evil.zip!../../etc/passwd") == "evil.zip!etc/passwd"


@pytest.mark.parametrize(
    ("name", "content_type", "head", "kind"),
    [
        ("a.txt", None, b"hello", None),
        ("a.json", None, b'{"a": 1}', None),
        ("a.json", None, b' \n[{"a": 1}]', "json_array"),
        ("a.txt", None, b"[headline] text", "json_array"),  # looked at whole; text if not an array
        ("a.html", None, b"[headline] text", None),
        ("upload", "application/zip", b"", "zip"),
        ("upload", "application/x-ndjson", b"{}", "jsonl"),
        ("upload", "application/gzip", b"", "gzip"),
        ("a.jsonl", None, b"{}", "jsonl"),
        ("a.tgz", None, b"", "tar"),
        ("upload", None, b"\x1f\x8b\x08", "gzip"),
    ],
)
def test_container_kind_by_type_name_then_bytes(
    name: str, content_type: str | None, head: bytes, kind: str
) -> None:
    assert container_kind(name, content_type, head) == kind


# --- limits ------------------------------------------------------------------------------------


def test_a_member_over_the_file_limit_is_rejected_and_the_next_is_taken() -> None:
    data = zip_bytes({"big.txt": "ن".encode() * 6_000, "a.txt": TEXT_FILES["2016/a.txt"]})
    assert outcome(members(data, "c.zip")) == [
        ("c.zip!big.txt", "rejected:too_large"),
        ("c.zip!a.txt", "عنوان أ"),
    ]


def test_a_line_over_the_file_limit_is_rejected_and_the_next_line_is_line_two() -> None:
    data = jsonl({"body": "ن" * 6_000}, article(2))
    assert outcome(members(data, "d.jsonl")) == [
        ("d.jsonl#1", "rejected:too_large"),
        ("d.jsonl#2", "الخبر 2"),
    ]


def test_too_many_members_are_refused_with_a_reason() -> None:
    limits = Limits(member_bytes=10_000, members=3, total_bytes=100_000)
    found = members(jsonl(*(article(n) for n in range(1, 6))), "d.jsonl", limits=limits)
    assert [m.name for m in found] == ["d.jsonl#1", "d.jsonl#2", "d.jsonl#3", "d.jsonl"]
    assert found[-1].rejection is not None and found[-1].rejection.reason == "too_many_members"


def test_a_zip_declaring_too_many_members_is_refused_before_reading_any() -> None:
    data = zip_bytes({f"{n}.txt": b"x" for n in range(60)})
    (refused,) = members(data, "c.zip")
    assert refused.rejection is not None and refused.rejection.reason == "too_many_members"


def test_a_zip_bomb_is_refused_by_its_declared_size() -> None:
    data = zip_bytes({f"{n}.txt": b"\0" * 9_000 for n in range(12)})  # 108 KB from about 1 KB
    assert len(data) < 5_000
    (refused,) = members(data, "bomb.zip")
    assert refused.rejection is not None and refused.rejection.reason == "too_large"
    assert "declares 108000 bytes" in refused.rejection.message


def test_a_zip_bomb_that_lies_about_its_size_is_stopped_while_reading() -> None:
    data = zip_bytes({"a.txt": b"\0" * 9_000, "b.txt": b"\0" * 9_000})
    # local headers and the directory now say 10 bytes uncompressed for each member
    data = data.replace((9_000).to_bytes(4, "little"), (10).to_bytes(4, "little"))
    found = members(data, "liar.zip", limits=Limits(10_000, 50, 100_000))
    # zipfile reads no more than the declared size and then fails the CRC: each member unreadable
    assert [m.rejection.reason if m.rejection else "ok" for m in found] == ["bad_archive", "bad_archive"]


def test_a_gzip_bomb_is_stopped_at_the_total_limit_without_inflating_it_all() -> None:
    data = gzip.compress(b'{"body": "x"}\n' * 1_000_000)  # 14 MB from 30 KB
    stream = io.BytesIO(data)
    found = list(expand(stream, "bomb.jsonl.gz", None, Limits(10_000, 10_000_000, 100_000)))
    assert found[-1].name == "bomb.jsonl.gz"
    assert found[-1].rejection is not None and found[-1].rejection.reason == "too_large"
    assert len(found) - 1 <= 100_000 // 14


def test_a_tar_member_declaring_more_than_the_total_is_refused_before_it_is_inflated() -> None:
    data = tar_bytes({"a.txt": TEXT_FILES["2016/a.txt"], "huge.txt": b"\0" * 150_000})
    found = members(data, "c.tar.gz")
    assert [m.name for m in found] == ["c.tar.gz!a.txt", "c.tar.gz"]
    assert found[-1].rejection is not None and found[-1].rejection.reason == "too_large"


def test_a_broken_archive_is_one_rejection() -> None:
    (refused,) = members(b"PK\x03\x04 not really a zip", "c.zip")
    assert refused.rejection is not None and refused.rejection.reason == "bad_archive"


def test_members_are_read_lazily_one_at_a_time() -> None:
    lines = jsonl(*(article(n) for n in range(1, 40)))

    class CountingStream(io.BytesIO):
        def readline(self, size: int | None = -1) -> bytes:
            self.lines_read = getattr(self, "lines_read", 0) + 1
            return super().readline(size)

    stream = CountingStream(lines)
    iterator: Iterator[Member] = expand(stream, "d.jsonl", None, LIMITS)
    next(iterator)
    assert stream.lines_read == 1


# --- the real corpus ---------------------------------------------------------------------------


def ant_corpus() -> Path:
    shared = Path(os.environ.get("AKHBAR_SHARED") or Path(__file__).resolve().parents[3] / "shared")
    return shared / "corpora" / "news" / "ant-v2.1.jsonl.gz"


def test_the_head_of_ant_expands_to_articles_with_their_metadata() -> None:
    corpus = ant_corpus()
    if not corpus.exists():
        pytest.skip(f"ANT corpus not found at {corpus} (set AKHBAR_SHARED to the shared folder)")
    with corpus.open("rb") as stream:
        found = expand(stream, corpus.name, None, Limits(20_000_000, 100_000, 250_000_000))
        head = [next(found) for _ in range(200)]
    parsed = [parse_member(member, 20_000_000) for member in head]
    assert [m.name for m in head[:2]] == ["ant-v2.1.jsonl.gz#1", "ant-v2.1.jsonl.gz#2"]
    assert all(p.url and p.source and p.published_at for p in parsed)
    assert all(p.content_format == "json" for p in parsed)
