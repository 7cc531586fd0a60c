"""Dedup's pure logic: normalised fingerprints, near-duplicates, shared passages, stories, expiry."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from faust.types import Message

from services.dedup import probe, text
from services.dedup.decider import Decider, Decision, Policy
from services.dedup.fingerprints import WINDOW, fingerprint, winnow
from services.dedup.records import ClusterLink, Seen
from services.dedup.verdict import Verdict
from services.ingest.parsing import article_id
from shared.arabic import normalize_for_matching, tokens

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
DAY = 86_400.0


def seed(n: int) -> str:
    return SEEDS[n].read_text(encoding="utf-8")


def salad(words: int, rng: random.Random) -> str:
    vocabulary = sorted({w for path in SEEDS for w in tokens(path.read_text(encoding="utf-8"))})
    return " ".join(rng.choice(vocabulary) for _ in range(words)) + "."


def shingle_set(body: str) -> set[int]:
    return set(text.shingles(text.words(body)).hashes.tolist())


class Stream:
    """A decider over plain dicts, fed articles in order, as the sequencer topic would."""

    def __init__(self, policy: Policy | None = None) -> None:
        self.articles: dict[str, Seen] = {}
        self.links: dict[str, ClusterLink] = {}
        self.decider = Decider(policy or Policy(), self.articles, self.links)
        self.seq = 0
        self.decision: Decision | None = None

    def send(self, body: str, now: float = 0.0) -> Verdict:
        self.seq += 1
        self.decision = self.decider.decide(article_id(body), fingerprint(body), len(body), self.seq, now)
        return self.decision.verdict

    @property
    def revised(self) -> dict[str, Verdict]:
        assert self.decision is not None
        return dict(self.decision.revised)


def test_words_are_the_shared_tokens_with_their_place_in_the_text() -> None:
    body = "قالَ المُتحدّث: «إنّ الـــجيش» تقدّم ٣ كيلومترات\u200c، في حلب!"
    found = text.words(body)
    assert [w.text for w in found] == tokens(body)
    for word in found:
        assert word.text in normalize_for_matching(body[word.start : word.end])


def test_spelling_and_punctuation_do_not_change_fingerprints() -> None:
    plain = "قال المتحدث ان الجيش تقدم 3 كيلومترات في حلب يوم الاحد"
    noisy = "قالَ المُتحدّث: «إنّ الـــجيش» تقدّم ٣ كيلومترات، في حلب - يوم الأحد."
    a, b = fingerprint(plain), fingerprint(noisy)
    assert a.digest == b.digest
    assert np.array_equal(a.signature, b.signature)
    assert [p.fingerprint for p in a.passages] == [p.fingerprint for p in b.passages]


def test_any_shared_run_of_window_plus_four_words_shares_a_fingerprint() -> None:
    rng = random.Random(1)
    for _ in range(30):
        shared = salad(WINDOW + 4, rng).rstrip(".")
        one = salad(rng.randint(0, 40), rng) + " " + shared + " " + salad(20, rng)
        two = salad(rng.randint(0, 40), rng) + " " + shared
        common = {p.fingerprint for p in fingerprint(one).passages} & {
            p.fingerprint for p in fingerprint(two).passages
        }
        assert common


def test_winnowing_keeps_a_fraction_of_the_shingles() -> None:
    hashes = np.random.default_rng(2).integers(0, 2**32, 10_000, dtype=np.uint64).astype(np.uint32)
    kept = winnow(hashes)
    assert 1.5 / (WINDOW + 1) < len(kept) / len(hashes) < 2.5 / (WINDOW + 1)
    assert len(winnow(hashes[:3])) == 1 and len(winnow(hashes[:0])) == 0


def test_same_words_with_other_punctuation_is_an_exact_duplicate() -> None:
    stream = Stream()
    original = stream.send(seed(1))
    body = seed(1).replace("،", ",").replace(".", " .") + " ..."
    assert article_id(body) != article_id(seed(1))
    copy = stream.send(body)
    assert (copy.status, copy.duplicate_of, copy.similarity) == ("exact", article_id(seed(1)), 1.0)
    assert copy.cluster_id == original.cluster_id == article_id(seed(1))


def test_a_copy_with_a_sentence_dropped_is_near_and_a_copy_of_it_points_at_the_first() -> None:
    stream = Stream()
    stream.send(seed(3))
    sentences = seed(3).split(".")
    edited = ".".join(sentences[:5] + sentences[6:])
    near = stream.send(edited)
    assert near.status == "near" and near.duplicate_of == article_id(seed(3))
    assert near.similarity is not None and near.similarity >= 0.8
    again = stream.send(edited.replace("حلب", "حلب حلب", 1))
    assert again.status == "near" and again.duplicate_of == article_id(seed(3))
    assert again.cluster_id == article_id(seed(3))


def edit(body: str, share: float, rng: random.Random) -> str:
    """The body with about `share` of its words replaced by others, spread over the text."""
    words = body.split()
    for at in rng.sample(range(len(words)), int(len(words) * share)):
        words[at] = salad(1, rng).rstrip(".")
    return " ".join(words)


def test_near_is_judged_against_the_head_never_through_a_chain_of_copies() -> None:
    rng = random.Random(21)
    head = salad(400, rng)
    first = edit(head, 0.015, rng)
    second = edit(first, 0.015, rng)  # alike enough to `first`, no longer to the head
    jaccard = fingerprint_jaccard
    assert jaccard(first, head) >= 0.8 and jaccard(second, first) >= 0.8 and jaccard(second, head) < 0.8
    stream = Stream()
    stream.send(head)
    assert stream.send(first).duplicate_of == article_id(head)
    verdict = stream.send(second)
    assert verdict.status == "partial" and verdict.duplicate_of is None
    assert verdict.related[0].article_id == article_id(head)  # it shares nearly all of it, though


def test_the_words_of_a_near_copy_are_near_its_head_as_alike_as_that_copy() -> None:
    stream = Stream()
    stream.send(seed(3))
    sentences = seed(3).split(".")
    edited = ".".join(sentences[:5] + sentences[6:])
    near = stream.send(edited)
    same_words = stream.send(edited.replace("،", ",") + " ...")  # another id, the copy's words
    assert (same_words.status, same_words.duplicate_of) == ("near", article_id(seed(3)))
    assert same_words.similarity == near.similarity and near.similarity is not None
    assert near.similarity == round(fingerprint_jaccard(edited, seed(3)), 4)


def fingerprint_jaccard(a: str, b: str) -> float:
    first, second = shingle_set(a), shingle_set(b)
    return len(first & second) / len(first | second)


def test_boilerplate_in_a_brief_does_not_count_towards_its_share() -> None:
    rng = random.Random(3)
    footer, run = salad(30, rng), salad(25, rng)  # a disclaimer many carry; a sentence two share
    carriers = [salad(200, rng) + " " + footer for _ in range(4)]
    earlier = salad(150, rng) + " " + run + " " + footer
    brief = salad(110, rng) + " " + run + " " + footer
    shared = shingle_set(brief) & shingle_set(earlier)
    assert len(shared) / len(shingle_set(brief)) > 0.3  # the footer counted, it would be related

    def verdict(boilerplate_heads: int) -> Verdict:
        stream = Stream(Policy(boilerplate_heads=boilerplate_heads))
        for body in [*carriers, earlier]:
            stream.send(body)
        return stream.send(brief)

    assert verdict(100).related[0].article_id == article_id(earlier)  # the footer is not boilerplate yet
    assert verdict(4).status == "unique"  # five heads carry it: the sentence alone is under the share


def test_the_near_threshold_is_configurable() -> None:
    stream = Stream(Policy(near_threshold=0.995))
    stream.send(seed(3))
    sentences = seed(3).split(".")
    verdict = stream.send(".".join(sentences[:5] + sentences[6:]))
    assert verdict.status == "partial" and verdict.related[0].overlap > 0.9


def test_seeds_000_and_002_share_agency_paragraphs_and_nothing_else_is_a_copy() -> None:
    stream = Stream()
    verdicts = [stream.send(seed(n)) for n in range(5)]
    assert [v.status for v in verdicts] == ["unique", "unique", "partial", "unique", "unique"]
    partial = verdicts[2]
    assert partial.cluster_id == article_id(seed(0))
    (related,) = partial.related
    assert related.article_id == article_id(seed(0))
    assert 0.1 < related.overlap < 0.3 and len(related.passages) >= 3
    earlier = set(shingle_set(seed(0)))
    longest = max(related.passages, key=lambda span: span[1] - span[0])
    assert len(tokens(seed(2)[longest[0] : longest[1]])) > 20
    for start, end in related.passages:  # passages are runs of shared 5-grams, small gaps bridged
        passage = shingle_set(seed(2)[start:end])
        assert len(passage & earlier) >= 0.6 * len(passage)


def test_a_later_partial_revises_the_earlier_article_to_list_it_with_its_own_passages() -> None:
    stream = Stream()
    first = stream.send(seed(0))
    assert not stream.revised
    later = stream.send(seed(2))
    (revised_id,) = stream.revised
    assert revised_id == article_id(seed(0))
    revised = stream.revised[revised_id]
    assert (revised.status, revised.cluster_id) == ("partial", first.cluster_id)
    assert revised.version == later.version > first.version  # decided together, after 000
    (back,) = revised.related
    assert back.article_id == article_id(seed(2))
    assert 0.1 < back.overlap < 0.3 and back.overlap != later.related[0].overlap  # a share of 000 now
    # spans in 000's text, mostly of text that 002 has too (the small gaps bridged are not)
    in_spans = set().union(*(shingle_set(seed(0)[start:end]) for start, end in back.passages))
    assert len(in_spans & shingle_set(seed(2))) >= 0.6 * len(in_spans)
    # the earlier article ingested again now gets the answer its revision gave
    again = stream.send(seed(0))
    assert replace(again, version=revised.version) == revised


def test_a_copy_revises_no_one_and_a_stitched_article_moves_the_second_story_into_the_first() -> None:
    rng = random.Random(6)
    first, second = salad(300, rng), salad(300, rng)
    stream = Stream()
    stream.send(first)
    stream.send(first + " ...")
    assert not stream.revised
    stream.send(second)
    stream.send(salad(100, rng) + " " + first[:700] + " " + salad(100, rng) + " " + second[-700:])
    assert set(stream.revised) == {article_id(first), article_id(second)}
    assert {v.cluster_id for v in stream.revised.values()} == {article_id(first)}
    assert {v.status for v in stream.revised.values()} == {"partial"}


def test_a_story_stitched_from_two_joins_them_and_later_copies_follow() -> None:
    rng = random.Random(3)
    first, second = salad(300, rng), salad(300, rng)
    stream = Stream()
    assert stream.send(first).status == stream.send(second).status == "unique"
    stitched = stream.send(salad(100, rng) + " " + first[:700] + " " + salad(100, rng) + " " + second[-700:])
    assert stitched.status == "partial"
    assert {r.article_id for r in stitched.related} == {article_id(first), article_id(second)}
    assert stitched.cluster_id == article_id(first)
    later = stream.send(second + " " + salad(10, rng))
    assert later.status == "near" and later.cluster_id == article_id(first)


def test_one_shared_sentence_is_a_quotation_not_a_shared_passage() -> None:
    rng = random.Random(8)
    sentence = salad(30, rng)  # a wire sentence, or a verse, quoted by two different stories
    stream = Stream()
    stream.send(salad(300, rng) + " " + sentence)
    quoting = stream.send(salad(300, rng) + " " + sentence)
    assert quoting.status == "unique" and not stream.revised
    # without the thresholds, the same sentence relates them
    lenient = Stream(Policy(min_share=0.0, min_shared_chars=0))
    lenient.send(salad(300, random.Random(8)) + " " + sentence)
    assert lenient.send(salad(300, rng) + " " + sentence).status == "partial"


def test_the_same_article_again_gets_the_same_answer_and_leaves_no_more_state() -> None:
    stream = Stream()
    stream.send(seed(0))
    first = stream.send(seed(2))
    state = dict(stream.articles)
    again = stream.send(seed(2))
    assert again.version > first.version
    assert replace(again, version=first.version) == first
    assert stream.articles == state


def test_a_new_decider_over_recovered_state_finds_earlier_articles() -> None:
    stream = Stream()
    for n in range(5):
        stream.send(seed(n))
    recovered = Decider(Policy(), dict(stream.articles), dict(stream.links))
    verdict = recovered.decide("copy", fingerprint(seed(4) + " ..."), len(seed(4)), 99, 0.0).verdict
    assert verdict.status == "exact" and verdict.duplicate_of == article_id(seed(4))
    stream.decider.invalidate()
    assert len(stream.decider.index) == 5


def test_articles_older_than_the_window_are_forgotten() -> None:
    rng = random.Random(4)
    first, second = salad(300, rng), salad(300, rng)
    stream = Stream(Policy(window_seconds=30 * DAY, sweep_seconds=3600))
    stream.send(first, now=0.0)
    stream.send(second, now=0.0)
    stream.send(first[:600] + " " + second[:600], now=DAY)  # joins the two stories
    assert stream.links
    assert stream.decider.expire(now=29 * DAY) == 0
    assert stream.decider.expire(now=29 * DAY + 60) == 0  # not due: swept a minute ago
    assert stream.decider.expire(now=31 * DAY) == 2
    assert set(stream.articles) == {article_id(first[:600] + " " + second[:600])}
    assert len(stream.decider.index) == 1
    again = stream.send(first + " ...", now=31 * DAY)  # no longer a copy: only the stitched one is left
    assert again.status == "partial" and again.related[0].article_id == article_id(
        first[:600] + " " + second[:600]
    )
    assert stream.decider.expire(now=62 * DAY) == 2
    assert not stream.articles and not stream.links and len(stream.decider.index) == 0


def test_beyond_the_cap_the_oldest_articles_are_forgotten_down_to_nine_tenths() -> None:
    rng = random.Random(7)
    stream = Stream(Policy(max_articles=20, sweep_seconds=3600))
    bodies = [salad(300, rng) for _ in range(21)]
    for n, body in enumerate(bodies[:20]):
        stream.send(body, now=float(n))
    assert stream.decider.expire(now=30.0) == 0  # at the cap, not over it; the sweep ran, nothing old
    stream.send(bodies[20], now=21.0)
    assert stream.decider.expire(now=40.0) == 3  # 21 kept, over by one: down to 18
    assert set(stream.articles) == {article_id(b) for b in bodies[3:]}
    assert len(stream.decider.index) == 18
    copy = stream.send(bodies[0] + " ...", now=41.0)  # forgotten: no longer a copy of anything
    assert copy.status == "unique"


def test_boilerplate_that_many_stories_carry_is_not_a_shared_passage() -> None:
    rng = random.Random(5)
    footer = salad(80, rng)  # long enough to be a shared passage, until too many stories carry it
    stream = Stream(Policy(boilerplate_heads=4))
    verdicts = [stream.send(salad(200, rng) + " " + footer) for _ in range(8)]
    assert [v.status for v in verdicts[:4]] == ["unique", "partial", "partial", "partial"]
    assert {v.status for v in verdicts[5:]} == {"unique"}


def test_fingerprints_travel_in_headers() -> None:
    prints = fingerprint(seed(2))
    back = probe.from_headers(message(list(probe.to_headers(prints).items())))
    assert back.digest == prints.digest and back.passages == prints.passages
    assert np.array_equal(back.signature, prints.signature) and np.array_equal(back.shingles, prints.shingles)
    assert list(prints.shingles) == sorted(shingle_set(seed(2)))
    with pytest.raises(ValueError):
        probe.from_headers(message([]))


def message(headers: list[tuple[str, bytes]]) -> Message:
    return Message("t", 0, 0, 0.0, 0, headers, b"k", b"v", None)


def test_the_related_list_keeps_the_closest_and_says_it_was_cut() -> None:
    from services.dedup.verdict import Related, Verdict, to_dedup_info

    related = [Related(f"a{n}", overlap=n / 10, passages=[(0, 5)]) for n in range(1, 6)]
    verdict = Verdict("partial", "story", 1, related=related)
    info = to_dedup_info(verdict, max_related=2)
    assert [r.article_id for r in info.related] == ["a4", "a5"] and info.related_cut
    whole = to_dedup_info(verdict, max_related=10)
    assert len(whole.related) == 5 and not whole.related_cut


def test_a_probe_made_by_an_older_version_is_fingerprinted_again() -> None:
    body = seed(0)
    prints = fingerprint(body)

    def probe_message(headers: dict[str, bytes]) -> Message:
        return Message("akhbar-dedup-probes", 0, 1, 0.0, 0, list(headers.items()), b"k", b"v", None)

    longer = replace(prints, signature=np.concatenate([prints.signature, prints.signature[:64]]))
    older = probe.to_headers(longer)  # as the version with 192 values and no shingle sets made it
    del older[probe.SHINGLES]
    again = probe.prints_of(probe_message(older), body)
    assert np.array_equal(again.signature, prints.signature) and np.array_equal(
        again.shingles, prints.shingles
    )
    other_length = probe.prints_of(probe_message(probe.to_headers(longer)), body)
    assert np.array_equal(other_length.signature, prints.signature)
    current = probe.prints_of(probe_message(probe.to_headers(prints)), "another body entirely")
    assert current.digest == prints.digest


def test_a_short_brief_quoted_whole_by_a_longer_story_is_related_to_it() -> None:
    rng = random.Random(12)
    brief = salad(16, rng)  # a wire brief of two lines: 2 winnowed fingerprints
    assert len({p.fingerprint for p in fingerprint(brief).passages}) == 2
    story = salad(60, rng) + " " + brief + " " + salad(20, rng)
    stream = Stream()
    stream.send(brief)
    quoting = stream.send(story)
    assert quoting.status == "partial" and quoting.related[0].article_id == article_id(brief)
    strict = Stream(Policy(min_shared=3))  # what a long article must share is more than a brief has
    strict.send(brief)
    assert strict.send(story).status == "unique"
