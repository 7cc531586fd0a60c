"""Mentions from the rules and a CRF together: the model alone (its spans linked as the rules
would), or one of the two first with the other filling only tokens the first left free.

A model span the rules found too keeps the rules' offsets and canonical; any other is given
the pipeline's clitic split, a person's canonical by the rules' coreference, and a listed
place's or organisation's by the gazetteers, and goes through the rules' refusals.
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum
from typing import Protocol

from services.entities import conventions, coref
from services.entities.context import Article, Candidate
from services.entities.conventions import Span
from services.entities.features import Featurizer
from services.entities.lexicon import Lexicon
from services.entities.model import CHOSEN, Tagger, load_everyday, model_path
from services.entities.normalize import as_written, variants
from services.entities.recognizer import Mention, Reading, Recognition, Recognizer, everyday, mention


class Recognises(Protocol):
    def recognize(self, text: str) -> Recognition: ...


class Labeller(Protocol):
    """What gives the model's token spans: ``model.Tagger``, or another library's labeller that a
    benchmark compares with it (benchmarks/entity_spacy.py)."""

    def spans(self, reading: Reading) -> list[Span]: ...


def load(kind: str) -> Recognises:
    """The recogniser AKHBAR_ENTITIES_RECOGNIZER names: the rules, or "crf", the rules and the
    committed model (``model.CHOSEN``) combined in ``ORDER``."""
    rules = Recognizer.load()
    if kind == "rules":
        return rules
    if kind != "crf":
        raise ValueError(f"no entities recogniser {kind!r}: rules or crf")
    path = model_path(CHOSEN)
    return Combined(rules, Tagger(Featurizer(CHOSEN.stacked), path), ORDER, load_everyday(path))


class Order(Enum):
    MODEL = "model"  # the model's spans only
    RULES_FIRST = "rules-first"  # the rules' mentions, and the model's where they found none
    MODEL_FIRST = "model-first"  # the model's, and the rules' where it found none


# How the committed model is combined with the rules: the model first, as it finds more of real
# news than the rules first (on the ANT gold 0.838 / 0.776 against 0.819 / 0.734, and 0.696
# against 0.651 on NewsFANEGold's held-out documents). The rules first keep more of the older
# gold written around the rules (the seeds 0.975 against 0.957, dev 0.916 against 0.900); the
# seeds are demo data, and real news is what the labeller is for (benchmarks/entity_models.json).
ORDER = Order.MODEL_FIRST


class Combined:
    def __init__(
        self, rules: Recognizer, tagger: Labeller, order: Order, everyday: frozenset[str] = frozenset()
    ) -> None:
        self._rules = rules
        self._tagger = tagger
        self._order = order
        # the words the labeller's training corpora hardly ever wrote inside a name
        # (model.everyday_words): no person of the model's, or of the rules' context, is made of
        # them alone
        self._everyday = everyday

    def _unnamed(self, article: Article, span: Span, named: set[str]) -> bool:
        """Whether ``span`` is a person of words its corpora hardly ever wrote inside a name (ولا,
        بشكل, عدم): the lexicon's common words come from how often a word takes the article, and
        these seldom do. A given name (علي, also على) or a word of a fuller name the article gives
        elsewhere (``named``: ماي of تيريزا ماي, شي of شي جين بينغ) is not such a word. Places and
        organisations may be such words (بوينغ, the corpora's planes)."""
        first, last, type_ = span
        words, givens = article.words, article.givens
        return type_ == "PERSON" and all(
            words[k].bare in self._everyday and givens[k] is None and words[k].bare not in named
            for k in range(first, last + 1)
        )

    def _named(self, article: Article, spans: list[Span]) -> set[str]:
        """The words of the people among ``spans`` whose names hold a word that is not everyday to
        the corpora."""
        words = article.words
        out: set[str] = set()
        for first, last, type_ in spans:
            if type_ != "PERSON":
                continue
            bare = {words[k].bare for k in range(first, last + 1)}
            if not bare <= self._everyday:
                out |= bare
        return out

    def _guessed(self, reading: Reading, named: set[str]) -> set[tuple[int, int]]:
        """The rules' people proposed by context alone (after a title or a reporting verb), not by
        a list or a full name's coreference, made of words the corpora hardly ever name with; and
        the rules' repetitions of such a person elsewhere (ولا after وقال ولا, then every ولا)."""
        guessed = [
            (c, m)
            for c, m in reading.mentions
            if c.source == "context" and self._unnamed(reading.article, (c.first, c.last, m.type), named)
        ]
        dropped = {m.canonical for _, m in guessed}
        again = [(c, m) for c, m in reading.mentions if c.source == "coref" and m.canonical in dropped]
        return {(c.first, c.last) for c, _ in guessed + again}

    def _unread_towns(self, reading: Reading, found: list[Span]) -> set[tuple[int, int]]:
        """The rules' GeoNames towns that the labeller, which saw the gazetteer's tag among its
        features, read as no name, named with words its corpora write every day (القائم, "the
        standing"; حكما, "a sentence"; جده, "his grandfather", as جدة), and that it does not read
        as a place anywhere else in the article: the gazetteers link what the model found, they
        do not decide alone. A country, a listed name, a town of a name no everyday word spells
        (كابول), or one that a preposition of place or a direction governs (في دوما) stays."""
        article = reading.article
        words, lex = article.words, article.lex
        taken = {k for first, last, _ in found for k in range(first, last + 1)}
        spans = {(first, last) for first, last, _ in found}
        confirmed = {c.geonames_id for c, _ in reading.mentions if (c.first, c.last) in spans}
        return {
            (c.first, c.last)
            for c, m in reading.mentions
            if c.town
            and c.source == "gazetteer"
            and c.geonames_id not in confirmed
            and taken.isdisjoint(range(c.first, c.last + 1))
            and all(words[k].bare in self._everyday or words[k].common for k in range(c.first, c.last + 1))
            and not (
                c.skip == 0
                and c.first > 0
                and _locates(lex, words[c.first - 1].bare)
                and not _final_letter_apart(article.tokens[c.last].raw, m.canonical)
            )
        }

    def read(self, text: str) -> tuple[Reading, list[tuple[Span, Mention]]]:
        """The rules' reading and the chosen mentions with their token spans, by start."""
        reading = self._rules.read(text)
        article = reading.article
        by_span = {(c.first, c.last): m for c, m in reading.mentions}
        found = conventions.conformed(article, self._tagger.spans(reading))
        found = _without_listed_head(found, reading)
        named = self._named(article, [(c.first, c.last, m.type) for c, m in reading.mentions] + found)
        guessed = self._guessed(reading, named)
        dropped = guessed | self._unread_towns(reading, found)
        kept = [
            (c, m)
            for c, m in reading.mentions
            if (c.first, c.last) not in dropped and not _money(article, (c.first, c.last, m.type))
        ]
        rules = [((c.first, c.last, m.type), m) for c, m in kept]
        people = [(c.first, c.last) for c, m in kept if m.type == "PERSON"]
        spans = before_people(found, people)
        model = link(article, spans, by_span, _typed(reading, found))
        # a nationality adjective is never a place (السفن السعودية), as annotation.md has it
        adjectives = {(d.start, d.end) for d in reading.demonyms}
        model = [
            (s, m)
            for s, m in model
            if not self._rules.refused(m, text)
            and (
                (s[0], s[1]) not in guessed  # the rules found it too
                if (s[0], s[1]) in by_span
                else not (_everyday(article, s) or self._unnamed(article, s, named))
            )
            and (m.start, m.end) not in adjectives
            and not _money(article, s)
            and not _named_after(article, s)
        ]
        model = within_listed(article, model, [(c, m) for c, m in reading.mentions if c.source in _LISTED])
        if self._order is Order.MODEL:
            chosen = model
        else:
            first, then = (rules, model) if self._order is Order.RULES_FIRST else (model, rules)
            taken = {k for (a, b, _), _ in first for k in range(a, b + 1)}
            chosen = first + [(s, m) for s, m in then if taken.isdisjoint(range(s[0], s[1] + 1))]
        weak = {(c.first, c.last) for c, _ in reading.mentions if c.weak}
        return reading, sorted(_as_people(article, chosen, weak), key=lambda sm: sm[1].start)

    def recognize(self, text: str) -> Recognition:
        reading, chosen = self.read(text)
        return Recognition([m for _, m in chosen], reading.demonyms)


def _locates(lex: Lexicon, word: str) -> bool:
    """Whether ``word`` is a preposition of place or a direction, which stand before a place."""
    return word in lex.locatives or word in lex.direction_words


def _as_people(
    article: Article, chosen: list[tuple[Span, Mention]], weak: set[tuple[int, int]]
) -> list[tuple[Span, Mention]]:
    """``chosen``, a one-word small town (``weak``: gazetteer.WEAK_POPULATION) that is the family
    name of a person the article names in full, as that person: one name is one entity throughout
    an article (كوبر after هيكتور كوبر is the coach, not Kobar in the West Bank), and the labeller,
    which sees the gazetteer's tag, reads the word alone as the town."""
    words = article.words
    family = {
        words[last].bare: m
        for (first, last, type_), m in chosen
        if type_ == "PERSON" and last > first and words[last].arabic
    }
    out = []
    for (first, last, type_), m in chosen:
        person = family.get(words[first].bare) if type_ == "LOCATION" and (first, last) in weak else None
        if person is None:
            out.append(((first, last, type_), m))
            continue
        as_person = replace(m, type="PERSON", canonical=person.canonical, geonames_id=None)
        as_person = replace(as_person, country_code=None, lat=None, lon=None)
        out.append(((first, last, "PERSON"), as_person))
    return out


def _without_listed_head(found: list[Span], reading: Reading) -> list[Span]:
    """The model's organisations that are a descriptor head before a name the organisation list
    gives whole, where the rules found that name without the head (شركة فيسبوك: the list holds
    فيسبوك, and no شركة فيسبوك), as the rules found it: annotation.md leaves the head out, and the
    canonical is then the list's, one value with the name written alone. ``conventions`` keeps
    the head before a name of everyday words, and the corpora write الفيسبوك so often that فيسبوك
    counts as one; a head the list names with the name (حركة طالبان) stays."""
    listed = {
        (c.first, c.last) for c, m in reading.mentions if c.source == "gazetteer" and m.type == "ORGANIZATION"
    }
    article = reading.article
    return [
        (first + 1, last, type_)
        if type_ == "ORGANIZATION" and conventions.is_head(article, first) and (first + 1, last) in listed
        else (first, last, type_)
        for first, last, type_ in found
    ]


def _money(article: Article, span: Span) -> bool:
    """Whether ``span`` is a currency in an amount or a rate (money.tsv), not the organisation the
    labeller read: one word, a currency, after a number, a magnitude or صرف (35.3 مليار ريال, سعر
    صرف الريال), or before a demonym (الريال الإيراني). Real Madrid's الريال has none of these."""
    first, last, _ = span
    lex, words = article.lex, article.words
    word = words[first]
    if first != last or "currency" not in (lex.money.get(word.bare), lex.money.get(word.stem)):
        return False
    if first > 0:
        number = any(ch.isdigit() for ch in article.tokens[first - 1].norm)
        if number or lex.money.get(words[first - 1].bare) in ("magnitude", "exchange"):
            return True
    return first + 1 < len(article) and words[first + 1].nationality is not None


def _named_after(article: Article, span: Span) -> bool:
    """Whether ``span`` is a person's name that names a thing after them (جائزة نوبل,
    بجائزة "نوبل"): named_after.txt's noun stands right before it."""
    first, _, type_ = span
    return type_ == "PERSON" and first > 0 and article.words[first - 1].stem in article.lex.named_after


def _final_letter_apart(written: str, name: str) -> bool:
    """Whether a word ends in ة where the listed name ends in ه, or the other way round: the
    folding that lets حوارة match writes سدة الحكم, "the seat of power", as Sedeh in Iran."""
    return {written[-1:], name[-1:]} == {"ة", "ه"}


def _typed(reading: Reading, found: list[Span]) -> frozenset[tuple[int, int]]:
    """The rules' mentions whose type stands whatever the model reads: a body the hand-made list
    names, a listed person, or the rules' short form of a person whom the model too names in full
    elsewhere (ترامب after دونالد ترامب). A GeoNames place may well be a team or a government
    (برشلونة, موسكو), as the model reads, and the rules' coreference alone also makes people of
    teams (أوروغواي)."""
    words = reading.article.words
    in_model_people = {words[k].bare for a, b, t in found if t == "PERSON" for k in range(a, b + 1)}
    return frozenset(
        (c.first, c.last)
        for c, m in reading.mentions
        if c.source == "known"
        or (c.source == "gazetteer" and m.type == "ORGANIZATION")
        or (c.source == "coref" and all(words[k].bare in in_model_people for k in range(c.first, c.last + 1)))
    )


def before_people(found: list[Span], people: list[tuple[int, int]]) -> list[Span]:
    """The model's places and organisations, one that runs into a person the rules found (a
    name that begins inside it and ends after it: رئيس مجلس النواب نبيه بري) cut before the
    person: the two cannot both be right, and the person's own end says where the body's name
    stopped."""
    # by start, so that each span looks only at the tokens it covers: a long article has
    # thousands of both, and comparing every pair took minutes at the door's size limit
    ends: dict[int, int] = {}
    for a, b in people:
        ends[a] = max(b, ends.get(a, b))
    out = []
    for first, last, type_ in found:
        if type_ != "PERSON":
            crossing = next((a for a in range(first + 1, last + 1) if ends.get(a, a) > last), None)
            if crossing is not None:
                last = crossing - 1
        out.append((first, last, type_))
    return out


# sources of the rules' mentions that a list names whole (the gazetteers, people.tsv)
_LISTED = frozenset({"gazetteer", "known"})


def within_listed(
    article: Article, model: list[tuple[Span, Mention]], listed: list[tuple[Candidate, Mention]]
) -> list[tuple[Span, Mention]]:
    """The model's mentions, one lying inside a longer listed name given as that name: the list
    knows its whole extent (بي سي is part of أن بي سي). A listed name that is only a descriptor
    head more (حلف الناتو) gives its canonical, not its extent: annotation.md leaves the head out."""
    out: dict[tuple[int, int], tuple[Span, Mention]] = {}
    alone = conventions.written_alone(article, [s for s, _ in model])
    # the listed names over each token, in the list's order: a name is a few tokens long, and a
    # long article has thousands of both (comparing every pair took minutes at the size limit)
    over: dict[int, list[tuple[Candidate, Mention]]] = {}
    for c, lm in listed:
        for k in range(c.first, c.last + 1):
            over.setdefault(k, []).append((c, lm))
    for (first, last, type_), m in model:
        around = next(((c, lm) for c, lm in over.get(first, ()) if _encloses(c, first, last)), None)
        if around is None:
            out.setdefault((first, last), ((first, last, type_), m))
            continue
        c, lm = around
        one_more = c.first == first - 1 and c.last == last
        if one_more and conventions.without_head(article, c.first, last, alone):
            linked = replace(m, type=lm.type, canonical=lm.canonical)
            out.setdefault((first, last), ((first, last, lm.type), linked))
        else:
            out.setdefault((c.first, c.last), ((c.first, c.last, lm.type), lm))
    return list(out.values())


def _encloses(c: Candidate, first: int, last: int) -> bool:
    """Whether ``c`` covers tokens first..last and more."""
    return c.first <= first and last <= c.last and c.last - c.first > last - first


def _everyday(article: Article, span: Span) -> bool:
    """Whether the model's span is a person of everyday words (``recognizer.everyday``), or of
    one word that is also an everyday one, given name or not (وآمنة, "and safe"), as the rules
    hold, or one opening with a people's noun in the plural (للصحافيين after قال). Places and
    organisations often are everyday words (سيول, البنك المركزي)."""
    first, last, type_ = span
    alone_common = first == last and article.words[first].common
    plural = article.words[first].plural
    return type_ == "PERSON" and (alone_common or plural or everyday(article, first, last))


def link(
    article: Article,
    found: list[Span],
    by_span: dict[tuple[int, int], Mention],
    typed: frozenset[tuple[int, int]] = frozenset(),
) -> list[tuple[Span, Mention]]:
    """The model's spans as mentions: one the rules found too as they made it (with the model's
    type, unless a list fixes it: ``typed``), a person with the rules' coreference, any other with
    what the gazetteers list for it."""
    out: list[tuple[Span, Mention]] = []
    people: list[Candidate] = []
    written = {t.norm for t in article.tokens}
    for first, last, type_ in found:
        known = by_span.get((first, last))
        if known is not None:
            if (first, last) in typed or known.type == type_:
                out.append(((first, last, known.type), known))
            else:
                out.append(((first, last, type_), replace(known, type=type_)))
            continue
        skip = _proclitics(article, first, written)
        if type_ == "PERSON":
            people.append(Candidate(first, last, skip, type_, ""))
            continue
        out.append(((first, last, type_), mention(article, _listed(article, first, last, skip, type_))))
    named = coref.name_people(article, people)
    # the model tags a name token by token and misses many of its later short forms (أكتون after
    # برايان أكتون), which the rules' coreference finds on the tokens it left free, and not on a
    # name whose type a list fixes (داعش after the model's person مسلحو داعش stays the group)
    taken = {k for first, last, _ in found for k in range(first, last + 1)}
    taken |= {k for first, last in typed for k in range(first, last + 1)}
    for c in [*named, *coref.short_mentions(article, named, taken)]:
        out.append(((c.first, c.last, c.type), mention(article, c)))
    return out


def _proclitics(article: Article, i: int, written: set[str]) -> int:
    """The proclitic letters on token ``i``, which opens a name the model found: the pipeline's
    split if it made one (a known word after them), else the most letters whose
    removal leaves a word the article writes elsewhere on its own (لهتلر where هتلر stands too),
    else none: a name the lexicons do not know may well begin with ب, ل, ف, ك or و (بيونغ يانغ,
    not ب + the given name يونغ)."""
    if article.words[i].bare_skip:
        return article.words[i].bare_skip
    return max((v.skip for v in variants(article.tokens[i].norm)[1:] if v.form in written), default=0)


def _listed(article: Article, first: int, last: int, skip: int, type_: str) -> Candidate:
    """Tokens first..last as the gazetteers list exactly them (with their reading of the first
    token's proclitics): the canonical name, and a place's GeoNames id, country and coordinates;
    else the words as written after ``skip`` letters."""
    lex = article.lex
    place = lex.places.match(article.tokens, first, article.breaks)
    if place is not None and place.last == last:
        p = place.value
        if type_ == "LOCATION":
            return Candidate(
                first,
                last,
                place.skip,
                type_,
                p.canonical,
                geonames_id=p.geonames_id,
                country_code=p.country_code,
                lat=p.lat,
                lon=p.lon,
            )
        return Candidate(first, last, place.skip, type_, p.canonical)
    org = lex.orgs.match(article.tokens, first, article.breaks)
    if org is not None and org.last == last:
        return Candidate(first, last, org.skip, type_, org.value.canonical)
    # as written, the hamza kept (أوروبا, not light's اوروبا)
    rest = article.text[article.tokens[first].end : article.tokens[last].end]
    return Candidate(first, last, skip, type_, as_written(article.unclitic(first, skip) + rest))
