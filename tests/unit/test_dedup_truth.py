"""The independent dedup truth (benchmarks/dedup_truth.py) and the scoring of issue 19's evaluation,
on small hand-written Arabic articles: each relation comes out as its definition says."""

from __future__ import annotations

import pytest

from benchmarks import dedup_truth
from benchmarks.eval_dedup import (
    IndexedStories,
    copy_groups,
    pairs_within,
    pairwise,
    passage_pairs,
    same_cluster,
)
from services.dedup.verdict import EXACT, NEAR, PARTIAL, UNIQUE, Related, Verdict
from shared.arabic import tokens

FLOOD = [
    "هطلت أمطار غزيرة على مدينة الإسكندرية صباح اليوم الثلاثاء وأدت إلى غرق عدد من الشوارع الرئيسية.",
    "وقالت هيئة الأرصاد الجوية إن موجة الطقس السيئ ستستمر حتى نهاية الأسبوع مع رياح قوية على السواحل.",
    "وأعلنت المحافظة رفع درجة الاستعداد في جميع الأحياء ودفعت بسيارات شفط المياه إلى المناطق المنخفضة.",
    "وتعطلت حركة القطارات بين القاهرة والإسكندرية لعدة ساعات بسبب تجمع المياه على القضبان.",
    "وقرر وزير التربية والتعليم تعليق الدراسة في مدارس المحافظة يومين حفاظا على سلامة التلاميذ.",
    "ولم تسجل أي وفيات حتى الآن لكن الدفاع المدني أنقذ عشرات الأسر من منازل قديمة مهددة بالانهيار.",
    "وطالب سكان حي العجمي بتحسين شبكة الصرف التي تعجز كل شتاء عن استيعاب مياه الأمطار.",
    "ويتوقع خبراء المناخ أن تزداد هذه الظواهر المتطرفة في السنوات المقبلة مع ارتفاع حرارة البحر المتوسط.",
    "وناشدت الشرطة المواطنين عدم الخروج إلا للضرورة وتجنب الوقوف تحت أعمدة الكهرباء واللافتات.",
    "ومن المنتظر أن يعقد المحافظ مؤتمرا صحفيا مساء اليوم لإعلان حجم الخسائر وخطة التعويضات.",
]
ARTICLE = " ".join(FLOOD)
# the same words with diacritics, tatweel, other punctuation and line breaks: an exact copy
SAME_WORDS = (
    "هَطَلَتْ أمطـــار غَزِيرَةٌ على مدينة الإسكندرية، صباح اليوم الثلاثاء وأدت إلى غرق عدد من "
    "الشوارع الرئيسية!\n\n" + " ".join(FLOOD[1:])
)
# the last sentence rewritten: most 5-grams are still shared, so a near copy
EDITED = " ".join([*FLOOD[:-1], "وأكد المحافظ أن فرق الطوارئ ستواصل العمل طوال الليل."])
# a budget story that quotes two sentences of the flood story: a passage, not a copy
BUDGET = " ".join(
    [
        "ناقش مجلس النواب أمس مشروع موازنة العام المالي الجديد الذي يخصص مبالغ إضافية لتطوير البنية",
        "التحتية في المدن الساحلية. وأشار رئيس لجنة الخطة إلى أن شبكات الصرف المتهالكة تكلف الدولة",
        "خسائر كبيرة كل عام.",
        *FLOOD[5:7],
        "وينتظر أن يصوت المجلس على الموازنة في جلسته المقبلة بعد استكمال المناقشات.",
    ]
)
FOOTBALL = (
    "فاز فريق الأهلي على نظيره الزمالك بهدفين مقابل هدف واحد في المباراة التي أقيمت على استاد القاهرة "
    "الدولي مساء الجمعة. وسجل المهاجم الشاب الهدف الثاني في الدقائق الأخيرة ليمنح فريقه صدارة الدوري "
    "الممتاز بفارق ثلاث نقاط."
)
# an agency footer of 13 words, so 9 5-grams, that every short weather note below carries
FOOTER = "جميع الحقوق محفوظة لوكالة الأنباء العربية ويمنع نقل هذا الخبر دون ذكر المصدر"
FOOTER_GRAMS = 9
NOTES = 25


def note(n: int) -> str:
    """A short note whose every 5-gram of its own holds its number n, so notes share only the footer."""
    return f"سجلت محطة {n} أمطارا بلغت {n} ملم في قرية {n} {FOOTER}"


def notes(max_df: int) -> dedup_truth.Truth:
    return dedup_truth.build([(f"note-{n}", note(100 + n)) for n in range(NOTES)], max_df=max_df)


def test_the_same_words_with_other_marks_and_punctuation_are_an_exact_copy_of_the_earlier() -> None:
    truth = dedup_truth.build([("first", ARTICLE), ("again", SAME_WORDS), ("other", FOOTBALL)])
    assert truth.exact == {("again", "first")}
    assert truth.near == {("again", "first")}
    assert truth.copies == {"again"}


def test_one_sentence_rewritten_is_near_but_not_exact() -> None:
    truth = dedup_truth.build([("first", ARTICLE), ("edited", EDITED)])
    found = truth.score("first", "edited")
    assert found is not None
    assert 0.8 <= found.jaccard < 1.0
    assert truth.near == {("edited", "first")}
    assert truth.exact == set()
    assert truth.passage == set()  # near pairs are copies, not passages


def test_the_later_article_of_a_near_pair_is_the_copy_whichever_it_is() -> None:
    assert dedup_truth.build([("first", ARTICLE), ("edited", EDITED)]).copies == {"edited"}
    assert dedup_truth.build([("edited", EDITED), ("first", ARTICLE)]).copies == {"first"}


