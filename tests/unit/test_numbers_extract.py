"""Unit tests of the numbers extractor, one group per kind of writing the issue lists."""

from __future__ import annotations

import datetime as dt

import pytest

from services.numbers.extract import Mention, NumberExtractor

DECEMBER_2016 = dt.date(2016, 12, 12)


@pytest.fixture(scope="module")
def extractor() -> NumberExtractor:
    return NumberExtractor()


def only(extractor: NumberExtractor, text: str, reference: dt.date | None = DECEMBER_2016) -> Mention:
    mentions = extractor.extract(text, reference_date=reference)
    assert len(mentions) == 1, mentions
    return mentions[0]


def test_spans_point_into_the_body(extractor: NumberExtractor) -> None:
    text = "قتل نحو 30 شخصاً وأصيب ثلاثة آلاف مدني في 2011."
    for mention in extractor.extract(text):
        assert text[mention.start : mention.end] == mention.text


# Digits in every script, separators, decimals.


@pytest.mark.parametrize("digits", ["100", "١٠٠", "۱۰۰"])
def test_digits_of_every_script(extractor: NumberExtractor, digits: str) -> None:
    mention = only(extractor, f"قتل {digits} عنصر")
    assert (mention.kind, mention.value, mention.unit) == ("cardinal", 100, "عنصر")
    assert mention.text == digits  # the counted noun is the unit, outside the span


@pytest.mark.parametrize("digits", ["13,346", "13٬346", "١٣٬٣٤٦"])
def test_thousands_separators(extractor: NumberExtractor, digits: str) -> None:
    mention = only(extractor, f"غادر {digits} مدنيًا المدينة")
    assert (mention.kind, mention.value, mention.unit) == ("cardinal", 13346, "مدني")


@pytest.mark.parametrize("digits", ["2.5", "٢٫٥", "2,5"])
def test_decimals(extractor: NumberExtractor, digits: str) -> None:
    mention = only(extractor, f"بنسبة نمو {digits} نقطة")
    assert (mention.kind, mention.value) == ("decimal", 2.5)


def test_decimal_with_a_scale_is_a_decimal_of_the_full_quantity(extractor: NumberExtractor) -> None:
    mention = only(extractor, "نزح 2.5 مليون شخص")
    assert (mention.kind, mention.value, mention.unit, mention.text) == (
        "decimal",
        2_500_000,
        "شخص",
        "2.5 مليون",
    )


# Number words alone and with digits.


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("مقتل ما لا يقل عن مئة عنصر", 100, "عنصر"),
        ("مقتل مائة عنصر", 100, "عنصر"),
        ("خروج أربعة آلاف مدني", 4000, "مدني"),
        ("معارك في ثماني مناطق", 8, "منطقة"),
        ("نزوح 120 ألف شخص", 120_000, "شخص"),
        ("استقدام 5 آلاف داعشي", 5000, "داعشي"),
        ("غادر منهم 18 ألفا", 18_000, None),
        ("وصل ألفين", 2000, None),
        ("قتل خمسة وعشرون مدنيا", 25, "مدني"),
        ("أسر ثلاثة عشر جنديا", 13, "جندي"),
        ("دمرت مئتان وخمسون دبابة", 250, "دبابة"),
        ("نزح ثلاثمئة ألف شخص", 300_000, "شخص"),
        ("شارك عشر دول", 10, "دولة"),
    ],
)
def test_number_words(extractor: NumberExtractor, text: str, value: float, unit: str | None) -> None:
    mention = only(extractor, text)
    assert (mention.kind, mention.value, mention.unit) == ("cardinal", value, unit)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("كانت ثلاثة أسابيع كافية", 3, "أسبوع"),
        ("فتح قبل يومين", 2, "يوم"),
        ("خلال 48 ساعة", 48, "ساعة"),
        ("هدنة لمدة سبعة أيام", 7, "يوم"),
        ("منذ 5 أعوام", 5, "عام"),
    ],
)
def test_durations(extractor: NumberExtractor, text: str, value: float, unit: str) -> None:
    mention = only(extractor, text)
    assert (mention.kind, mention.value, mention.unit) == ("duration", value, unit)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("هناك عشرات آلاف المدنيين", 10_000, "مدني"),
        ("فرار آلاف المدنيين", 1000, "مدني"),
        ("بمقتل مئات في الأسابيع الأخيرة", 100, None),
        ("نزوح مئات الآلاف", 100_000, None),
        ("وآلاف النازحين", 1000, "نازح"),
    ],
)
def test_vague_numbers_are_approximate(
    extractor: NumberExtractor, text: str, value: float, unit: str | None
) -> None:
    mention = only(extractor, text)
    assert (mention.kind, mention.value, mention.unit, mention.qualifier) == (
        "approximate",
        value,
        unit,
        "approx",
    )


