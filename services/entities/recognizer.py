"""Public API: ``Recognizer.load().recognize(text)`` finds people, places and organisations."""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from services.entities import conventions, coref, gazetteer, known, orgs, people, places
from services.entities.context import Article, Candidate
from services.entities.lexicon import DATA, Lexicon
from services.entities.normalize import fold, without_marks

_TANWEEN = re.compile("[\u064b-\u064d]")
# letters joined to the front of a mention: the proclitics it was read without (at most three)
_PROCLITICS_BEFORE = re.compile(r"[^\W\d_]+\Z")


@dataclass(frozen=True, slots=True)
class Mention:
    text: str
    start: int
    end: int
    type: str
    canonical: str
    geonames_id: int | None = None
    country_code: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Demonym:
    """A nationality adjective (الروسي, السورية) linked to its country; not a place mention."""

    text: str
    start: int
    end: int
    country: str
    country_code: str


@dataclass(frozen=True, slots=True)
class Recognition:
    mentions: list[Mention]
    demonyms: list[Demonym]

    def counts(self) -> list[tuple[str, str, int]]:
        """Distinct entities as (canonical, type, count), most frequent first."""
        tally = Counter((m.canonical, m.type) for m in self.mentions)
        ranked = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(canonical, type_, n) for (canonical, type_), n in ranked]


@dataclass(frozen=True, slots=True)
class Reading:
    """What the rules found in one text, with the candidates behind the mentions kept."""

    article: Article
    mentions: list[tuple[Candidate, Mention]]  # by start; refused ones left out
    demonyms: list[Demonym]


class Recognizer:
    def __init__(self, lexicon: Lexicon) -> None:
        self._lex = lexicon

    @classmethod
    def load(cls, data: Path = DATA) -> Recognizer:
        return cls(Lexicon.load(data))

    def recognize(self, text: str) -> Recognition:
        reading = self.read(text)
        return Recognition([m for _, m in reading.mentions], reading.demonyms)

    def read(self, text: str) -> Reading:
        """The mentions with the candidates they came from, each marked with its rule."""
        article = Article.parse(text, self._lex)
        famous, famous_short = known.listed(article)
        named = _settle(
            c
            for c in [
                *_from("gazetteer", gazetteer.listed(article)),
                *_from("trigger", places.triggered(article)),
                *_from("head", orgs.headed(article)),
                *_from("latin", orgs.latin_named(article)),
                *_from("known", famous),
            ]
            if not _adjective_reading(article, c)
        )
        listed = [c for c in named if c.type == "PERSON"]
        named = [c for c in named if c.type != "PERSON"]
        coreferent = _from("coref", gazetteer.coreferent_orgs(article, {c.canonical for c in named}))
        named += _settle(coreferent, _tokens(named))
        named = _link_bodies(named)
        strong = _tokens(c for c in named if not c.weak) | _tokens(listed)
        found = coref.name_people(
            article,
            listed
            + _settle(
                c
                for c in _from("context", people.by_context(article, strong))
                if not everyday(article, c.first, c.last)
            ),
        )
        person_at = _tokens(found)
        chosen = [c for c in named if person_at.isdisjoint(range(c.first, c.last + 1))] + found
        chosen += _settle(_from("coref", coref.short_mentions(article, found, _tokens(chosen))))
        chosen += _settle(_from("known", famous_short), _tokens(chosen))
        chosen = _without_heads(article, chosen)
        kept = [(c, m) for c, m in ((c, mention(article, c)) for c in chosen) if not self.refused(m, text)]
        kept.sort(key=lambda cm: cm[1].start)
        places_at = {k for c in chosen if c.type == "LOCATION" for k in range(c.first, c.last + 1)}
        return Reading(article, kept, _demonyms(article, places_at))

    def refused(self, mention: Mention, text: str) -> bool:
        """Words that some gazetteer lists but that are no name here (specs/annotation.md, "Not
        mentions"): function words, pronouns, titles and common nouns alone (بن, عنه, له, صاحب);
        anything opening with a pronoun (أنا سعيد); a word with tanween, which names never take
        (دوماً, "always"); and a word read without a proclitic that is a common word in the
        indefinite accusative with it (كبيرا, "big", is not ك + بيرا, Beira)."""
        words = fold(mention.text).split()
        if all(word in self._lex.not_names for word in words) or words[0] in self._lex.pronouns:
            return True
        if _TANWEEN.search(mention.text):
            return True
        clitics = _PROCLITICS_BEFORE.search(text, max(0, mention.start - 3), mention.start)
        if clitics is None:
            return False
        whole = fold(clitics.group() + mention.text.split()[0])
        return whole.endswith("ا") and whole[:-1] in self._lex.nouns


