"""The CRF work of issue 17: corpora read as running text, gold spans as token labels, the rules'
reading unchanged by keeping its candidates, and the committed model scored on NewsFANEGold's
held-out documents and on the ANT gold, against the rules in the same run. The scored tests
skip, saying why, without the corpora in ../shared (AKHBAR_SHARED)."""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

from pathlib import Path

import numpy as np
import pycrfsuite
import pytest

from benchmarks import entity_models, realnews
from services.entities import conventions, corpora, stacked
from services.entities.features import Featurizer
from services.entities.model import (
    CHOSEN,
    Tagger,
    everyday_words,
    gold_labels,
    load_everyday,
    model_path,
    repeated,
    spans,
    viterbi,
)
from services.entities.recognizer import Recognizer
from services.entities.stacked import Combined

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
MODEL = model_path(CHOSEN)


@pytest.fixture(scope="module")
def rules() -> Recognizer:
    return Recognizer.load()


@pytest.fixture(scope="module")
def combined(rules: Recognizer) -> Combined:
    found = stacked.load("crf")
    assert isinstance(found, Combined)
    return found


def test_rebuilt_text_joins_detached_clitics() -> None:
    classes = {("aqmar", "LOC"): "LOCATION", ("aqmar", "MIS"): None}
    tokens = [
        ("زار", "O"),
        ("و", "O"),
        ("باريس", "B-LOC"),
        ("و", "O"),
        ("لندن", "B-LOC"),
        ("تيتانيك", "B-MIS"),
    ]
    text, entities = corpora.rebuild(tokens, "aqmar", classes)
    assert text == "زار وباريس ولندن تيتانيك"
    assert [text[s:e] for s, e, _ in entities] == ["باريس", "لندن"]


def test_rebuilt_text_joins_the_endings_newsfane_writes_apart() -> None:
    classes = {("fane", "Politician"): "PERSON"}
    tokens = [
        ("قال", "O"),
        ("رئيس", "O"),
        ("ها", "O"),
        ("غلام", "B-Politician"),
        ("رضا", "I-Politician"),
        ("زاد", "I-Politician"),
        ("ه", "I-Politician"),
        ("ان", "O"),
        ("ن", "O"),
        ("ي", "O"),
        ("لفضيلة", "O"),
        ("ه", "O"),
        ("ا", "O"),
        ("سرائيلية", "O"),
        ("على", "O"),
        ("75", "O"),
        ("كم", "O"),
    ]
    text, entities = corpora.rebuild(tokens, "fane", classes)
    assert text == "قال رئيسها غلام رضا زاده انني لفضيلته اسرائيلية على 75 كم"
    assert [text[s:e] for s, e, _ in entities] == ["غلام رضا زاده"]


def test_a_name_found_once_is_found_wherever_it_stands_again(rules: Recognizer) -> None:
    text = "التقى جوتشولك بالوزير. وقال جوتشولك إن الأمر انتهى، ثم غادر الوزير وجوتشولك"
    article = rules.read(text).article
    first = next(i for i, t in enumerate(article.tokens) if t.raw == "جوتشولك")
    found = repeated(article, [(first, first, "PERSON")])
    assert [article.tokens[a].raw for a, _, _ in found] == ["جوتشولك", "جوتشولك", "وجوتشولك"]
    assert {t for _, _, t in found} == {"PERSON"}
    # a stop word is never a name to repeat, nor is a token already taken
    stop = next(i for i, t in enumerate(article.tokens) if t.raw == "إن")
    assert repeated(article, [(stop, stop, "PERSON")]) == [(stop, stop, "PERSON")]


def test_documents_keep_offsets() -> None:
    sentences = [("في باريس", [(3, 8, "LOCATION")]), ("قال زيد", [(4, 7, "PERSON")])]
    (doc,) = corpora.documents(sentences)
    assert [doc.text[s:e] for s, e, _ in doc.entities] == ["باريس", "زيد"]


def test_gold_labels_and_spans_round_trip(rules: Recognizer) -> None:
    text = "قال وزير الخارجية سيرغي لافروف في موسكو"
    start = text.index("سيرغي")
    entities = ((start, start + len("سيرغي لافروف"), "PERSON"), (text.index("موسكو"), len(text), "LOCATION"))
    article = rules.read(text).article
    labels, projected = gold_labels(article, entities)
    assert labels == ["O", "O", "O", "B-PERSON", "I-PERSON", "O", "B-LOCATION"]
    assert list(spans(labels)) == projected == [(3, 4, "PERSON"), (6, 6, "LOCATION")]


