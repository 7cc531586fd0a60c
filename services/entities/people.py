"""People found by context: a title or role before the name, a reporting verb, or a role
in apposition after it."""

from __future__ import annotations

from collections.abc import Iterator

from services.entities.context import Article, Candidate
from services.entities.normalize import strip_article

RANK = 4
# Words that link a role to what it is a role of: المتحدث باسم ..., المندوب لدى ...
_LINKS = frozenset({"باسم", "لدي"})
_MAX_MODIFIERS = 8
_MAX_NAME = 4


def by_context(article: Article, taken: set[int]) -> Iterator[Candidate]:
    """``taken`` holds token indices already inside places and organisations."""
    for i in range(len(article) - 1):
        if i in taken:
            continue
        if article.is_role(i):
            start = _after_role(article, i, taken)
            if start is not None:
                yield from _name(article, start, taken, strict=False)
        elif _reports(article, i) and article.joined(i):
            yield from _name(article, i + 1, taken, strict=True)
        elif _apposition(article, i, taken):
            yield from _name(article, i, taken, strict=True)


def _reports(article: Article, i: int) -> bool:
    return any(r in article.lex.reporting_verbs for r in article.readings(i))


def _after_role(article: Article, i: int, taken: set[int]) -> int | None:
    """Skip what qualifies the role (وزير الخارجية الروسي, محافظ حمص, المتحدث باسم ...)."""
    k = i
    for _ in range(_MAX_MODIFIERS):
        if not article.joined(k, soft=True):
            return None
        j = k + 1
        if j >= len(article):
            return None
        if article.bare(j) in _LINKS:
            k = j
            continue
        if article.is_stop(j):
            return None
        modifier = (
            j in taken or article.has_article(j) or article.is_role(j) or article.nationality(j) is not None
        )
        if not modifier:
            # After an indefinite qualifier (مسؤول تركي كبير) an everyday word is no name.
            definite = k in taken or article.has_article(k)
            return j if definite or not article.is_common(j) else None
        k = j
    return None


def _apposition(article: Article, i: int, taken: set[int]) -> bool:
    """``إيجور كوناشنيكوف المتحدث باسم``: two unknown words, then a role."""
    j, role = i + 1, i + 2
    if role >= len(article) or not article.is_role(role):
        return False
    return (
        article.joined(i)
        and article.joined(j)
        and _strong(article, i, taken)
        and _strong(article, j, taken)
        and (i == 0 or not article.is_role(i - 1))
    )


def _strong(article: Article, i: int, taken: set[int]) -> bool:
    return _plausible(article, i, taken) and not article.is_common(i) and not article.has_article(i)


def _plausible(article: Article, i: int, taken: set[int]) -> bool:
    return not (
        i in taken
        or article.is_stop(i)
        or article.is_verb(i)
        or article.is_role(i)
        or article.nationality(i) is not None
        or not article.is_arabic(i)
        or len(article.tokens[i].norm) < 2
        or article.is_inflected(i)
    )


def _name(article: Article, j: int, taken: set[int], *, strict: bool) -> Iterator[Candidate]:
    """The name at ``j``: a given name, then a family name or a chain bound by particles."""
    if j >= len(article) or not _plausible(article, j, taken) or article.has_article(j):
        return
    particle = _is_particle(article, j)
    if strict and article.is_common(j) and not particle and not _next_particle(article, j):
        return
    if any(strip_article(r).startswith("است") for r in article.readings(j)):
        return  # the verbal noun pattern استفعال (باستعادة) never starts a name
    last = j
    plain = 0 if particle else 1
    while last + 1 < len(article) and last - j + 1 < _MAX_NAME and article.joined(last):
        k = last + 1
        if _is_particle(article, last):
            if not _plausible(article, k, taken) and not article.has_article(k):
                break
        elif plain >= 2 or not _surname(article, k, taken, lenient=not strict):
            break
        last = k
        plain += 0 if _is_particle(article, k) else 1
    if last == j and particle:
        return
    yield Candidate(j, last, article.skip_of(j, article.bare(j)), "PERSON", "", RANK)


def _is_particle(article: Article, i: int) -> bool:
    return article.tokens[i].norm in article.lex.particles


def _next_particle(article: Article, j: int) -> bool:
    return j + 1 < len(article) and article.joined(j) and _is_particle(article, j + 1)


def _surname(article: Article, k: int, taken: set[int], *, lenient: bool) -> bool:
    """After a title an everyday word still ends a name when the phrase stops there
    (رياض حجاب،)."""
    if _is_particle(article, k):
        return True
    if not _plausible(article, k, taken):
        return False
    if article.has_article(k):
        return True
    # A clitic reading that leaves an everyday word (بمقاومة) is no family name.
    if article.bare(k) != article.tokens[k].norm:
        return False
    if not article.is_common(k):
        return True
    end = k + 1 >= len(article) or not article.joined(k) or article.is_stop(k + 1)
    return lenient and end
