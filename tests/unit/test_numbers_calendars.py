"""Dates in both calendars as Gulf and Levantine papers write them, and the publication date.

Gregorian values are Umm al-Qura conversions (hijridate); the expected days below were checked
against the Saudi calendar (1 Shawwal 1436 = 17 July 2015, 1 Ramadan 1439 = 16 May 2018).
"""

from __future__ import annotations

import datetime as dt

import pytest

from services.numbers.calendars import Day, resolve
from services.numbers.enrich import annotate
from services.numbers.extract import Mention, NumberExtractor
from shared.schema import Article
from tests.unit.test_numbers_conventions import extractor, mentions

__all__ = ["extractor"]  # the module's fixture, shared

JULY_2015 = dt.date(2015, 7, 25)


def dates(extractor: NumberExtractor, text: str, reference: dt.date | None = JULY_2015) -> list[Mention]:
    return [m for m in mentions(extractor, text, reference) if m.kind in ("date", "year")]


def only_date(extractor: NumberExtractor, text: str, reference: dt.date | None = JULY_2015) -> Mention:
    found = dates(extractor, text, reference)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "span", "hijri", "iso"),
    [
        ("صدر الأمر في 25 شوال 1436 هـ", "25 شوال 1436 هـ", "1436-10-25", "2015-08-10"),
        ("يوم الخميس 25 شوال 1436هـ", "25 شوال 1436هـ", "1436-10-25", "2015-08-10"),
        ("بتاريخ 27 / 10 / 1436 هـ", "27 / 10 / 1436 هـ", "1436-10-27", "2015-08-12"),
        ("بتاريخ 1436/10/27هـ", "1436/10/27هـ", "1436-10-27", "2015-08-12"),
        ("حتى 10 ذي القعدة 1436 هـ", "10 ذي القعدة 1436 هـ", "1436-11-10", "2015-08-25"),
        ("في 8 ذو الحجة 1436", "8 ذو الحجة 1436", "1436-12-08", "2015-09-21"),
        ("في 12 ربيع الأول 1437 هـ", "12 ربيع الأول 1437 هـ", "1437-03-12", "2015-12-23"),
        ("في 3 ربيع الآخر 1437هـ", "3 ربيع الآخر 1437هـ", "1437-04-03", "2016-01-13"),
        ("في 15 جمادى الأولى 1437 هـ", "15 جمادى الأولى 1437 هـ", "1437-05-15", "2016-02-24"),
        ("في 20 جمادى الآخرة 1437 هـ", "20 جمادى الآخرة 1437 هـ", "1437-06-20", "2016-03-29"),
        ("في 1 محرم 1437 هـ", "1 محرم 1437 هـ", "1437-01-01", "2015-10-14"),
        ("ليلة 27 رمضان 1436 هـ", "27 رمضان 1436 هـ", "1436-09-27", "2015-07-14"),
    ],
)
def test_hijri_dates_carry_both_calendars(
    extractor: NumberExtractor, text: str, span: str, hijri: str, iso: str
) -> None:
    mention = only_date(extractor, text)
    assert (mention.kind, mention.text, mention.hijri, mention.iso) == ("date", span, hijri, iso)
    assert mention.unit is None


def test_a_dual_date_is_two_dates_of_one_day(extractor: NumberExtractor) -> None:
    text = "الرياض - الأحد 6 شوال 1436 هـ الموافق 22 يوليو 2015 م"
    hijri, gregorian = dates(extractor, text)
    assert (hijri.text, hijri.hijri, hijri.iso) == ("6 شوال 1436 هـ", "1436-10-06", "2015-07-22")
    assert (gregorian.text, gregorian.hijri, gregorian.iso) == ("22 يوليو 2015 م", None, "2015-07-22")


def test_the_gregorian_era_marker_is_inside_the_year(extractor: NumberExtractor) -> None:
    mention = only_date(extractor, "تأسست الشركة عام 1985 م في جدة")
    assert (mention.kind, mention.text, mention.value, mention.hijri) == ("year", "1985 م", 1985, None)


def test_a_hijri_year_on_its_own(extractor: NumberExtractor) -> None:
    mention = only_date(extractor, "ميزانية العام المالي 1437 هـ")
    assert (mention.kind, mention.text, mention.value, mention.hijri) == ("year", "1437 هـ", 1437, "1437")


def test_a_number_in_the_hijri_range_without_a_marker_is_no_year(extractor: NumberExtractor) -> None:
    assert dates(extractor, "وبلغ عدد المشاركين 1436 مشاركا") == []


@pytest.mark.parametrize(
    ("text", "span", "hijri", "iso"),
    [
        ("مع حلول غرة شهر ذي القعدة", "غرة شهر ذي القعدة", "1436-11-01", "2015-08-16"),
        ("يبدأ العمل في 15 شوال", "15 شوال", "1436-10-15", "2015-07-31"),
        ("خلال شهر رمضان", "رمضان", "1436-09", "2015-06"),
        ("في رمضان الماضي", "رمضان", "1436-09", "2015-06"),
        ("منذ مطلع شعبان", "شعبان", "1436-08", "2015-05"),
    ],
)
def test_yearless_hijri_dates_resolve_against_the_publication_date(
    extractor: NumberExtractor, text: str, span: str, hijri: str, iso: str
) -> None:
    mention = only_date(extractor, text)
    assert (mention.text, mention.hijri, mention.iso) == (span, hijri, iso)