def test_reading_is_what_recognize_returns(rules: Recognizer) -> None:
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        reading = rules.read(text)
        assert [m for _, m in reading.mentions] == rules.recognize(text).mentions
        assert all(c.source for c, _ in reading.mentions)


@pytest.mark.skipif(not MODEL.exists(), reason=f"no model at {MODEL} (make model)")
def test_model_offsets_are_exact(combined: Combined) -> None:
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        for m in combined.recognize(text).mentions:
            assert text[m.start : m.end] == m.text
            assert m.canonical


@pytest.mark.skipif(not MODEL.exists(), reason=f"no model at {MODEL} (make model)")
def test_decoding_the_weights_gives_crfsuites_own_labels(rules: Recognizer) -> None:
    featurizer = Featurizer(CHOSEN.stacked)
    ours = Tagger(featurizer, MODEL)
    theirs = pycrfsuite.Tagger()
    theirs.open(str(MODEL))
    # sentences of one token, of two, and longer, side by side in one article; and no text at all
    texts = [p.read_text(encoding="utf-8") for p in SEEDS] + ["قال. لافروف في موسكو! نعم", ""]
    for text in texts:
        reading = rules.read(text)
        expected = [label for sequence in featurizer.article(reading) for label in theirs.tag(sequence)]
        assert ours.best(reading) == expected
    assert sum(len(ours.spans(rules.read(t))) for t in texts) > 20  # the seeds' names are found


def test_viterbi_takes_the_best_path_not_the_best_label_of_each_token() -> None:
    # labels O and B; B after B is heavily penalised, so the second token's better B is given up
    transitions = np.array([[0.0, 0.0], [0.0, -10.0]])
    scores = [np.array([[0.0, 3.0], [0.0, 1.0], [0.0, 2.0]]), np.array([[1.0, 0.0]])]
    assert viterbi(scores, transitions) == [[1, 0, 1], [0]]


@pytest.mark.skipif(not MODEL.exists(), reason=f"no model at {MODEL} (make model)")
def test_with_the_model_every_seed_is_still_about_aleppo_and_lavrov_one_person(combined: Combined) -> None:
    # what tests/e2e/test_pipeline.py asks of the rules, asked of the service's other recogniser
    found = {path.name[:3]: combined.recognize(path.read_text(encoding="utf-8")).counts() for path in SEEDS}
    assert all(("حلب", "LOCATION") in {(c, t) for c, t, _ in counts} for counts in found.values())
    lavrov = {seed for seed, counts in found.items() if any("لافروف" in c for c, _, _ in counts)}
    assert lavrov == {"001", "003", "004"}
    assert {c for counts in found.values() for c, _, _ in counts if "لافروف" in c} == {"سيرغي لافروف"}


def test_a_place_only_the_model_found_is_linked_to_geonames_as_the_rules_link_it(rules: Recognizer) -> None:
    text = "وصلت القوات إلى حلب وقال الصحفي جوتشولك"
    article = rules.read(text).article
    at = {t.raw: i for i, t in enumerate(article.tokens)}
    linked = stacked.link(article, [(at["حلب"], at["حلب"], "LOCATION")], {})
    (aleppo,) = [m for _, m in linked]
    listed = next(m for m in rules.recognize(text).mentions if m.text == "حلب")
    assert (aleppo.canonical, aleppo.geonames_id, aleppo.country_code) == (
        listed.canonical,
        listed.geonames_id,
        "SY",
    )
    assert aleppo.lat is not None and aleppo.lon is not None
    # an unlisted name keeps its words as written, and no coordinates
    (other,) = [m for _, m in stacked.link(article, [(at["جوتشولك"], at["جوتشولك"], "ORGANIZATION")], {})]
    assert (other.canonical, other.geonames_id) == ("جوتشولك", None)
    # its hamza too, and a hashtag's underscores are spaces
    tagged = rules.read("أعلنت #أرامكو_إنترناشيونال عن").article
    (company,) = [m for _, m in stacked.link(tagged, [(1, 2, "ORGANIZATION")], {})]
    assert company.canonical == "أرامكو إنترناشيونال"