def test_unit_is_a_singular_lemma(extractor: NumberExtractor) -> None:
    assert only(extractor, "استولوا على 30 دبابات").unit == "دبابة"
    assert only(extractor, "استولوا على 30 دبابة").unit == "دبابة"
    assert only(extractor, "قال ثلاثة مسؤولين").unit == "مسؤول"


# Qualifiers.


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("قتل نحو 120 عنصرا", "approx"),
        ("قتل حوالي 120 عنصرا", "approx"),
        ("منذ قرابة ستة أعوام", "approx"),
        ("مقتل ما لا يقل عن 100 عنصر", "at_least"),
        ("معارك في ثماني مناطق على الأقل", "at_least"),
        ("تصفية أكثر من 300 مسلح", "more_than"),
        ("إن ما يزيد على 100 ألف شخص", "more_than"),
        ("قد يصل إلى 200 ألف شخص", "up_to"),
        ("يتسع حتى 500 شخص", "up_to"),
        ("بقي 120 عنصرا", None),
    ],
)
def test_qualifiers(extractor: NumberExtractor, text: str, qualifier: str | None) -> None:
    assert only(extractor, text).qualifier == qualifier


# Percentages.


@pytest.mark.parametrize("text", ["85 بالمئة", "85 في المئة", "85 في المائة", "85 بالمائة", "85%", "٨٥٪"])
def test_percentages(extractor: NumberExtractor, text: str) -> None:
    mention = only(extractor, f"سيطرت على {text} من المساحة")
    assert (mention.kind, mention.value, mention.text) == ("percent", 85, text)


def test_percent_between_dashes_is_not_negative(extractor: NumberExtractor) -> None:
    mention = only(extractor, "جزء كبير من حلب -93 بالمئة- أصبح")
    assert (mention.kind, mention.value, mention.text) == ("percent", 93, "93 بالمئة")


# Dates and times.


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("كتبه فريق التحرير | 12 ديسمبر، 2016", "2016-12-12"),
        ("الأحد 11/ديسمبر/2016", "2016-12-11"),
        ("في 11/12/2016 بدأ", "2016-12-11"),
        ("December 12, 2016", "2016-12-12"),
        ("في الثالث من ديسمبر التقى", "2016-12-03"),
        ("في الـ 9 من ديسمبر قال", "2016-12-09"),
        ("في الحادي والعشرين من كانون الأول", "2016-12-21"),
        ("في مايو/ايار 2015", "2015-05"),
        ("في مارس/آذار الماضي", "2016-03"),
        ("منذ منتصف نوفمبر/تشرين الثاني", "2016-11"),
        ("في 5 شباط 2014", "2014-02-05"),
    ],
)
def test_dates(extractor: NumberExtractor, text: str, iso: str) -> None:
    mention = only(extractor, text)
    assert (mention.kind, mention.iso) == ("date", iso)


def test_detached_article_is_outside_a_date(extractor: NumberExtractor) -> None:
    assert only(extractor, "في الـ 9 من ديسمبر قال").text == "9 من ديسمبر"


def test_paired_month_names_are_one_date(extractor: NumberExtractor) -> None:
    mention = only(extractor, "في 20 يناير كانون الثاني.")
    assert mention.text == "20 يناير كانون الثاني"


def test_incomplete_date_takes_its_year_from_the_reference(extractor: NumberExtractor) -> None:
    assert only(extractor, "في 9 من ديسمبر", dt.date(2015, 12, 20)).iso == "2015-12-09"
    # Early in the next year is closer than most of this one: an inauguration on 20 January.
    assert only(extractor, "في 20 يناير", DECEMBER_2016).iso == "2017-01-20"
    assert only(extractor, "في يناير الماضي", DECEMBER_2016).iso == "2016-01"
    assert only(extractor, "في 20 يناير", None).iso is None


def test_reference_defaults_to_the_dateline(extractor: NumberExtractor) -> None:
    text = "كتبه فريق التحرير | 12 ديسمبر، 2015\n\nوفي الثالث من ديسمبر التقى الوزيران."
    mentions = extractor.extract(text)
    assert [mention.iso for mention in mentions] == ["2015-12-12", "2015-12-03"]


def test_time_of_day(extractor: NumberExtractor) -> None:
    mentions = extractor.extract("الأحد 11/ديسمبر/2016 - 09:11 م")
    assert [(mention.kind, mention.iso) for mention in mentions] == [
        ("date", "2016-12-11"),
        ("time", "21:11"),
    ]
    assert only(extractor, "عند 09:11 ص").iso == "09:11"


def test_month_word_that_is_also_a_common_word_needs_a_number(extractor: NumberExtractor) -> None:
    assert extractor.extract("قال الأب إن آب مريض") == []
    assert only(extractor, "في 5 آب 2014").iso == "2014-08-05"


# Publication date.


