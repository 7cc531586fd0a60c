"""The numbers extractor against ../shared/specs/annotation.md, one group per convention.

Sentences are written in the manner of real news (wire copy, Gulf papers, sport pages); each test
names the rule it checks.
"""

from __future__ import annotations

import datetime as dt

import pytest

from services.numbers.extract import Mention, NumberExtractor

MAY_2018 = dt.date(2018, 5, 14)


@pytest.fixture(scope="module")
def extractor() -> NumberExtractor:
    return NumberExtractor()


def mentions(extractor: NumberExtractor, text: str, reference: dt.date | None = MAY_2018) -> list[Mention]:
    found = extractor.extract(text, reference_date=reference)
    for mention in found:
        assert text[mention.start : mention.end] == mention.text
    return found


def only(extractor: NumberExtractor, text: str, reference: dt.date | None = MAY_2018) -> Mention:
    found = mentions(extractor, text, reference)
    assert len(found) == 1, found
    return found[0]


# Span: the number only; the counted noun goes in `unit`, singular.


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("وأسفر الهجوم عن مقتل 14 جنديا وإصابة آخرين", "14", 14, "جندي"),
        ("وأكدت الوزارة مقتل 200 مسلح في الغارات", "200", 200, "مسلح"),
        ("وبلغت قيمة الصفقة 20 مليون دولار", "20 مليون", 20_000_000, "دولار"),
        ("وصادرت الشرطة ثلاثة آلاف قطعة سلاح", "ثلاثة آلاف", 3000, "قطعة"),
        ("وصل إلى المطار 350 حاجا من إندونيسيا", "350", 350, "حاج"),
        ("وتضم المدينة 12 مستشفى و40 مدرسة", "12", 12, "مستشفى"),
        ("وسجل الفريق 3 أهداف في الشوط الأول", "3", 3, "هدف"),
        ("وارتفع سعر البرميل إلى 75 دولارا", "75", 75, "دولار"),
    ],
)
def test_the_counted_noun_is_the_unit_outside_the_span(
    extractor: NumberExtractor, text: str, span: str, value: float, unit: str
) -> None:
    mention = mentions(extractor, text)[0]
    assert (mention.text, mention.value, mention.unit) == (span, value, unit)


@pytest.mark.parametrize(
    "text",
    [
        "مقتل 14 جنديا و200 آخرين",
        "وأصيب 30 شخصا بينهم 5 منهم في حالة خطيرة",
        "خلال الأعوام الثلاثة الماضية وفي 3 سنوات ماضية",
        "وأفرج عن 20 آخرون",
        "تعرض لخسارة 4 كبيرة",
        "في الأشهر 6 مقبلة",
        "في 5 شوال 1439 هـ الموافق 19 يونيو 2018 م",
        "بلغ 2,5 ر",
    ],
)
def test_adjectives_pronouns_and_era_markers_are_never_units(extractor: NumberExtractor, text: str) -> None:
    never = {"آخر", "آخرين", "آخرون", "منهم", "ماضية", "كبيرة", "مقبلة", "ر", "ه", "هـ", "م", "شوال"}
    assert not {mention.unit for mention in mentions(extractor, text)} & never


def test_a_detached_article_is_outside_the_span(extractor: NumberExtractor) -> None:
    mention = only(extractor, "وشارك في القمة قادة دول مجموعة الـ20")
    assert (mention.text, mention.value) == ("20", 20)


# Kinds and values.


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("ويبلغ عدد سكان البلاد 19.3 مليون نسمة", "19.3 مليون", 19_300_000),
        ("وتراجع النمو إلى 2.5 بالمئة سنويا بعد أن كان 1.7 نقطة", "1.7", 1.7),
        ("وخسرت العملة ثلثي قيمتها", "ثلثي", 0.6667),
        ("ويعيش ثلثا السكان تحت خط الفقر", "ثلثا", 0.6667),
        ("ونزح نصف مليون شخص", "نصف مليون", 500_000),
        ("واستغرقت الرحلة نصف ساعة", "نصف", 0.5),
        ("ويشكل الشباب ربع السكان", "ربع", 0.25),
    ],
)
def test_decimals_and_fractions(extractor: NumberExtractor, text: str, span: str, value: float) -> None:
    found = [m for m in mentions(extractor, text) if m.text == span]
    assert len(found) == 1, mentions(extractor, text)
    assert found[0].value == pytest.approx(value, rel=1e-3)
    assert found[0].kind in ("decimal", "duration")