def _conformed(rules: Recognizer, text: str, words: str, type_: str) -> list[str]:
    """The model's span over ``words`` (tokens: words without their punctuation) in ``text``, as
    ``conventions.conformed`` leaves it, its pieces' words."""
    article = rules.read(text).article
    raw = [t.raw for t in article.tokens]
    n = len(words.split())
    first = next(i for i in range(len(raw)) if raw[i : i + n] == words.split())
    kept = conventions.conformed(article, [(first, first + n - 1, type_)])
    return [" ".join(raw[a : b + 1]) for a, b, _ in kept]


def test_a_name_a_place_head_opens_is_a_place(rules: Recognizer) -> None:
    for text, words in (("دخلوا حي هنانو أمس", "حي هنانو"), ("دخلوا مدينة سلمان أمس", "مدينة سلمان")):
        article = rules.read(text).article
        first = [t.raw for t in article.tokens].index(words.split()[0])
        ((_, _, type_),) = conventions.conformed(article, [(first, first + 1, "PERSON")])
        assert type_ == "LOCATION", text
    # a person alone stays one
    article = rules.read("قال سلمان أمس").article
    assert conventions.conformed(article, [(1, 1, "PERSON")]) == [(1, 1, "PERSON")]


@pytest.mark.parametrize(
    ("text", "model_found", "kept"),
    [
        # punctuation inside a span cuts it, and a head noun left alone is no mention
        ('قال تنظيم "داعش" إن', ("تنظيم داعش", "ORGANIZATION"), ["داعش"]),
        ("التقى ماكرون، ميركل أمس", ("ماكرون ميركل", "PERSON"), ["ماكرون", "ميركل"]),
        # guillemets stay inside a name
        (
            "فاز حزب «العدالة والتنمية» أمس",
            ("حزب العدالة والتنمية", "ORGANIZATION"),
            ["حزب العدالة والتنمية"],
        ),
        # an administrative head that is not of the name, and one that is
        ("دخلوا مدينة تدمر أمس", ("مدينة تدمر", "LOCATION"), ["تدمر"]),
        ("دخلوا حي هنانو أمس", ("حي هنانو", "LOCATION"), ["حي هنانو"]),
        # a direction before a place, unless the whole is a listed name
        ("وصلوا إلى جنوب فرنسا أمس", ("جنوب فرنسا", "LOCATION"), ["فرنسا"]),
        ("وصلوا إلى جنوب السودان أمس", ("جنوب السودان", "LOCATION"), ["جنوب السودان"]),
        # a word of time after a name, unless the whole is a listed name
        ("وقالت وزارة الصحة اليوم إن", ("وزارة الصحة اليوم", "ORGANIZATION"), ["وزارة الصحة"]),
        ("وذكرت قناة روسيا اليوم أن", ("روسيا اليوم", "ORGANIZATION"), ["روسيا اليوم"]),
        # a descriptor head before a name, not before everyday words
        ("ذكرت وكالة الأناضول أن", ("وكالة الأناضول", "ORGANIZATION"), ["الأناضول"]),
        # one everyday word in the name is not enough to keep the head (فرانس)
        ("أفادت وكالة فرانس برس أن", ("وكالة فرانس برس", "ORGANIZATION"), ["فرانس برس"]),
        (
            "ذكرت وكالة الأنباء السعودية أن",
            ("وكالة الأنباء السعودية", "ORGANIZATION"),
            ["وكالة الأنباء السعودية"],
        ),
        # a nationality adjective or a title before a person, unless it is a given name too
        ("سجل المصري محمد صلاح هدفا", ("المصري محمد صلاح", "PERSON"), ["محمد صلاح"]),
        ("وصل البابا فرانسيس أمس", ("البابا فرانسيس", "PERSON"), ["فرانسيس"]),
        ("قال تركي آل الشيخ إن", ("تركي آل الشيخ", "PERSON"), ["تركي آل الشيخ"]),
        # an everyday word before a title goes with it, but not a name's own عبد
        ("وخطب داعيا المشير خليفة حفتر إلى", ("داعيا المشير خليفة حفتر", "PERSON"), ["خليفة حفتر"]),
        ("قال عبد الأمير يارالله إن", ("عبد الأمير يارالله", "PERSON"), ["عبد الأمير يارالله"]),
    ],
)
def test_model_spans_are_cut_as_the_annotation_spec_cuts_names(
    rules: Recognizer, text: str, model_found: tuple[str, str], kept: list[str]
) -> None:
    assert _conformed(rules, text, *model_found) == kept