def test_a_quoted_paragraph_is_a_passage_between_two_heads_and_one_story() -> None:
    truth = dedup_truth.build([("flood", ARTICLE), ("budget", BUDGET), ("football", FOOTBALL)])
    found = truth.score("flood", "budget")
    assert found is not None
    assert found.containment >= 0.2 and found.jaccard < 0.8
    assert truth.passage == {("budget", "flood")}
    assert truth.near == set()
    assert truth.story["flood"] == truth.story["budget"] != truth.story["football"]


def test_containment_below_the_minimum_is_no_passage_and_no_story() -> None:
    found = dedup_truth.build([("flood", ARTICLE), ("budget", BUDGET)]).score("flood", "budget")
    assert found is not None
    strict = dedup_truth.build(
        [("flood", ARTICLE), ("budget", BUDGET)], min_containment=found.containment + 0.01
    )
    assert strict.passage == set()
    assert strict.story["flood"] != strict.story["budget"]


def test_a_copy_has_no_passages_but_its_passages_keep_it_in_the_story() -> None:
    truth = dedup_truth.build([("flood", ARTICLE), ("edited", EDITED), ("budget", BUDGET)])
    edited_budget = truth.score("edited", "budget")
    assert edited_budget is not None and edited_budget.containment >= 0.2
    assert truth.passage == {("budget", "flood")}  # not (budget, edited): edited is a copy
    assert truth.story["flood"] == truth.story["edited"] == truth.story["budget"]


def test_an_unrelated_article_shares_nothing_and_is_its_own_story() -> None:
    truth = dedup_truth.build([("flood", ARTICLE), ("budget", BUDGET), ("football", FOOTBALL)])
    assert truth.score("flood", "football") is None
    assert truth.score("budget", "football") is None
    assert list(truth.story.values()).count(truth.story["football"]) == 1


def test_a_footer_in_more_than_max_df_articles_is_boilerplate_and_links_nothing() -> None:
    capped = notes(max_df=NOTES - 1)
    assert capped.boilerplate_grams == FOOTER_GRAMS
    assert capped.score("note-0", "note-1") is None
    assert capped.passage == set()
    assert len(set(capped.story.values())) == NOTES
    assert capped.grams["note-0"] == len(dedup_truth.gram_hashes(tokens(note(100)))) - FOOTER_GRAMS


def test_the_same_footer_within_max_df_links_every_note() -> None:
    counted = notes(max_df=NOTES)
    found = counted.score("note-0", "note-1")
    assert counted.boilerplate_grams == 0
    assert found is not None and found.shared == FOOTER_GRAMS
    assert len(counted.passage) == NOTES * (NOTES - 1) // 2
    assert len(set(counted.story.values())) == 1


def test_a_text_shorter_than_a_gram_is_one_gram_and_empty_text_none() -> None:
    assert len(dedup_truth.gram_hashes(["عاجل", "الآن"])) == 1
    assert len(dedup_truth.gram_hashes([])) == 0
    truth = dedup_truth.build([("a", "عاجل الآن"), ("b", "عاجلٌ، الآن!")])
    assert truth.exact == {("a", "b")}


def test_one_id_is_one_document() -> None:
    with pytest.raises(ValueError, match="distinct"):
        dedup_truth.build([("a", ARTICLE), ("a", EDITED)])


def test_pairwise_precision_and_recall() -> None:
    found = pairwise({("a", "b"), ("a", "c"), ("b", "d")}, {("a", "b"), ("b", "d"), ("c", "d"), ("d", "e")})
    assert (found.true_positives, found.predicted, found.truth) == (2, 3, 4)
    assert found.precision == pytest.approx(2 / 3)
    assert found.recall == pytest.approx(1 / 2)
    assert found.f1 == pytest.approx(4 / 7)


def test_nothing_predicted_has_no_precision() -> None:
    found = pairwise(set(), {("a", "b")})
    assert (found.precision, found.recall, found.f1) == (None, 0.0, None)


def test_clusterings_are_scored_on_the_pairs_they_put_together() -> None:
    # predicted {a b c} {d}: pairs ab ac bc; truth {a b} {c d}: pairs ab cd; only ab is in both
    found = same_cluster({"a": "1", "b": "1", "c": "1", "d": "2"}, {"a": 7, "b": 7, "c": 8, "d": 8})
    assert (found.true_positives, found.predicted, found.truth) == (1, 3, 2)
    assert found.precision == pytest.approx(1 / 3)
    assert found.recall == pytest.approx(1 / 2)


def test_copies_group_with_their_head_and_passages_leave_the_group_out() -> None:
    def verdict(status: str, duplicate_of: str | None = None, related: tuple[str, ...] = ()) -> Verdict:
        return Verdict(status, "a", 1, duplicate_of, None, [Related(r, 0.3, []) for r in related])

    final = {
        "a": verdict(PARTIAL, related=("d",)),
        "b": verdict(NEAR, "a", related=("a", "d")),  # (b, a) is inside the group, (b, d) is listed
        "c": verdict(EXACT, "a"),
        "d": verdict(PARTIAL, related=("a",)),
        "e": verdict(UNIQUE),
    }
    groups = copy_groups(final)
    assert pairs_within(groups) == {("a", "b"), ("a", "c"), ("b", "c")}
    assert passage_pairs(final, groups) == {("a", "d"), ("b", "d")}


def test_a_revision_into_another_story_moves_the_whole_old_story_as_the_indexer_does() -> None:
    stories = IndexedStories()
    for article, story in (("head", "old"), ("copy", "old"), ("other", "new"), ("alone", "third")):
        stories.place(article, story)
    stories.revise("head", "new")
    assert stories.of == {"head": "new", "copy": "new", "other": "new", "alone": "third"}
    stories.revise("alone", "third")  # the same story: nothing moves
    assert stories.of["alone"] == "third"