@pytest.mark.parametrize("text", ["وتأهل المنتخب إلى نصف النهائي", "وخسر في ربع النهائي"])
def test_rounds_of_a_competition_are_not_fractions(extractor: NumberExtractor, text: str) -> None:
    assert mentions(extractor, text) == []


def test_a_quarter_of_the_year_is_a_fraction_and_an_ordinal(extractor: NumberExtractor) -> None:
    found = mentions(extractor, "وارتفع الناتج في الربع الأول من العام")
    assert [(m.text, m.kind, m.value) for m in found] == [("الربع", "decimal", 0.25), ("الأول", "ordinal", 1)]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("وخرج عشرات المتظاهرين إلى الشوارع", "عشرات", 10),
        ("وفر مئات العائلات من القرية", "مئات", 100),
        ("وشارك آلاف الحجاج", "آلاف", 1000),
        ("ونزح عشرات الآلاف من السكان", "عشرات الآلاف", 10_000),
        ("وبعد بضعة أيام من الهدنة", "بضعة", 3),
        ("ومضت بضع سنوات", "بضع", 3),
    ],
)
def test_vague_plurals_are_approximate(
    extractor: NumberExtractor, text: str, span: str, value: float
) -> None:
    mention = only(extractor, text)
    assert (mention.kind, mention.text, mention.value, mention.qualifier) == (
        "approximate",
        span,
        value,
        "approx",
    )


@pytest.mark.parametrize(
    ("text", "span", "value", "qualifier"),
    [
        ("وتوفي الفنان عن عمر 75 عاما", "75", 75, None),
        ("ويحظر القانون تشغيل من هم دون سن 18", "18", 18, "up_to"),
        ("يسمح بالتصويت لمن هم فوق سن الثامنة عشرة", "الثامنة عشرة", 18, "more_than"),
        ("لا يسمح بدخول الأطفال في سن الـ12", "12", 12, None),
        ("ومنع بيع السجائر لمن هم دون 18", "18", 18, "up_to"),
    ],
)
def test_ages_are_durations(
    extractor: NumberExtractor, text: str, span: str, value: float, qualifier: str | None
) -> None:
    mention = only(extractor, text)
    assert (mention.kind, mention.text, mention.value, mention.qualifier) == (
        "duration",
        span,
        value,
        qualifier,
    )


@pytest.mark.parametrize(
    "span",
    ["إيه 380", "إف-16", "5+1", "بولونيوم-210", "بوينغ 777", "ميغ 29", "كوفيد-19"],
)
def test_model_unit_and_code_numbers_are_identifiers(extractor: NumberExtractor, span: str) -> None:
    text = f"وتحدث التقرير عن {span} في سياق المفاوضات"
    mention = only(extractor, text)
    assert (mention.kind, mention.text, mention.value) == ("identifier", span, None)


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("وفاز الفريق باللقب للمرة الثالثة", "الثالثة", 3, "مرة"),
        ("وتعد هذه خطوة أولى نحو الحل", "أولى", 1, "خطوة"),
        ("وحل في المرتبة رابعة", "رابعة", 4, "مرتبة"),
        ("وهي ثاني مدينة في البلاد", "ثاني", 2, "مدينة"),
        ("وكانت أول زيارة له منذ توليه", "أول", 1, "زيارة"),
        ("وخسر المباراة الأولى والثانية", "الأولى", 1, "مباراة"),
    ],
)
def test_ordinals(extractor: NumberExtractor, text: str, span: str, value: float, unit: str) -> None:
    mention = mentions(extractor, text)[0]
    assert (mention.kind, mention.text, mention.value, mention.unit) == ("ordinal", span, value, unit)


def test_an_ordinal_after_a_conjunction_leaves_it_out(extractor: NumberExtractor) -> None:
    second = mentions(extractor, "وخسر المباراة الأولى والثانية")[1]
    assert (second.text, second.value) == ("الثانية", 2)


@pytest.mark.parametrize(
    "text",
    ["وأعلنت النتائج الأولية للانتخابات", "وفي التقرير الأولي للجنة", "أولاً نريد السلام", "ووصل أول من أمس"],
)
def test_initial_firstly_and_relative_days_are_not_ordinals(extractor: NumberExtractor, text: str) -> None:
    assert mentions(extractor, text) == []