def test_a_descriptor_head_before_an_everyday_word_goes_where_the_article_writes_the_name_alone(
    rules: Recognizer,
) -> None:
    # طالبان is also "students": the head stays unless the article names the movement alone too
    text = "هاجمت حركة طالبان المدينة، وقالت طالبان إن"
    article = rules.read(text).article
    raw = [t.raw for t in article.tokens]
    headed = (raw.index("حركة"), raw.index("حركة") + 1, "ORGANIZATION")
    alone = (raw.index("وقالت") + 1, raw.index("وقالت") + 1, "ORGANIZATION")
    kept = conventions.conformed(article, [headed, alone])
    assert [" ".join(raw[a : b + 1]) for a, b, _ in kept] == ["طالبان", "طالبان"]
    only_headed = conventions.conformed(article, [headed])
    assert [" ".join(raw[a : b + 1]) for a, b, _ in only_headed] == ["حركة طالبان"]


def test_a_proclitic_on_an_unknown_name_is_cut_only_where_the_article_writes_the_name_alone(
    rules: Recognizer,
) -> None:
    text = "وأشار لهتلر مرة ثم تحدث عن هتلر في بيونغ يانغ"
    article = rules.read(text).article
    at = {t.raw: i for i, t in enumerate(article.tokens)}
    linked = {m.text: m for _, m in stacked.link(article, [(at["لهتلر"], at["لهتلر"], "PERSON")], {})}
    assert "هتلر" in linked  # ل + هتلر, since هتلر stands alone too
    (place,) = [m for _, m in stacked.link(article, [(at["بيونغ"], at["يانغ"], "LOCATION")], {})]
    assert place.text == "بيونغ يانغ"  # not ب + the given name يونغ


def test_a_model_span_inside_a_longer_listed_name_takes_the_listed_name(rules: Recognizer) -> None:
    reading = rules.read('وأكدت شبكة "أن بي سي" أن')
    article = reading.article
    at = {t.raw: i for i, t in enumerate(article.tokens)}
    inner = stacked.link(article, [(at["بي"], at["سي"], "ORGANIZATION")], {})
    listed = [(c, m) for c, m in reading.mentions if c.source == "gazetteer"]
    (chosen,) = [m for _, m in stacked.within_listed(article, inner, listed)]
    assert (chosen.text, chosen.canonical) == ("أن بي سي", "شبكة إن بي سي")
    # but a listed name that is only a descriptor head more, where the article writes the rest
    # alone too, gives its canonical, not its extent (حركة طالبان and طالبان)
    reading = rules.read("هاجمت حركة طالبان المدينة، وقالت طالبان إن")
    article = reading.article
    raw = [t.raw for t in article.tokens]
    spans = [(k, k, "ORGANIZATION") for k, word in enumerate(raw) if word == "طالبان"]
    listed = [(c, m) for c, m in reading.mentions if c.source == "gazetteer"]
    assert [m.text for _, m in listed] == ["حركة طالبان", "طالبان"]
    chosen = [m for _, m in stacked.within_listed(article, stacked.link(article, spans, {}), listed)]
    assert [(m.text, m.canonical) for m in chosen] == [("طالبان", listed[0][1].canonical)] * 2


def test_a_listed_person_found_by_the_model_keeps_the_listed_canonical(rules: Recognizer) -> None:
    article = rules.read("التقى الزعيم الكوري كيم جونغ-أون بالرئيس").article
    at = {t.raw: i for i, t in enumerate(article.tokens)}
    (kim,) = [m for _, m in stacked.link(article, [(at["كيم"], at["أون"], "PERSON")], {})]
    assert (kim.text, kim.canonical) == ("كيم جونغ-أون", "كيم جونغ أون")


def test_a_person_the_model_named_in_full_is_found_by_family_name_too(rules: Recognizer) -> None:
    text = "استثمر الملياردير برايان أكتون في الشركة. وسيعمل أكتون مع مؤسسها، وقال أكتون إن"
    article = rules.read(text).article
    at = {t.raw: i for i, t in enumerate(article.tokens)}
    linked = stacked.link(article, [(at["برايان"], at["برايان"] + 1, "PERSON")], {})
    assert [m.text for _, m in linked] == ["برايان أكتون", "أكتون", "أكتون"]
    assert {m.canonical for _, m in linked} == {"برايان اكتون"}  # a person's usual spelling