def test_month_names_that_are_words_or_names_need_a_date_around_them(extractor: NumberExtractor) -> None:
    assert dates(extractor, "سجل رمضان صبحي هدفا وانتهت المباراة 2 - صفر") == []
    assert dates(extractor, "فاز الفريق 3 صفر على ضيفه") == []


def test_the_most_recent_past_month_when_the_text_says_so(extractor: NumberExtractor) -> None:
    # Published in Shawwal 1439 (June 2018): the Ramadan just ended, not the next one.
    mention = only_date(extractor, "في رمضان الماضي", dt.date(2018, 6, 20))
    assert (mention.hijri, mention.iso) == ("1439-09", "2018-05")


def test_hijri_dates_without_a_reference_keep_what_is_written(extractor: NumberExtractor) -> None:
    mention = only_date(extractor, "يبدأ في 15 شوال", None)
    assert (mention.iso, mention.hijri) == (None, None)


def test_gregorian_dates_with_slashes_and_era(extractor: NumberExtractor) -> None:
    mention = only_date(extractor, "بتاريخ 22/7/2015 م")
    assert (mention.text, mention.iso, mention.hijri) == ("22/7/2015 م", "2015-07-22", None)


def test_resolve_outside_the_tables_gives_no_gregorian_value() -> None:
    assert resolve(Day(1, 1, 1300, hijri=True), None).iso is None
    assert resolve(Day(2, 30, 2015), None).iso is None


# Publication date: metadata first, then the dateline, in either calendar.


def _article(body: str, published_at: str | None = None, raw: str | None = None) -> Article:
    return Article(
        id="a",
        title="عنوان",
        body=body,
        source_file="a.txt",
        content_format="text",
        encoding="utf-8",
        ingested_at=0.0,
        published_at=published_at,
        published_at_raw=raw,
    )


@pytest.mark.parametrize(
    ("head", "published"),
    [
        ("الرياض - الأحد 6 شوال 1436 هـ الموافق 22 يوليو 2015 م", "2015-07-22"),
        ("جدة: الخميس 25 شوال 1436هـ", "2015-08-10"),
        ("الأحد 12/10/1436 هـ - 02:30 م", "2015-07-28T14:30"),
    ],
)
def test_publication_date_from_a_hijri_or_dual_dateline(
    extractor: NumberExtractor, head: str, published: str
) -> None:
    body = f"{head}\n\nأعلنت الوزارة أمس عن خطة جديدة تبدأ في 15 ذي القعدة."
    assert extractor.publication_date(body) == published
    enriched = annotate(_article(body), extractor)
    assert enriched.published_at == published
    later = [m for m in enriched.numbers if m.hijri == "1436-11-15"]
    assert len(later) == 1 and later[0].iso == "2015-08-30"


def test_the_dual_dateline_takes_the_papers_own_gregorian_day(extractor: NumberExtractor) -> None:
    # The paper prints 23 July for 6 Shawwal; the tables say 22 July. The paper's word wins.
    assert extractor.publication_date("الأحد 6 شوال 1436 هـ الموافق 23 يوليو 2015 م\n\nنص") == "2015-07-23"


def test_metadata_comes_before_the_dateline(extractor: NumberExtractor) -> None:
    body = "الأحد 6 شوال 1436 هـ\n\nنص الخبر"
    assert annotate(_article(body, published_at="2015-07-30"), extractor).published_at == "2015-07-30"
    unread = annotate(_article("نص الخبر دون تاريخ", raw="25 شوال 1436 هـ"), extractor)
    assert unread.published_at == "2015-08-10"


def test_annotate_can_bound_the_mentions_it_keeps(extractor: NumberExtractor) -> None:
    body = "قتل 3 أشخاص وأصيب 7 آخرون ونزح 100 شخص"
    assert len(annotate(_article(body), extractor).numbers) == 3
    capped = annotate(_article(body), extractor, max_numbers=2)
    assert [m.text for m in capped.numbers] == ["3", "7"]
    assert capped.truncated == ["numbers"]
    assert annotate(_article(body), extractor, max_numbers=3).truncated == []


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("ميزانية العام المالي 1437 / 1438 هـ", ["1437", "1438"]),
        ("موسم 1435/1436هـ", ["1435", "1436"]),
        ("بداية العام الهجري 1437", ["1437"]),
    ],
)
def test_hijri_years_in_pairs_or_named_as_hijri(
    extractor: NumberExtractor, text: str, years: list[str]
) -> None:
    found = dates(extractor, text)
    assert [(m.kind, m.hijri) for m in found] == [("year", year) for year in years]


def test_a_gregorian_fiscal_year_is_two_years(extractor: NumberExtractor) -> None:
    found = dates(extractor, "موازنة العام المالي 2017/2018")
    assert [(m.kind, m.value) for m in found] == [("year", 2017), ("year", 2018)]


def test_a_strict_month_after_a_clitic_preposition(extractor: NumberExtractor) -> None:
    mention = only_date(extractor, "أعلنت الرئاسة خطتها لشهر رمضان المقبل", dt.date(2016, 4, 22))
    assert (mention.text, mention.hijri, mention.iso) == ("رمضان", "1437-09", "2016-06")
