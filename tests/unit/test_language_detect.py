"""Unit tests for the language service's detector (pure: no Kafka, real lingua models)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lingua import Language

from services.language.detect import (
    LanguageDetector,
    LanguageReport,
    LanguageSpan,
    read_language_names,
)

SEEDS = sorted((Path(__file__).parents[2] / "seeds").glob("*.txt"))

ENGLISH = (
    "The United Nations said on Monday that aid convoys had reached the eastern districts of the "
    "city for the first time in weeks, after both sides agreed to a temporary truce."
)
FRENCH = (
    "Les Nations unies ont annoncé lundi que des convois humanitaires avaient atteint les "
    "quartiers est de la ville pour la première fois depuis des semaines, après une trêve."
)
PERSIAN = "وزیر امور خارجه ایران روز دوشنبه گفت که گفتگوها با کشورهای همسایه ادامه خواهد یافت."
ARABIC = (
    "قالت الأمم المتحدة يوم الاثنين إن قوافل المساعدات وصلت إلى الأحياء الشرقية من المدينة "
    "للمرة الأولى منذ أسابيع، بعد أن اتفق الطرفان على هدنة مؤقتة."
)


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


def test_language_file_names_only_lingua_languages() -> None:
    names = read_language_names()
    assert "ARABIC" in names
    for name in names:
        Language.from_str(name)  # raises ValueError on a name lingua does not know


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name)
def test_seed_is_arabic(detector: LanguageDetector, seed: Path) -> None:
    report = detector.detect(seed.read_text("utf-8"))
    assert report.primary == "ar"
    assert report.is_arabic
    assert report.script == "Arabic"
    assert report.confidence > 0.9
    assert report.shares["ar"] > 0.9


def test_seeds_exist() -> None:
    # Guards the parametrised test above against silently running zero cases.
    assert len(SEEDS) >= 5


def test_seed_000_embedded_tweet_is_an_english_span(detector: LanguageDetector) -> None:
    (seed,) = (path for path in SEEDS if path.name.startswith("000_"))
    text = seed.read_text("utf-8")
    report = detector.detect(text)
    english = [span for span in report.spans if span.language == "en"]
    assert len(english) == 1
    span = english[0]
    assert "map looks like today" in span.text
    assert text[span.start : span.end] == span.text
    assert "en" in report.shares


def test_seeds_without_foreign_prose_have_no_spans(detector: LanguageDetector) -> None:
    # Seed 003 has a stray Latin signature ("elmaouid"): too short to be a span.
    for seed in SEEDS:
        if not seed.name.startswith("000_"):
            assert detector.detect(seed.read_text("utf-8")).spans == [], seed.name


def test_english_paragraph(detector: LanguageDetector) -> None:
    report = detector.detect(ENGLISH)
    assert report.primary == "en"
    assert report.script == "Latin"
    assert not report.is_arabic
    assert report.shares == {"en": pytest.approx(1.0)}
    assert report.spans == []


def test_french_paragraph(detector: LanguageDetector) -> None:
    report = detector.detect(FRENCH)
    assert report.primary == "fr"
    assert report.script == "Latin"


def test_persian_sentence(detector: LanguageDetector) -> None:
    report = detector.detect(PERSIAN)
    assert report.primary == "fa"
    assert report.script == "Arabic"
    assert not report.is_arabic


def test_mixed_arabic_and_english(detector: LanguageDetector) -> None:
    text = f"{ARABIC}\n\n{ENGLISH}\n\n{ARABIC}"
    report = detector.detect(text)
    assert report.primary == "ar"
    assert set(report.shares) == {"ar", "en"}
    assert 0.2 < report.shares["en"] < 0.5
    assert sum(report.shares.values()) == pytest.approx(1.0)
    assert report.spans == [
        LanguageSpan("en", text.index("The"), text.index("truce") + len("truce"), ENGLISH[:-1])
    ]


def test_mostly_english_with_arabic_quote(detector: LanguageDetector) -> None:
    text = f"{ENGLISH} {ENGLISH} She quoted a resident: «{ARABIC}»"
    report = detector.detect(text)
    assert report.primary == "en"
    assert [span.language for span in report.spans] == ["ar"]
    assert report.spans[0].text.startswith("قالت")


def test_script_is_mixed_when_no_script_dominates(detector: LanguageDetector) -> None:
    assert detector.detect(f"{ARABIC} {ENGLISH}").script == "Mixed"


@pytest.mark.parametrize("text", ["", "   \n\t", "2016 — 12/12 (100%) !!!"])
def test_letterless_text_is_undetermined(detector: LanguageDetector, text: str) -> None:
    assert detector.detect(text) == LanguageReport(
        primary="und", confidence=0.0, shares={}, spans=[], script="Common", is_arabic=False
    )


def test_urls_and_handles_inside_arabic_make_no_spans(detector: LanguageDetector) -> None:
    text = (
        f"{ARABIC} https://www.example.com/world/middle-east/aid-convoys-reach-eastern-districts "
        f"pic.twitter.com/swCPZdvtBBqwertyuiopasdf @unitednationsnewsroom press@example.org "
        f"www.noonpost.com/politics/article-about-truce {ARABIC}"
    )
    report = detector.detect(text)
    assert report.spans == []
    assert report.shares == {"ar": pytest.approx(1.0)}


def test_short_latin_words_inside_arabic_make_no_spans(detector: LanguageDetector) -> None:
    text = f"{ARABIC} وقال متحدث باسم UNICEF إن منظمة WHO و NATO لم تعلق. {ARABIC}"
    report = detector.detect(text)
    assert report.primary == "ar"
    assert report.spans == []


def test_min_span_letters_is_configurable() -> None:
    strict = LanguageDetector(min_span_letters=500)
    text = f"{ARABIC} {ARABIC} {ARABIC} {ENGLISH}"
    assert strict.detect(text).spans == []


def test_short_text_still_gets_a_language(detector: LanguageDetector) -> None:
    report = detector.detect("حلب")
    assert report.primary == "ar"
    assert report.is_arabic


def test_long_text_is_sampled_without_losing_the_language(detector: LanguageDetector) -> None:
    report = detector.detect(" ".join([FRENCH] * 40))
    assert report.primary == "fr"
    assert report.shares == {"fr": pytest.approx(1.0)}


def test_script_without_configured_language_is_undetermined(detector: LanguageDetector) -> None:
    report = detector.detect("მთავრობამ დღეს ქვეყნის ჩრდილოეთში ცეცხლის შეწყვეტა გამოაცხადა.")
    assert report.primary == "und"
    assert report.script == "Georgian"
    assert report.confidence == 0.0


@pytest.mark.parametrize("kwargs", [{"min_span_letters": 0}, {"sample_chars": 5}])
def test_rejects_nonsense_parameters(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        LanguageDetector(**kwargs)