class _Says:
    """A labeller that finds the given token spans, whatever the text."""

    def __init__(self, found: list[tuple[int, int, str]]) -> None:
        self.found = found

    def spans(self, reading: object) -> list[tuple[int, int, str]]:
        return self.found


def test_a_body_the_model_runs_into_a_person_the_rules_found_stops_before_the_person() -> None:
    # رئيس مجلس النواب نبيه بري: tokens 1-3 the model's organisation, 3-4 the rules' person
    assert stacked.before_people([(1, 3, "ORGANIZATION"), (3, 4, "PERSON")], [(3, 4)]) == [
        (1, 2, "ORGANIZATION"),
        (3, 4, "PERSON"),
    ]
    # a person inside a body's name (جامعة الملك سعود) does not cut it
    assert stacked.before_people([(0, 2, "ORGANIZATION")], [(2, 2)]) == [(0, 2, "ORGANIZATION")]


def test_a_nationality_adjective_the_model_calls_a_place_is_no_place(rules: Recognizer) -> None:
    text = "وقالت إن الطائرات السعودية وصلت"
    at = {t.raw: i for i, t in enumerate(rules.read(text).article.tokens)}
    labeller = _Says([(at["السعودية"], at["السعودية"], "LOCATION")])
    found = Combined(rules, labeller, stacked.Order.MODEL).recognize(text)
    assert not found.mentions
    assert [d.text for d in found.demonyms] == ["السعودية"]


def _read_as(rules: Recognizer, text: str, word: str, type_: str) -> list[str]:
    """The mentions of ``type_`` kept where the labeller reads the token ``word`` as one."""
    at = {t.raw: i for i, t in enumerate(rules.read(text).article.tokens)}
    labeller = _Says([(at[word], at[word], type_)])
    found = Combined(rules, labeller, stacked.Order.MODEL_FIRST).recognize(text)
    return [m.text for m in found.mentions if m.type == type_]


def test_a_small_town_that_is_the_family_name_of_a_person_named_in_full_is_that_person(
    rules: Recognizer,
) -> None:
    def read(text: str, person: str, town: str) -> tuple[str, str]:
        """What the town's last occurrence is where the labeller reads ``person`` as a person
        and that occurrence as a place, as the trained one did."""
        tokens = [t.raw for t in rules.read(text).article.tokens]
        first, at = tokens.index(person.split()[0]), len(tokens) - 1 - tokens[::-1].index(town)
        labeller = _Says([(first, first + len(person.split()) - 1, "PERSON"), (at, at, "LOCATION")])
        found = Combined(rules, labeller, stacked.Order.MODEL_FIRST).recognize(text)
        return next((m.type, m.canonical) for m in found.mentions if m.text == town)

    # كوبر is Kobar in the West Bank for GeoNames, a LOCATION in 94 ANT articles about the coach
    text = "قال المدرب هيكتور كوبر إن الفريق جاهز. وأجرى كوبر تغييرات على التشكيلة"
    assert read(text, "هيكتور كوبر", "كوبر") == ("PERSON", "هيكتور كوبر")
    # where no person of that name is named in full, the town stays; and a large city stays
    # whoever shares its name
    assert read("وصل الوفد إلى كوبر. وقال سعيد إن", "سعيد", "كوبر")[0] == "LOCATION"
    text = "وقال إن جورج واشنطن كان أول رئيس. ووصل الوفد إلى واشنطن"
    assert read(text, "جورج واشنطن", "واشنطن")[0] == "LOCATION"


def test_a_listed_body_is_no_short_form_of_a_person_the_model_made_with_it(rules: Recognizer) -> None:
    # the labeller read مسلحو داعش ("IS gunmen") as a person; داعش alone elsewhere stays the group
    text = "وقال إن مسلحو داعش هاجموا القرية. ولم يعد داعش يسيطر على المدينة"
    tokens = [t.raw for t in rules.read(text).article.tokens]
    labeller = _Says([(tokens.index("مسلحو"), tokens.index("مسلحو") + 1, "PERSON")])
    found = Combined(rules, labeller, stacked.Order.MODEL_FIRST).recognize(text)
    last = max((m for m in found.mentions if m.text == "داعش"), key=lambda m: m.start)
    assert (last.type, last.canonical) == ("ORGANIZATION", "تنظيم الدولة الإسلامية")


