"""`akhbar dlq`'s decisions, without a broker: filters, ages, finding a letter, where a replay goes."""

from __future__ import annotations

import base64

import pytest

from akhbar.dlq import REPLAY_HEADER, DlqError, Filters, Letter, find, parse_since, replay_of, tally
from shared import topics


def letter(partition: int, offset: int, **fields: object) -> Letter:
    base: dict[str, object] = {
        "stage": "entities",
        "reason": "stage_timeout",
        "topic": topics.ARTICLES_LANGUAGE,
        "partition": 1,
        "offset": 7,
        "key": "k",
        "payload": "{}",
        "payload_encoding": "utf-8",
        "payload_truncated": False,
        "filename": "a.txt",
        "article_id": "abc",
        "at": 1000.0,
    }
    return Letter(partition, offset, {**base, **fields})


def test_ages_and_dates_for_since() -> None:
    assert parse_since("30m", now=10_000) == 10_000 - 1800
    assert parse_since("2h", now=10_000) == 10_000 - 7200
    assert parse_since("1.5d", now=200_000) == 200_000 - 129_600
    assert parse_since("2026-12-01T10:00:00+00:00") == 1796119200
    assert parse_since(None) is None
    with pytest.raises(DlqError, match="30m, 2h, 1d"):
        parse_since("yesterday")


def test_filters_combine() -> None:
    old = letter(0, 0, at=100.0)
    new_ingest = letter(0, 1, stage="ingest", reason="empty", at=5000.0)
    assert Filters(stage="ingest").match(new_ingest) and not Filters(stage="ingest").match(old)
    assert Filters(since=1000).match(new_ingest) and not Filters(since=1000).match(old)
    assert not Filters(stage="ingest", reason="binary").match(new_ingest)
    assert tally([old, new_ingest, letter(1, 0)]) == [
        ("entities", "stage_timeout", 2),
        ("ingest", "empty", 1),
    ]


def test_a_letter_is_found_by_its_place_or_the_newest_about_an_article() -> None:
    letters = [letter(0, 3, article_id="x"), letter(2, 9, article_id="x", reason="too_large")]
    assert find(letters, "0:3").ref == "0:3"
    assert find(letters, "x").get("reason") == "too_large"
    with pytest.raises(DlqError, match="no dead letter 'nope'"):
        find(letters, "nope")


def test_a_file_goes_back_to_ingest_files_with_its_name() -> None:
    raw = b"\x89PNG\r\n"
    refused = letter(
        1,
        4,
        stage="ingest",
        topic=topics.INGEST_FILES,
        payload=base64.b64encode(raw).decode(),
        payload_encoding="base64",
    )
    record = replay_of(refused, refused.payload())
    assert (record.topic, record.key, record.value) == (topics.INGEST_FILES, None, raw)
    assert ("filename", b"a.txt") in record.headers and (REPLAY_HEADER, b"dlq/1@4") in record.headers


def test_an_article_record_goes_back_to_the_input_of_the_stage_that_refused_it() -> None:
    record = replay_of(letter(3, 8), b'{"id": "abc"}')
    assert (record.topic, record.key) == (topics.ARTICLES_LANGUAGE, b"abc")
    assert record.headers == [(REPLAY_HEADER, b"dlq/3@8")]
