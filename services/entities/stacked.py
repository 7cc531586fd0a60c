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

from services.entities import coref
from services.entities.context import Article, Candidate
from services.entities.features import Featurizer
from services.entities.model import CHOSEN, Span, Tagger, model_path
from services.entities.recognizer import Mention, Reading, Recognition, Recognizer, mention


class Recognises(Protocol):
    def recognize(self, text: str) -> Recognition: ...


def load(kind: str) -> Recognises:
    """The recogniser AKHBAR_ENTITIES_RECOGNIZER names: the rules, or "crf", the rules and the
    committed model (``model.CHOSEN``) combined in ``ORDER``."""
    rules = Recognizer.load()
    if kind == "rules":
        return rules
    if kind != "crf":
        raise ValueError(f"no entities recogniser {kind!r}: rules or crf")
    return Combined(rules, Tagger(Featurizer(CHOSEN.stacked), model_path(CHOSEN)), ORDER)


class Order(Enum):
    MODEL = "model"  # the model's spans only
    RULES_FIRST = "rules-first"  # the rules' mentions, and the model's where they found none
    MODEL_FIRST = "model-first"  # the model's, and the rules' where it found none


# How the committed model is combined with the rules: theirs first loses 0.002 on the seeds and
# gains on the other gold; the model first finds more on ANT but loses 0.056 on the seeds
# (benchmarks/entity_models.json)
ORDER = Order.RULES_FIRST


class Combined:
    def __init__(self, rules: Recognizer, tagger: Tagger, order: Order) -> None:
        self._rules = rules
        self._tagger = tagger
        self._order = order

    def read(self, text: str) -> tuple[Reading, list[tuple[Span, Mention]]]:
        """The rules' reading and the chosen mentions with their token spans, by start."""
        reading = self._rules.read(text)
        article = reading.article
        by_span = {(c.first, c.last): m for c, m in reading.mentions}
        rules = [((c.first, c.last, m.type), m) for c, m in reading.mentions]
        model = link(article, self._tagger.spans(reading), by_span)
        model = [(s, m) for s, m in model if not self._rules.refused(m, text)]
        if self._order is Order.MODEL:
            chosen = model
        else:
            first, then = (rules, model) if self._order is Order.RULES_FIRST else (model, rules)
            taken = {k for (a, b, _), _ in first for k in range(a, b + 1)}
            chosen = first + [(s, m) for s, m in then if taken.isdisjoint(range(s[0], s[1] + 1))]
        return reading, sorted(chosen, key=lambda sm: sm[1].start)

    def recognize(self, text: str) -> Recognition:
        reading, chosen = self.read(text)
        return Recognition([m for _, m in chosen], reading.demonyms)


def link(
    article: Article, found: list[Span], by_span: dict[tuple[int, int], Mention]
) -> list[tuple[Span, Mention]]:
    """The model's spans as mentions: one the rules found too as they made it (with the model's
    type), a person with the rules' coreference, any other with what the gazetteers list for it."""
    out: list[tuple[Span, Mention]] = []
    people: list[Candidate] = []
    for first, last, type_ in found:
        known = by_span.get((first, last))
        if known is not None:
            out.append(((first, last, type_), replace(known, type=type_) if known.type != type_ else known))
            continue
        skip = article.words[first].bare_skip
        if type_ == "PERSON":
            people.append(Candidate(first, last, skip, type_, ""))
            continue
        out.append(((first, last, type_), mention(article, _listed(article, first, last, skip, type_))))
    for c in coref.name_people(article, people):
        out.append(((c.first, c.last, c.type), mention(article, c)))
    return out


def _listed(article: Article, first: int, last: int, skip: int, type_: str) -> Candidate:
    """Tokens first..last as the gazetteers list exactly them: the canonical name, and a place's
    GeoNames id, country and coordinates; else the words as written."""
    lex = article.lex
    place = lex.places.match(article.tokens, first, article.breaks)
    if place is not None and place.last == last and place.skip == skip:
        p = place.value
        if type_ == "LOCATION":
            return Candidate(
                first, last, skip, type_, p.canonical, geonames_id=p.geonames_id, country_code=p.country_code,
                lat=p.lat, lon=p.lon,
            )
        return Candidate(first, last, skip, type_, p.canonical)
    org = lex.orgs.match(article.tokens, first, article.breaks)
    if org is not None and org.last == last and org.skip == skip:
        return Candidate(first, last, skip, type_, org.value.canonical)
    start = article.start(first, skip)
    return Candidate(first, last, skip, type_, article.text[start : article.tokens[last].end])