def _labeller_reads_from(rules: Recognizer, text: str, word: str) -> list[tuple[str, str]]:
    """Text and canonical of each mention when the labeller reads an organisation of ``word`` and
    the word after it."""
    tokens = [t.raw for t in rules.read(text).article.tokens]
    at = tokens.index(word)
    labeller = _Says([(at, at + 1, "ORGANIZATION")])
    found = Combined(rules, labeller, stacked.Order.MODEL_FIRST).recognize(text)
    return [(m.text, m.canonical) for m in found.mentions]


def test_a_descriptor_head_before_a_listed_name_the_rules_found_alone_is_left_out(rules: Recognizer) -> None:
    # شركة فيسبوك was a facet value of its own (74 ANT articles) beside فيسبوك: the corpora write
    # الفيسبوك so often that فيسبوك counts as an everyday word, which keeps a head before it
    text = "أعلنت شركة فيسبوك أمس عن تحديث جديد"
    assert _labeller_reads_from(rules, text, "شركة") == [("فيسبوك", "فيسبوك")]
    # a head the list names with the name stays, and so does the canonical the list gives it
    text = "هاجمت حركة طالبان المدينة"
    assert _labeller_reads_from(rules, text, "حركة") == [("حركة طالبان", "حركة طالبان")]


def test_a_short_form_that_counts_only_beside_the_full_name_casts_no_gazetteer_vote(
    rules: Recognizer,
) -> None:
    # الريال is Real Madrid's only where the article names the club (organizations.tsv, coref:)
    tags = Featurizer(False).gazetteer_tags(rules.read("تراجع الريال أمام الدولار").article)
    assert tags == ["", "", "", ""]
    tags = Featurizer(False).gazetteer_tags(rules.read("فاز ريال مدريد").article)
    assert tags == ["", "B-org", "I-org"]


def test_a_currency_in_an_amount_or_a_rate_is_no_organisation(rules: Recognizer) -> None:
    # الريال is Iran's and Saudi Arabia's rial and Real Madrid's short name: the labeller read
    # both as the organisation الريال (302 ANT articles, about half each)
    assert _read_as(rules, "بلغ العجز 35.3 مليار ريال في يونيو", "ريال", "ORGANIZATION") == []
    assert _read_as(rules, "وبلغ السعر 500 ريال للطن", "ريال", "ORGANIZATION") == []
    assert _read_as(rules, "واصل سعر صرف الريال الانهيار", "الريال", "ORGANIZATION") == []
    assert _read_as(rules, "عمقت العقوبات أزمة الريال الإيراني", "الريال", "ORGANIZATION") == []
    assert _read_as(rules, "وتعادل الريال مع بايرن مساء الثلاثاء", "الريال", "ORGANIZATION") == ["الريال"]


def test_a_name_that_names_a_prize_is_no_person(rules: Recognizer) -> None:
    # جائزة نوبل: نوبل was a person in 123 ANT articles
    assert _read_as(rules, "فاز الكاتب بجائزة نوبل للآداب", "نوبل", "PERSON") == []
    assert _read_as(rules, 'رشح اسمه لنيل جائزة "نوبل" للسلام', "نوبل", "PERSON") == []
    assert _read_as(rules, "وقال نوبل إن الاختراع خطير", "نوبل", "PERSON") == ["نوبل"]


@pytest.mark.skipif(not MODEL.exists(), reason=f"no model at {MODEL} (make model)")
def test_the_model_keeps_no_person_made_of_everyday_words(combined: Combined) -> None:
    text = "يجب استثمار المدخرات بطريقة آمنة وضمان بيئة عمل مناسبة وآمنة"
    assert not [m for m in combined.recognize(text).mentions if m.type == "PERSON"]


def test_everyday_words_are_those_the_corpora_seldom_write_inside_a_name(rules: Recognizer) -> None:
    text = "وقال بشكل عام إن بشكل ما و بشكل آخر ثم قال كارتر إن كارتر وكارتر"
    reading = rules.read(text)
    words = [w.bare for w in reading.article.words]
    labels = ["B-PERSON" if w == "كارتر" else "O" for w in words]
    found = everyday_words([(reading, labels)])
    assert "بشكل" in found  # three times, never in a name
    assert "كارتر" not in found  # three times, always in one
    assert "عام" not in found  # once only
    # one time in five inside a name is still everyday, more is not
    assert "بشكل" not in everyday_words([(reading, ["B-PERSON" if w == "بشكل" else "O" for w in words])])


