"""One test group per requirement of the entity recogniser's issue."""

from __future__ import annotations

import pytest

from services.entities.normalize import fold
from services.entities.recognizer import Mention, Recognition, Recognizer


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return Recognizer.load()


def find(result: Recognition, text: str) -> Mention:
    hits = [m for m in result.mentions if m.text == text]
    assert hits, f"{text!r} not in {[m.text for m in result.mentions]}"
    return hits[0]


def canonicals(result: Recognition, type_: str) -> set[str]:
    return {m.canonical for m in result.mentions if m.type == type_}


def test_offsets_match_text(recognizer: Recognizer) -> None:
    body = "وقال وزير الخارجية الروسي سيرغي لافروف في موسكو إن روسيا مستعدة."
    result = recognizer.recognize(body)
    assert result.mentions
    for m in result.mentions:
        assert body[m.start : m.end] == m.text


@pytest.mark.parametrize(
    ("body", "text", "canonical"),
    [
        ("اتفقت تركيا وروسيا على الهدنة", "روسيا", "روسيا"),
        ("وصل الوفد بحلب صباحا", "حلب", "حلب"),
        ("أرسلت تعزيزات لحلب أمس", "حلب", "حلب"),
        ("اتفقت روسيا والولايات المتحدة على الهدنة", "الولايات المتحدة", "الولايات المتحدة"),
        ("فالجيش السوري يتقدم", "الجيش السوري", "الجيش السوري"),
    ],
)
def test_clitics_resolve_to_bare_entity(recognizer: Recognizer, body: str, text: str, canonical: str) -> None:
    mention = find(recognizer.recognize(body), text)
    assert mention.canonical == canonical


def test_person_spellings_share_canonical(recognizer: Recognizer) -> None:
    one = recognizer.recognize("وقال وزير الخارجية الروسي سيرغي لافروف إن الحوار مستمر.")
    two = recognizer.recognize("وقال وزير الخارجية الروسي سيرجي لافروف إن الحوار مستمر.")
    assert canonicals(one, "PERSON") == canonicals(two, "PERSON") == {"سيرجي لافروف"}


def test_short_mention_links_back(recognizer: Recognizer) -> None:
    body = "وقال زكريا ملاحفجي المسؤول في المعارضة إن الوضع صعب. وأضاف ملاحفجي أن القصف مستمر."
    people = [m for m in recognizer.recognize(body).mentions if m.type == "PERSON"]
    assert [m.text for m in people] == ["زكريا ملاحفجي", "ملاحفجي"]
    assert {m.canonical for m in people} == {"زكريا ملاحفجي"}


@pytest.mark.parametrize(
    ("aliases", "canonical"),
    [
        (["تنظيم الدولة الإسلامية", "تنظيم الدولة", "داعش"], "تنظيم الدولة الإسلامية"),
        (["جبهة فتح الشام", "جبهة النصرة", "النصرة"], "جبهة فتح الشام"),
    ],
)
def test_org_aliases_share_canonical(recognizer: Recognizer, aliases: list[str], canonical: str) -> None:
    for alias in aliases:
        mention = find(recognizer.recognize(f"هاجم مقاتلو {alias} المدينة"), alias)
        assert mention.canonical == canonical


def test_hamza_alef_taa_marbuta_and_alef_maqsura(recognizer: Recognizer) -> None:
    assert find(recognizer.recognize("وصلوا إلى ادلب"), "ادلب").canonical == "إدلب"
    assert find(recognizer.recognize("وصلوا إلى إدلب"), "إدلب").canonical == "إدلب"
    assert find(recognizer.recognize("في سورية اليوم"), "سورية").canonical == "سوريا"
    assert fold("مستشفى") == fold("مستشفي") and fold("حماة") == fold("حماه")


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("لإسقاط الرئيس السوري بشار الأسد في الحرب", "بشار الأسد"),
        ("وقال وزير الخارجية الروسي سيرغي لافروف إن", "سيرغي لافروف"),
        ("اعترف محافظ حمص طلال البرازي بأن التنظيم سيطر", "طلال البرازي"),
        ("وفق ما أفاد مدير المرصد رامي عبدالرحمن أمس", "رامي عبدالرحمن"),
        ("وقال زكريا ملاحفجي إن المعارضة صامدة", "زكريا ملاحفجي"),
        ("نقل عن إيجور كوناشنيكوف المتحدث باسم وزارة الدفاع قوله", "إيجور كوناشنيكوف"),
        # Names in no list at all: only the context finds them.
        ("وقال وزير الداخلية المغربي عبدالوافي لفتيت إن الأمن مستتب", "عبدالوافي لفتيت"),
        ("وأعلن بيترو كارلوفيتش المتحدث باسم البعثة أن", "بيترو كارلوفيتش"),
    ],
)
def test_people_found_by_context(recognizer: Recognizer, body: str, name: str) -> None:
    assert find(recognizer.recognize(body), name).type == "PERSON"


