"""The ingest agent's handler on Faust's own records (no broker): one file record that is an
archive becomes one article per member and one dead letter per rejected member."""

import io
import json
import zipfile
from dataclasses import dataclass

from faust.types import Message

from services.ingest import app
from services.ingest.archives import Member
from services.ingest.records import member_record
from shared.schema import Article, DeadLetter

ARTICLE = "عنوان الخبر\nيواصل الجيش السوري تقدمه في شرق حلب، بالتزامن مع فرار آلاف المدنيين.".encode()
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40


@dataclass
class Event:
    message: Message

    @property
    def value(self) -> bytes | None:
        return self.message.value


def record(value: bytes, filename: str, content_type: str | None = None) -> Message:
    headers = [("filename", filename.encode())]
    if content_type:
        headers.append(("content-type", content_type.encode()))
    return Message("ingest.files", 0, 7, 1_700_000_000.0, 0, headers, None, value, None)


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_archive_record_becomes_articles_and_dead_letters_one_each() -> None:
    data = zip_bytes({"d/a.txt": ARTICLE, "d/b.txt": ARTICLE + " ثان".encode(), "d/logo.png": PNG})
    outgoing = app.handle_file(Event(record(data, "c.zip")))
    articles = [o.value for o in outgoing if isinstance(o.value, Article)]
    letters = [o.value for o in outgoing if isinstance(o.value, DeadLetter)]
    assert [a.source_file for a in articles] == ["c.zip!d/a.txt", "c.zip!d/b.txt"]
    assert all(o.key == o.value.id for o in outgoing if isinstance(o.value, Article))
    assert [(d.filename, d.reason) for d in letters] == [("c.zip!d/logo.png", "binary")]
    assert letters[0].payload_bytes == len(PNG)  # the member, not the whole archive
    assert (letters[0].topic, letters[0].offset) == ("ingest.files", 7)


def test_a_plain_file_record_is_still_one_article() -> None:
    (outgoing,) = app.handle_file(Event(record(ARTICLE, "a.txt")))
    assert isinstance(outgoing.value, Article) and outgoing.value.title == "عنوان الخبر"
    assert outgoing.value.ingested_at == 1_700_000_000.0


def test_a_rejected_plain_file_is_one_dead_letter_with_its_own_payload() -> None:
    (outgoing,) = app.handle_file(Event(record(b"   ", "blank.txt")))
    assert isinstance(outgoing.value, DeadLetter)
    assert (outgoing.value.reason, outgoing.value.filename, outgoing.value.payload) == (
        "empty",
        "blank.txt",
        "   ",
    )


def test_a_line_sent_by_the_cli_is_read_as_json_by_its_name() -> None:
    line = json.dumps({"title": "{عاجل}", "body": "نص الخبر"}).encode()
    (outgoing,) = app.handle_file(Event(record(line, "ant.jsonl.gz#17", "application/json")))
    assert isinstance(outgoing.value, Article)
    assert (outgoing.value.source_file, outgoing.value.content_format) == ("ant.jsonl.gz#17", "json")


def test_a_member_s_dead_letter_record_carries_the_member_and_the_archive_s_place() -> None:
    message = record(b"whole archive", "c.zip")
    member = member_record(message, Member("c.zip!a.txt", b"member bytes"))
    assert (member.value, member.topic, member.partition, member.offset) == (
        b"member bytes",
        "ingest.files",
        0,
        7,
    )
    assert member_record(message, Member("c.zip", b"")) is message