def _raw_tokens(rules: Recognizer, text: str) -> list[str]:
    return [t.raw for t in rules.read(text).article.tokens]


def test_a_listed_body_keeps_the_lists_type_and_a_place_the_models(rules: Recognizer) -> None:
    text = "وقال الكرملين إن فريق برشلونة فاز"
    raw = _raw_tokens(rules, text)
    kremlin, barcelona = raw.index("الكرملين"), raw.index("برشلونة")
    labeller = _Says([(kremlin, kremlin, "LOCATION"), (barcelona, barcelona, "ORGANIZATION")])
    found = Combined(rules, labeller, stacked.Order.MODEL).recognize(text)
    # organizations.tsv names the Kremlin; GeoNames' city may be its team
    assert [(m.text, m.type) for m in found.mentions] == [
        ("الكرملين", "ORGANIZATION"),
        ("برشلونة", "ORGANIZATION"),
    ]


def test_the_short_form_of_a_person_the_model_names_in_full_stays_a_person(rules: Recognizer) -> None:
    text = "وصل دونالد ترامب إلى باريس. وأشار البيان إلى أن ترامب سيعود"
    raw = _raw_tokens(rules, text)
    full, short = raw.index("دونالد"), len(raw) - 1 - raw[::-1].index("ترامب")
    for named_in_full in (True, False):
        found = [(full, full + 1, "PERSON")] if named_in_full else []
        labeller = _Says([*found, (short, short, "LOCATION")])
        mentions = Combined(rules, labeller, stacked.Order.MODEL).recognize(text).mentions
        last = next(m for m in mentions if m.start == rules.read(text).article.tokens[short].start)
        # the rules' coreference types it only when the model agrees on the full name
        assert last.type == ("PERSON" if named_in_full else "LOCATION")


def test_no_person_is_made_of_words_the_corpora_hardly_name_with(rules: Recognizer) -> None:
    # the model's person, where the rules found none
    text = "وأشار إلى أن الحصار مستمر ولا أحد يتحدث عنه"
    i = _raw_tokens(rules, text).index("ولا")
    labeller = _Says([(i, i, "PERSON")])
    kept = Combined(rules, labeller, stacked.Order.MODEL).recognize(text)
    assert [m.text for m in kept.mentions] == ["ولا"]
    assert not Combined(rules, labeller, stacked.Order.MODEL, frozenset({"ولا"})).recognize(text).mentions
    # the rules' person of context (after قال), the model finding nothing or the same
    text = "وقال بشكل واضح إن الأمر انتهى"
    for found in ([], [(1, 1, "PERSON")]):
        for order in stacked.Order:
            if order is stacked.Order.MODEL and not found:
                continue
            plain = Combined(rules, _Says(found), order).recognize(text)
            assert [m.text for m in plain.mentions] == ["بشكل"]
            assert not Combined(rules, _Says(found), order, frozenset({"بشكل"})).recognize(text).mentions


def test_the_repetitions_of_a_person_of_everyday_words_go_with_it(rules: Recognizer) -> None:
    # the rules read ولا after وقال as a person, then find it again wherever ولا stands
    text = "وقال ولا إن الوضع صعب. ولا أحد يعرف ولا يهتم"
    assert len(rules.recognize(text).mentions) == 3
    for order in stacked.Order:
        assert not Combined(rules, _Says([]), order, frozenset({"ولا"})).recognize(text).mentions


def test_a_model_person_opening_with_a_peoples_noun_in_the_plural_is_none(rules: Recognizer) -> None:
    text = "وقال مون للصحافيين إن القمة ناجحة"
    i = _raw_tokens(rules, text).index("للصحافيين")
    found = Combined(rules, _Says([(i, i, "PERSON")]), stacked.Order.MODEL).recognize(text)
    assert "للصحافيين" not in [m.text for m in found.mentions]


def test_a_short_name_the_article_gives_in_full_is_kept_though_the_corpora_seldom_name_with_it(
    rules: Recognizer,
) -> None:
    text = "وصلت تيريزا ماي إلى بروكسل. وقالت ماي إن المحادثات صعبة"
    raw = _raw_tokens(rules, text)
    first, again = raw.index("تيريزا"), len(raw) - 1 - raw[::-1].index("ماي")
    labeller = _Says([(first, first + 1, "PERSON"), (again, again, "PERSON")])
    found = Combined(rules, labeller, stacked.Order.MODEL, frozenset({"ماي"})).recognize(text)
    assert [m.text for m in found.mentions if m.type == "PERSON"] == ["تيريزا ماي", "ماي"]