@pytest.mark.parametrize(
    ("body", "text", "canonical"),
    [
        ("سيطر الجيش على حارة الأصيلة قرب المدينة", "حارة الأصيلة", "حارة الاصيلة"),
        ("وأجزاء من حي المعادي، وفق المرصد", "حي المعادي", "حي المعادي"),
        ("أقلعت من مطار التيفور في منطقة جزل", "مطار التيفور", "مطار التيفور"),
        ("هجمات في ريف حمص الشرقي مساء السبت", "ريف حمص الشرقي", "ريف حمص الشرقي"),
        ("سيطر على حقلي جزل والمهر النفطيين", "حقلي جزل", "حقل جزل"),
        ("سيطر على حقلي جزل والمهر النفطيين", "المهر", "حقل المهر"),
        ("وصلت تعزيزات من دير الزور أمس", "دير الزور", "دير الزور"),
    ],
)
def test_places_and_facilities(recognizer: Recognizer, body: str, text: str, canonical: str) -> None:
    mention = find(recognizer.recognize(body), text)
    assert (mention.type, mention.canonical) == ("LOCATION", canonical)


def test_gazetteer_places_carry_geonames(recognizer: Recognizer) -> None:
    aleppo = find(recognizer.recognize("في مدينة حلب"), "حلب")
    assert aleppo.geonames_id == 170063 and aleppo.country_code == "SY"
    assert aleppo.lat is not None and aleppo.lon is not None


def test_demonyms_are_flagged_not_places(recognizer: Recognizer) -> None:
    body = "شنت الطائرات الروسية غارات وقالت الحكومة السورية إن الطائرات السعودية وصلت"
    result = recognizer.recognize(body)
    assert {(d.text, d.country_code) for d in result.demonyms} == {
        ("الروسية", "RU"),
        ("السورية", "SY"),
        ("السعودية", "SA"),
    }
    assert not [m for m in result.mentions if m.type == "LOCATION"]
    country = recognizer.recognize("زار الوفد السعودية ثم قطر")
    assert find(country, "السعودية").type == "LOCATION"


@pytest.mark.parametrize(
    ("body", "text", "canonical"),
    [
        ("وقالت وزارة الدفاع الروسية اليوم", "وزارة الدفاع الروسية", "وزارة الدفاع الروسية"),
        ("يصوت مجلس الأمن على القرار", "مجلس الأمن", "مجلس الأمن الدولي"),
        ("وقال المرصد السوري لحقوق الإنسان إن", "المرصد السوري لحقوق الإنسان", "المرصد السوري لحقوق الإنسان"),
        ("وقال صحفي من رويترز إن", "رويترز", "رويترز"),
        ("ونقلت وكالة أعماق أن", "وكالة أعماق", "وكالة أعماق"),
        ("وجماعة حزب الله اللبنانية", "حزب الله", "حزب الله"),
        ("وقالت وزارة الزراعة التونسية إن", "وزارة الزراعة التونسية", "وزارة الزراعة التونسية"),
    ],
)
def test_organisations(recognizer: Recognizer, body: str, text: str, canonical: str) -> None:
    mention = find(recognizer.recognize(body), text)
    assert (mention.type, mention.canonical) == ("ORGANIZATION", canonical)


def test_short_body_name_links_to_full(recognizer: Recognizer) -> None:
    body = "وقالت وزارة الدفاع الروسية إن الغارات مستمرة. وبحسب وزارة الدفاع أيضا فإن"
    result = recognizer.recognize(body)
    assert canonicals(result, "ORGANIZATION") == {"وزارة الدفاع الروسية"}


def test_counts_most_frequent_first(recognizer: Recognizer) -> None:
    result = recognizer.recognize("قصفت روسيا حلب. ثم عادت روسيا إلى حلب وحلب")
    assert result.counts()[0] == ("حلب", "LOCATION", 3)
    assert ("روسيا", "LOCATION", 2) in result.counts()
