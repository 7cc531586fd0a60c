"""The benchmark's corpus stream: phases take consecutive articles under their own names."""

from benchmarks.corpus import Generator
from benchmarks.workload import Stream, make_files
from shared.arabic import tokens


def test_phases_take_consecutive_articles_and_name_them_for_counting() -> None:
    files = make_files("t", 30, copy_share=0.3, seed=3)
    stream = Stream("t", files)
    first = stream.next("tp1", 10)
    assert [f.name for f in first[:2]] == ["bench-tp1-00000.txt", "bench-tp1-00001.txt"]
    assert [f.article_id for f in first] == [f.article_id for f in files[:10]]
    stream.used(7)  # the phase sent only seven
    second = stream.next("tmain", 100)
    assert [f.article_id for f in second] == [f.article_id for f in files[7:]]
    assert second[0].data == files[7].data and stream.left == len(files) - 7


def test_noise_changes_spelling_but_not_the_normalised_words() -> None:
    generator = Generator(1)
    body = "قال المتحدث إن 300 شخص نزحوا من حي الصاخور في حلب يوم 12 ديسمبر الجاري. " * 20
    noisy = generator.noise(body)
    assert noisy != body
    assert tokens(noisy) == tokens(body)
    assert any("\u0660" <= c <= "\u0669" for c in noisy)  # some digits became Arabic-Indic