def test_a_town_of_everyday_words_is_a_place_only_where_the_model_or_a_preposition_reads_one(
    rules: Recognizer,
) -> None:
    def places(
        text: str, model_reads_last: bool = False, everyday: frozenset[str] = frozenset()
    ) -> list[str]:
        # the labeller reads the article's last word as a place, or reads nothing
        last = len(_raw_tokens(rules, text)) - 1
        labeller = _Says([(last, last, "LOCATION")] if model_reads_last else [])
        combined = Combined(rules, labeller, stacked.Order.MODEL_FIRST, everyday)
        return [m.text for m in combined.recognize(text).mentions if m.type == "LOCATION"]

    # GeoNames has القائم (Iraq) and مالي (the country); both are everyday words too. The model
    # reads no place: the country stays, the town of a common word goes
    assert places("وقال إن التوتر القائم يزداد على الحدود مع مالي") == ["مالي"]
    # where the model reads the town once, the article is about it: the other occurrence stays
    text = "وقال إن التوتر القائم يزداد. وأعلن الجيش تحرير القائم"
    assert places(text) == []
    assert places(text, model_reads_last=True) == ["القائم", "القائم"]
    # a preposition of place or a direction before it makes it the town
    assert places("ووصلت القوات إلى القائم أمس") == ["القائم"]
    assert places("وتقدمت القوات غرب القائم أمس") == ["القائم"]
    # but not where the written word ends in ة and the town's name in ه (Sedeh, Iran)
    assert places("منذ وصوله إلى سدة الحكم") == []
    # a town whose name is no everyday word stays, unless its corpora write it every day
    assert places("وصل الوفد كابول أمس") == ["كابول"]
    assert places("وصل الوفد كابول أمس", everyday=frozenset({"كابول"})) == []
    assert places("وصل الوفد كابول", True, frozenset({"كابول"})) == ["كابول"]


@pytest.mark.skipif(not MODEL.exists(), reason=f"no model at {MODEL} (make model)")
def test_the_committed_model_carries_its_corpora_everyday_words() -> None:
    found = load_everyday(MODEL)
    assert {"ولا", "بشكل", "عدم", "تجاه"} <= found
    assert not {"بوتين", "موسكو", "كارتر"} & found


def _corpora_or_skip() -> None:
    if not (corpora.ner_root() / "fane" / "NewsFANE_Gold_2014_170K.txt").exists():
        pytest.skip(f"no NER corpora under {corpora.ner_root()} (set AKHBAR_SHARED)")
    if realnews.missing_reason():
        pytest.skip(str(realnews.missing_reason()))


# Measured when committed (benchmarks/entity_models.json); the floor sits 0.02 under, so that a
# change that loses what the model adds fails. Issue 17 asks 0.80 on the held-out split: not
# reached (see the benchmark's figures). The ANT gold's floors are in test_entities_ant_gold.py.
HELD_OUT_FLOOR = 0.68  # 0.706 measured


@pytest.mark.skipif(not MODEL.exists(), reason=f"no model at {MODEL} (make model)")
def test_held_out_newsfane(rules: Recognizer, combined: Combined) -> None:
    _corpora_or_skip()
    model = entity_models.held_out(rules, combined)
    alone = entity_models.held_out(rules, None)
    print(f"\nNewsFANEGold held out, exact (P, R, F1): combined {model}\nrules {alone}")
    assert model["ALL"][2] >= HELD_OUT_FLOOR
    assert model["ALL"][2] > alone["ALL"][2]


@pytest.mark.skipif(not MODEL.exists(), reason=f"no model at {MODEL} (make model)")
def test_ant_gold_beats_rules(rules: Recognizer, combined: Combined) -> None:
    _corpora_or_skip()
    articles = entity_models.ant_gold()
    model = entity_models.ant(combined.recognize, articles)
    alone = entity_models.ant(rules.recognize, articles)
    print(f"\nANT gold (P, R, F1): combined {model}\nrules {alone}")
    assert model["overlap"]["ALL"][2] > alone["overlap"]["ALL"][2]
    assert model["exact"]["ALL"][2] > alone["exact"]["ALL"][2]
