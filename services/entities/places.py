"""Places introduced by a noun such as حي, مطار, ريف or مدينة, whether listed or not."""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

from collections.abc import Iterator

from services.entities.context import Article, Candidate
from services.entities.normalize import light

_DIRECTIONS = frozenset(f"ال{d}{s}" for d in ("شرقي", "غربي", "شمالي", "جنوبي") for s in ("", "ه"))
RANK = 3


def triggered(article: Article) -> Iterator[Candidate]:
    lex = article.lex
    for i in range(len(article) - 1):
        bare = article.bare(i)
        kind = lex.place_triggers.get(bare)
        if kind is None or not article.joined(i):
            continue
        skip = article.skip_of(i, bare)
        listed = lex.places.match(article.tokens, i + 1, article.breaks)
        if listed is not None:
            if kind == "drop":
                continue
            last = _direction(article, listed.last)
            name = f"{_trigger(article, i, skip)} {_surface(article, i + 1, last)}"
            yield Candidate(
                i,
                last,
                skip,
                "LOCATION",
                name,
                RANK,
                False,
                None,
                listed.value.country_code,
                listed.value.lat,
                listed.value.lon,
            )
            continue
        end = _name_end(article, i + 1, strict=kind == "drop")
        if end is None:
            continue
        last = end
        if kind == "drop":
            yield Candidate(i + 1, last, 0, "LOCATION", _surface(article, i + 1, last), RANK)
            continue
        last = _direction(article, last)
        trigger = _trigger(article, i, skip)
        if bare.endswith("ي") and bare[:-1] in lex.place_triggers:
            trigger = trigger[:-1]  # the dual حقلي names each place as حقل
            yield from _second_of_pair(article, last + 1, trigger)
        yield Candidate(i, last, skip, "LOCATION", f"{trigger} {_surface(article, i + 1, last)}", RANK)


def _name_end(article: Article, j: int, *, strict: bool) -> int | None:
    """Last token of an unlisted place name starting at ``j``; ``strict`` wants a proper name."""
    if j >= len(article) or article.is_stop(j) or article.is_verb(j) or not article.is_arabic(j):
        return None
    if article.nationality(j) is not None:
        return None
    if strict and article.is_common(j):
        return None
    if article.bare(j) in article.lex.particles and article.joined(j) and j + 1 < len(article):
        return j + 1
    # an indefinite everyday word after the noun qualifies it (ولاية ثانية, "a second term";
    # قاعدة عسكرية, "a military base"); a name after it is a name or takes the article (حي الزهور)
    if article.is_common(j) and not article.has_article(j):
        return None
    return j


def _direction(article: Article, last: int) -> int:
    nxt = last + 1
    if article.joined(last) and nxt < len(article) and article.tokens[nxt].norm in _DIRECTIONS:
        return nxt
    return last


def _second_of_pair(article: Article, j: int, singular: str) -> Iterator[Candidate]:
    """``حقلي جزل والمهر``: the dual noun names two places, the second after و."""
    if j >= len(article) or not article.joined(j - 1) or not article.tokens[j].norm.startswith("و"):
        return
    if article.is_stop(j) or article.is_verb(j):
        return
    text = article.tokens[j].raw[1:]
    yield Candidate(j, j, 1, "LOCATION", light(f"{singular} {text}"), RANK)


def _trigger(article: Article, i: int, skip: int) -> str:
    tok = article.tokens[i]
    return light(article.text[article.start(i, skip) : tok.end])


def _surface(article: Article, first: int, last: int) -> str:
    words = [article.tokens[k].raw for k in range(first, last + 1)]
    return light(" ".join(words))
