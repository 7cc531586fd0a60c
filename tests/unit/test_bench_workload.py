"""The benchmark's article streams: endless, each file new work with the id the ingest service gives it."""

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from benchmarks import realnews, workload
from benchmarks.corpus import Generator
from benchmarks.workload import File, Stream
from services.ingest.articles import to_article
from services.ingest.parsing import parse_file
from shared.arabic import tokens


def ingest_id(f: File) -> str:
    return to_article(parse_file(f.data, f.name), f.name).id


def test_phases_draw_on_past_several_generator_batches_with_distinct_ids() -> None:
    stream = Stream("t", workload.generated(copy_share=0.3, seed=3))
    first = stream.take("tp1", 150)
    second = stream.take("tmain", 300)  # about 140 files a batch: this crosses at least two batches
    assert [f.name for f in first[:2]] == ["bench-tp1-00000.txt", "bench-tp1-00001.txt"]
    assert second[0].name == "bench-tmain-00000.txt"
    files = first + second
    assert len({f.article_id for f in files}) == len(files)
    assert all(ingest_id(f) == f.article_id for f in files[::25])  # renaming keeps the id
    assert set(stream.labels["tmain"]) == {"unique", "exact", "near", "partial"}
    assert sum(stream.labels["tmain"].values()) == 300


def test_stocked_files_come_first_and_in_the_same_order() -> None:
    stocked = Stream("t", workload.generated(seed=5))
    stocked.stock(40)
    plain = Stream("t", workload.generated(seed=5))
    assert [f.article_id for f in stocked.take("a", 60)] == [f.article_id for f in plain.take("a", 60)]


def fake_corpus(monkeypatch: pytest.MonkeyPatch, articles: list[dict[str, Any]]) -> None:
    def read(limit: int | None = None) -> Iterator[dict[str, Any]]:
        return iter(articles[:limit])

    monkeypatch.setattr(realnews, "articles", read)


def test_real_stream_cycles_with_new_ids_and_leaves_out_empty_and_repeated_bodies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = "قال المتحدث إن 300 شخص نزحوا من حي الصاخور في حلب يوم 12 ديسمبر الجاري"
    fake_corpus(
        monkeypatch,
        [
            {"title": "الأول", "body": body, "published_at": "2016-12-12T10:00:00+03:00"},
            {"title": "فارغ", "body": "  "},
            {"title": "نفسه في قسم آخر", "body": body},
            {"title": "الثاني", "body": body + " وقال آخرون غير ذلك"},
        ],
    )
    files = list(itertools.islice(workload.real("t1"), 7))  # the two usable articles, pass after pass
    assert [f.label for f in files] == ["pass 1", "pass 1", "pass 2", "pass 2", "pass 3", "pass 3", "pass 4"]
    assert len({f.article_id for f in files}) == len(files)
    parsed = parse_file(files[2].data, files[2].name)
    assert parsed.body.endswith("(akhbar bench t1, pass 2)") and parsed.published_at is not None
    assert files[0].article_id != next(workload.real("t2")).article_id  # another run's first pass


def test_real_stream_refuses_a_corpus_without_any_body(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_corpus(monkeypatch, [{"title": "فارغ", "body": ""}])
    with pytest.raises(ValueError, match="none has a body"):
        next(workload.real("t"))


def test_real_corpus_stream_outlasts_its_cycle_with_distinct_ids() -> None:
    missing = realnews.missing_reason()
    if missing:
        pytest.skip(missing)
    stream = Stream("t", workload.real("t", cycle=150))
    files = stream.take("tant", 400)  # more than two passes over the first 150 articles
    assert files[0].name == "bench-tant-00000.json"
    assert len({f.article_id for f in files}) == 400
    assert {"pass 1", "pass 2", "pass 3"} <= set(stream.labels["tant"])
    assert all(ingest_id(f) == f.article_id for f in files[::40])


def test_noise_changes_spelling_but_not_the_normalised_words() -> None:
    generator = Generator(1)
    body = "قال المتحدث إن 300 شخص نزحوا من حي الصاخور في حلب يوم 12 ديسمبر الجاري. " * 20
    noisy = generator.noise(body)
    assert noisy != body
    assert tokens(noisy) == tokens(body)
    assert any("\u0660" <= c <= "\u0669" for c in noisy)  # some digits became Arabic-Indic