def test_publication_date_from_dateline(extractor: NumberExtractor) -> None:
    byline = "\n".join(["عنوان", "", "كتبه فريق التحرير | 12 ديسمبر، 2016", "", "نص"])
    assert extractor.publication_date(byline) == "2016-12-12"
    stamped = "\n".join(["عنوان", "", "الأحد 11/ديسمبر/2016 - 09:11 م", "نص"])
    assert extractor.publication_date(stamped) == "2016-12-11T21:11"


def test_no_publication_date_without_a_dateline(extractor: NumberExtractor) -> None:
    assert extractor.publication_date("حلب - يواصل الجيش تقدمه منذ العام 2012.") is None
    long_line = "قال المسؤول " + "إن الوضع صعب " * 10 + "في 12 ديسمبر 2016 خلال مؤتمر."
    assert extractor.publication_date(long_line) is None


# Years, identifiers and other traps.


@pytest.mark.parametrize("text", ["بدأت في 2011.", "منذ العام 2012، تاريخ", "وفي 2015 قتل"])
def test_years_are_not_counts(extractor: NumberExtractor, text: str) -> None:
    mention = only(extractor, text)
    assert (mention.kind, mention.value, mention.unit) == ("year", int(mention.text), None)


def test_four_digit_count_before_its_noun_is_a_count(extractor: NumberExtractor) -> None:
    mention = only(extractor, "قتل 2000 شخص")
    assert (mention.kind, mention.value, mention.unit) == ("cardinal", 2000, "شخص")


@pytest.mark.parametrize(
    "text",
    [
        "طائرة حربية من نوع ميغ 23 أقلعت",
        "طائرات F-16 حلقت",
        "رابط المقال : https://www.noonpost.com/15603",
        "pic.twitter.com/swCPZdvtBB 2016",
    ],
)
def test_identifiers_are_not_quantities(extractor: NumberExtractor, text: str) -> None:
    kinds = {mention.kind for mention in extractor.extract(text)}
    assert kinds <= {"identifier", "year"}
    assert all(m.value is None for m in extractor.extract(text) if m.kind == "identifier")


@pytest.mark.parametrize(
    "text",
    [
        "يوم الاثنين وأمس الأحد وغدا الأربعاء والثلاثاء",
        "واحدة من أشرس الحملات",  # "one of", as أحد
        "كميات كبيرة من الأسلحة",  # not ك + مئات
        "جرى الاتفاق الأولي أولاً",  # "initial", "firstly"
        "وصل أول أمس",
        "أحد السكان",
        "لست أدري",
        "في هذا العام وهذه السنة",
    ],
)
def test_words_that_only_look_like_numbers(extractor: NumberExtractor, text: str) -> None:
    assert extractor.extract(text) == []


def test_ordinals(extractor: NumberExtractor) -> None:
    assert only(extractor, "حلب ثاني مدن البلاد").value == 2
    assert only(extractor, "للمرة الأولى").kind == "ordinal"
    mention = only(extractor, "الذكرى الحادية عشرة")
    assert (mention.kind, mention.value) == ("ordinal", 11)


@pytest.mark.parametrize(
    ("text", "span", "low", "high", "unit"),
    [
        ("بين 10 و20 قتيلا", "بين 10 و20", 10, 20, "قتيل"),
        ("من 5 إلى 7 أيام", "من 5 إلى 7", 5, 7, "يوم"),
        ("سقط 10-15 صاروخا", "10-15", 10, 15, "صاروخ"),
        ("استثمارات بين 100 و150 مليار دولار", "بين 100 و150 مليار", 1e11, 1.5e11, "دولار"),
        ("من 2 إلى 3 ملايين برميل", "من 2 إلى 3 ملايين", 2e6, 3e6, "برميل"),
        ("بين 500 ألف ومليون نازح", "بين 500 ألف ومليون", 5e5, 1e6, "نازح"),
        ("ترتفع الحرارة بمقدار 2 إلى 3 درجات", "2 إلى 3", 2, 3, "درجة"),
        ("بنسبة تتراوح بين 5.3% و5.5%", "بين 5.3% و5.5%", 5.3, 5.5, None),
        ("ونسبة تتراوح بين 10 و15 في المئة", "بين 10 و15 في المئة", 10, 15, None),
        ("للأطفال بين 5 أعوام و17", "بين 5 أعوام و17", 5, 17, "عام"),
        ("عاش بين 1885 و1957", "بين 1885 و1957", 1885, 1957, None),
    ],
)
def test_ranges_have_both_bounds_scaled(
    extractor: NumberExtractor, text: str, span: str, low: float, high: float, unit: str | None
) -> None:
    mention = only(extractor, text)
    assert (mention.kind, mention.text, mention.value, mention.high, mention.unit) == (
        "range",
        span,
        low,
        high,
        unit,
    )