@pytest.mark.parametrize(
    ("text", "span", "kind", "unit"),
    [
        ("وسجل هدفا واحداً فقط", "واحداً", "cardinal", "هدف"),
        ("وقتل شخص واحد", "واحد", "cardinal", "شخص"),
        ("وانتهى العمل في يوم واحد", "واحد", "duration", "يوم"),
        ("ووصلت واحدة فقط", "واحدة", "cardinal", None),
    ],
)
def test_one_in_words_counts_with_the_noun_before_it(
    extractor: NumberExtractor, text: str, span: str, kind: str, unit: str | None
) -> None:
    mention = only(extractor, text)
    assert (mention.kind, mention.text, mention.value, mention.unit) == (kind, span, 1, unit)


@pytest.mark.parametrize(
    ("text", "span", "kind", "value", "unit"),
    [
        ("وانطلقت الدورة الـ40 للمهرجان", "40", "ordinal", 40, "دورة"),
        ("وفي الجولة 38 من الدوري", "38", "ordinal", 38, "جولة"),
        ("وسجل في الدقيقة 82", "82", "ordinal", 82, "دقيقة"),
        ("خلال الساعات الـ48 الأولى", "48", "duration", 48, "ساعة"),
        ("في الأعوام الـ3 المقبلة", "3", "duration", 3, "عام"),
        ("خلال الأيام الثلاثة الماضية", "الثلاثة", "duration", 3, "يوم"),
        ("خلال السنوات العشر الأخيرة", "العشر", "duration", 10, "سنة"),
        ("واتفقت الدول الخمس على البيان", "الخمس", "cardinal", 5, "دولة"),
    ],
)
def test_a_number_after_its_noun(
    extractor: NumberExtractor, text: str, span: str, kind: str, value: float, unit: str
) -> None:
    mention = next(m for m in mentions(extractor, text) if m.text == span)
    assert (mention.kind, mention.value, mention.unit) == (kind, value, unit)


@pytest.mark.parametrize(
    ("text", "span", "unit"),
    [
        ("وتراجعت الأسعار خلال العامين الماضيين", "العامين", "عام"),
        ("ووصل الوفد قبل يومين", "يومين", "يوم"),
        ("واستمر الحصار شهرين", "شهرين", "شهر"),
    ],
)
def test_time_duals_are_durations_of_two(extractor: NumberExtractor, text: str, span: str, unit: str) -> None:
    mention = only(extractor, text)
    assert (mention.kind, mention.text, mention.value, mention.unit) == ("duration", span, 2, unit)


@pytest.mark.parametrize("text", ["والتقى الرئيسين في القمة", "وقتل شخصين", "ونشرت الصحيفتين الخبر"])
def test_other_duals_are_not_numbers(extractor: NumberExtractor, text: str) -> None:
    assert mentions(extractor, text) == []


@pytest.mark.parametrize(
    ("text", "span", "iso"),
    [
        ("ويبدأ الدوام الساعة الثامنة صباحا", "الثامنة صباحا", "08:00"),
        ("وعقد المؤتمر الواحدة ظهرا", "الواحدة ظهرا", "13:00"),
        ("وانطلقت المباراة في التاسعة مساء", "التاسعة مساء", "21:00"),
        ("وبدأ الإضراب في الساعة الثامنة والنصف صباحا", "الثامنة والنصف صباحا", "08:30"),
        ("ودوى الانفجار نحو الساعة 04,00 بتوقيت غرينتش", "04,00", "04:00"),
        ("وتفتح مراكز الاقتراع الساعة 7 صباحا", "7 صباحا", "07:00"),
        ("وأقلعت الطائرة عند 10:45 مساء", "10:45 مساء", "22:45"),
        ("ووقع الهجوم الحادية عشرة ليلا", "الحادية عشرة ليلا", "23:00"),
    ],
)
def test_times_in_words_and_digits(extractor: NumberExtractor, text: str, span: str, iso: str) -> None:
    mention = only(extractor, text)
    assert (mention.kind, mention.text, mention.iso) == ("time", span, iso)


def test_an_ordinal_alone_is_not_a_time(extractor: NumberExtractor) -> None:
    assert only(extractor, "وحل في المرتبة الثامنة").kind == "ordinal"


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("وقتل ما يقرب من 40 شخصا", "approx"),
        ("وأصيب ما لا يقل عن 12 شخصا", "at_least"),
        ("وشارك فوق 500 متطوع", "more_than"),
        ("وبلغ عدد الضحايا أقل من 20 شخصا", "up_to"),
    ],
)
def test_qualifiers_of_the_spec(extractor: NumberExtractor, text: str, qualifier: str) -> None:
    assert only(extractor, text).qualifier == qualifier


