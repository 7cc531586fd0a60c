"""Mentions of places and organisations listed in the gazetteers, in any clitic form."""

from __future__ import annotations

from collections.abc import Iterator

from services.entities.context import Article, Candidate

PLACE_RANK = 1
# One-word towns smaller than this yield to a person's name found by context.
WEAK_POPULATION = 500_000
ORG_RANK = 2  # "روسيا اليوم" the channel over "روسيا" the country when equally long


def listed(article: Article) -> Iterator[Candidate]:
    """Every listed name at every token; overlaps are settled later."""
    lex = article.lex
    # tokens that open no listed name are skipped, in the same order as trying every token
    for i in [i for i, w in enumerate(article.words) if w.opens_place or w.opens_org]:
        place = lex.places.match(article.tokens, i, article.breaks)
        if place is not None:
            p = place.value
            weak = place.first == place.last and p.kind == "city" and p.population < WEAK_POPULATION
            yield Candidate(
                place.first,
                place.last,
                place.skip,
                "LOCATION",
                p.canonical,
                PLACE_RANK,
                weak,
                p.geonames_id,
                p.country_code,
                p.lat,
                p.lon,
                town=p.kind == "city",
            )
        org = lex.orgs.match(article.tokens, i, article.breaks)
        if org is not None and not org.value.coref_only:
            yield Candidate(org.first, org.last, org.skip, org.value.type, org.value.canonical, ORG_RANK)


def coreferent_orgs(article: Article, found: set[str]) -> Iterator[Candidate]:
    """Short names (المرصد) that only stand for an organisation named in full elsewhere."""
    lex = article.lex
    for i in [i for i, w in enumerate(article.words) if w.opens_org]:  # the others match nothing
        org = lex.orgs.match(article.tokens, i, article.breaks)
        if org is not None and org.value.coref_only and org.value.canonical in found:
            yield Candidate(org.first, org.last, org.skip, org.value.type, org.value.canonical, ORG_RANK)