def everyday(article: Article, first: int, last: int) -> bool:
    """Whether a person proposed by context (not by a list) is made of everyday words only
    (common words, function words, verbs; no given name): after a reporting verb or a title the
    next words are as often a phrase (قال وسط مخاوف, فإن تحقيق, خوض الانتخابات) as a name. On the
    ANT gold it took the rules' person precision from 0.765 to 0.815, recall unchanged."""
    words, givens = article.words, article.givens
    return all(
        (words[k].common or words[k].stop or words[k].verb) and givens[k] is None
        for k in range(first, last + 1)
    )


def _from(source: str, candidates: Iterable[Candidate]) -> Iterator[Candidate]:
    """The candidates marked as proposed by ``source``; a rule that already marked one keeps it."""
    for c in candidates:
        yield c if c.source else replace(c, source=source)


def _settle(candidates: Iterable[Candidate], taken: set[int] | None = None) -> list[Candidate]:
    """Longest first, then higher rank, then earlier; no two mentions share a token."""
    used = set(taken or ())
    kept = []
    for c in sorted(candidates, key=lambda c: (c.first - c.last, -c.rank, c.first)):
        span = range(c.first, c.last + 1)
        if used.isdisjoint(span):
            kept.append(c)
            used.update(span)
    return kept


def _without_heads(article: Article, chosen: list[Candidate]) -> list[Candidate]:
    """Organisations without a descriptor head before a name that is no everyday word (تنظيم داعش
    is داعش; ``conventions.descriptor_head``); the canonical stays the list's."""
    out = []
    for c in chosen:
        if c.type == "ORGANIZATION" and conventions.descriptor_head(article, c.first, c.last):
            c = replace(c, first=c.first + 1, skip=article.words[c.first + 1].bare_skip)
        out.append(c)
    return out


def _tokens(candidates: Iterable[Candidate]) -> set[int]:
    return {k for c in candidates for k in range(c.first, c.last + 1)}


def _adjective_reading(article: Article, c: Candidate) -> bool:
    """``السفن السعودية`` is the adjective, ``في السعودية`` the country.

    A country name that doubles as a nationality adjective (always feminine: السعودية, سورية)
    is read as the adjective when it bears no clitic and directly follows a definite noun it can
    agree with: a feminine one or a plural (الطائرات); after الوفد it is the country.
    """
    if c.type != "LOCATION" or c.first != c.last or c.skip or c.first == 0:
        return False
    if article.nationality(c.first) is None:
        return False
    prev = c.first - 1
    agrees = article.tokens[prev].norm.endswith(("ه", "ات"))
    return agrees and article.joined(prev) and article.has_article(prev) and not article.is_stop(prev)


def _link_bodies(named: list[Candidate]) -> list[Candidate]:
    """``وزارة الدفاع`` after ``وزارة الدفاع الروسية`` is the same ministry.

    Each full name is indexed under every shorter run of its first words, so the cost grows with
    the names found, not with their square (a long article names thousands of bodies).
    """
    longer: dict[str, set[str]] = {}
    for c in named:
        # a Latin name is a company's own (Signal is not Signal Foundation)
        if c.type == "ORGANIZATION" and c.source != "latin":
            words = c.canonical.split(" ")
            for n in range(1, len(words)):
                longer.setdefault(" ".join(words[:n]), set()).add(c.canonical)
    out = []
    for c in named:
        fuller = longer.get(c.canonical, set()) if c.type == "ORGANIZATION" else set()
        out.append(replace(c, canonical=next(iter(fuller))) if len(fuller) == 1 else c)
    return out


def mention(article: Article, c: Candidate) -> Mention:
    """The candidate as a mention: its text from the first token less its proclitics, and what a
    gazetteer gave it."""
    start = article.start(c.first, c.skip)
    end = article.tokens[c.last].end
    canonical = without_marks(c.canonical)
    return Mention(
        article.text[start:end], start, end, c.type, canonical, c.geonames_id, c.country_code, c.lat, c.lon
    )


def _demonyms(article: Article, places_at: set[int]) -> list[Demonym]:
    out = []
    for i, w in enumerate(article.words):
        found = w.nationality
        if found is None or i in places_at:
            continue
        nationality, form = found
        start = article.start(i, article.skip_of(i, form))
        end = article.tokens[i].end
        out.append(
            Demonym(article.text[start:end], start, end, nationality.country, nationality.country_code)
        )
    return out