# Shapes of real writing found while scoring against read gold, each checked on sentences of our own.


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("وللاستفسار يمكن الاتصال على الرقم 920", "920"),
        ("بموجب القرار رقم 45 لعام 2017", "45"),
        ("صدر الأمر الملكي أ/ 120 بتعيينه", "أ/ 120"),
        ("وأقلعت الرحلة SV 1022 متجهة إلى القاهرة", "SV 1022"),
    ],
)
def test_numbers_that_name_are_identifiers(extractor: NumberExtractor, text: str, span: str) -> None:
    assert (span, "identifier") in {(m.text, m.kind) for m in mentions(extractor, text)}


@pytest.mark.parametrize(
    ("text", "value"),
    [("وحضر المباراة 45.000 متفرج", 45_000), ("وبلغ عدد السكان 1.250.000 نسمة", 1_250_000)],
)
def test_a_thousands_dot(extractor: NumberExtractor, text: str, value: float) -> None:
    mention = only(extractor, text)
    assert (mention.kind, mention.value) == ("cardinal", value)


def test_a_dot_before_a_scale_is_a_decimal_point(extractor: NumberExtractor) -> None:
    mention = only(extractor, "وبلغت الإيرادات 1.125 مليار دولار")
    assert (mention.kind, mention.value) == ("decimal", 1_125_000_000)


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("وتبلغ الكلفة ملياري دولار", "ملياري", 2e9),
        ("ويصل عدد المصلين إلى مليوني مصل", "مليوني", 2e6),
        ("وشارك مئتي متطوع", "مئتي", 200),
        ("ويبلغ الدين ألف مليار دولار", "ألف مليار", 1e12),
        ("وبلغ الناتج 2.3 تريليون ريال", "2.3 تريليون", 2.3e12),
    ],
)
def test_construct_duals_of_scales_and_large_scales(
    extractor: NumberExtractor, text: str, span: str, value: float
) -> None:
    mention = only(extractor, text)
    assert (mention.text, mention.value) == (span, pytest.approx(value))


def test_and_one_of_is_not_one(extractor: NumberExtractor) -> None:
    assert mentions(extractor, "وهو المدرب الأول للفريق وأحد أبرز نجومه")[0].text == "الأول"
    assert len(mentions(extractor, "وهو المدرب الأول للفريق وأحد أبرز نجومه")) == 1


@pytest.mark.parametrize(
    ("text", "span", "unit"),
    [
        ("وفاز لأول مرة", "أول", "مرة"),
        ("واكتفى بثاني مركز", "ثاني", "مركز"),
        ("وانطلقت في دورتها الـ12", "12", "دورة"),
    ],
)
def test_ordinals_after_clitics_and_possessives(
    extractor: NumberExtractor, text: str, span: str, unit: str
) -> None:
    mention = only(extractor, text)
    assert (mention.kind, mention.text, mention.unit) == ("ordinal", span, unit)


def test_a_number_after_a_possessive_is_no_position_without_the_detached_article(
    extractor: NumberExtractor,
) -> None:
    assert [m.kind for m in mentions(extractor, "عقب فوزه 2 على الوصل")] == ["cardinal"]


def test_a_time_dual_and_a_half(extractor: NumberExtractor) -> None:
    mention = only(extractor, "وتستغرق الرحلة بساعتين ونصف")
    assert (mention.kind, mention.text, mention.value, mention.unit) == (
        "duration",
        "ساعتين ونصف",
        2.5,
        "ساعة",
    )


def test_a_percent_and_an_amount_joined_by_to_are_no_range(extractor: NumberExtractor) -> None:
    found = mentions(extractor, "وارتفع العجز بنسبة 25 بالمئة إلى 7,1 مليار دولار")
    assert [(m.kind, m.text) for m in found] == [("percent", "25 بالمئة"), ("decimal", "7,1 مليار")]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("وفي يناير من العام الماضي", "2017-01"),
        ("وفي سبتمبر من العام الجاري", "2018-09"),
        ("وفي مارس من العام المقبل", "2019-03"),
        ("ويختتم المهرجان في 23 يوليو", "2018-07-23"),
    ],
)
def test_a_month_of_a_named_year(extractor: NumberExtractor, text: str, iso: str) -> None:
    assert only(extractor, text).iso == iso
