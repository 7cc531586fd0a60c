"""People found by context: a title or role before the name, a reporting verb, or a role
in apposition after it."""

from __future__ import annotations

from collections.abc import Iterator

from services.entities.context import Article, Candidate
from services.entities.normalize import strip_article

RANK = 4
# A name read from a given name alone yields to one read from context over the same words.
GIVEN_RANK = 3
_ABD = "عبد"
_KUNYA = frozenset({"ابو", "ام"})
# Words that link a role to what it is a role of: المتحدث باسم ..., المندوب لدى ...
_LINKS = frozenset({"باسم", "لدي"})
_MAX_MODIFIERS = 8
_MAX_NAME = 4
_MAX_LINEAGE = 8


def by_context(article: Article, taken: set[int]) -> Iterator[Candidate]:
    """``taken`` holds token indices already inside places and organisations."""
    # the per-token facts are read straight from the article's lists in this loop over
    # every token: it is the hottest in the recogniser
    words = article.words
    joins = article.joins
    n = len(article)
    for i in range(n - 1):
        if i in taken:
            continue
        w = words[i]
        if w.role:
            start = _after_role(article, i, taken)
            if start is not None:
                yield from _name(article, start, taken, strict=False)
        elif w.reports and joins[i]:
            yield from _name(article, i + 1, taken, strict=True)
        elif i + 2 < n and words[i + 2].role and _apposition(article, i, taken):
            yield from _name(article, i, taken, strict=True)
    yield from _by_given_name(article, taken)


def _reports(article: Article, i: int) -> bool:
    return article.words[i].reports


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
        if article.given(j) == 0 and not article.has_article(j):
            return j  # رئيسها التنفيذي أمين الناصر: أمين is the name here, not a role
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
    # أمين and يزيد are also a role and a verb; as known given names they may start a name
    given = article.given(i) is not None
    return not (
        i in taken
        or article.is_stop(i)
        or (article.is_verb(i) and not given)
        or (article.is_role(i) and not given)
        or article.nationality(i) is not None
        or not article.is_arabic(i)
        or len(article.tokens[i].norm) < 2
        or article.is_inflected(i)
        or article.is_plural(i)
        or _clitic_noun(article, i)
    )


def _name(article: Article, j: int, taken: set[int], *, strict: bool) -> Iterator[Candidate]:
    """The name at ``j``: a given name, then a family name or a chain bound by particles."""
    if j >= len(article) or not _plausible(article, j, taken) or article.has_article(j):
        return
    particle = _is_particle(article, j)
    if article.given(j) is not None:
        # A known given name is a name even where it is also a word (ليلى, طارق), and an
        # everyday family name after it may end the phrase (وقالت ليلى حداد،) as after a title.
        strict = False
    if strict and article.is_common(j) and not particle and not _next_particle(article, j):
        return
    if any(strip_article(r).startswith("است") for r in article.readings(j)):
        return  # the verbal noun pattern استفعال (باستعادة) never starts a name
    last = j
    plain = 0 if particle else 1
    while (
        last + 1 < len(article)
        and (last - j + 1 < _MAX_NAME or _lineage(article, last + 1, j))
        and article.joined(last)
    ):
        k = last + 1
        if _is_particle(article, last):
            if not _plausible(article, k, taken) and not article.has_article(k):
                break
        elif plain >= 2 or not _surname(article, k, taken, lenient=not strict):
            break
        last = k
        plain += 0 if _is_particle(article, k) else 1
    if last == j and (particle or (article.given(j) is not None and article.is_common(j))):
        return  # a given name that is also a word or a role (أمين مجمع ...) is no name alone
    yield Candidate(j, last, article.skip_of(j, article.bare(j)), "PERSON", "", RANK)


def _lineage(article: Article, k: int, first: int) -> bool:
    """Whether token ``k`` goes on a lineage of the name that begins at ``first``: a particle
    (بن, آل) or the name after one, within ``_MAX_LINEAGE`` tokens."""
    on = _is_particle(article, k) or _is_particle(article, k - 1)
    return on and k - first < _MAX_LINEAGE


def _is_particle(article: Article, i: int) -> bool:
    return article.words[i].particle


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


def _by_given_name(article: Article, taken: set[int]) -> Iterator[Candidate]:
    """``يوسف النصيري``, ``أبو محمد الجولاني``: a common given name and one or two words that
    can only be names, with no title or verb around them. Since many given names are everyday
    words too (أمل, نصر), the words after it must be another given name or unknown words."""
    breaks = article.breaks
    words = article.words
    givens = article.givens
    for i in range(len(article) - 1):
        if i in taken or (i > 0 and not breaks[i - 1] and _is_particle(article, i - 1)):
            continue  # after أبو, بن or عبد the name began earlier and is read from there
        bare = words[i].bare
        if givens[i] is None and bare != _ABD and bare not in _KUNYA:
            continue  # _given_head's own first test, without the call: most tokens stop here
        head = _given_head(article, i, taken)
        if head is None:
            continue
        last = _given_tail(article, head, taken)
        if last is not None:
            skip = article.skip_of(i, article.bare(i)) if head > i else article.given(i) or 0
            yield Candidate(i, last, skip, "PERSON", "", GIVEN_RANK)


def _given_head(article: Article, i: int, taken: set[int]) -> int | None:
    """Last token of a given name at ``i``: محمد, عبد الرحمن, or a kunya أبو محمد."""
    bare = article.bare(i)
    compound = bare in _KUNYA or bare == _ABD
    if not compound and article.given(i) is None:
        return None  # most tokens: checked first, as it is the cheapest test
    if not article.joined(i) or article.has_article(i) or article.nationality(i) is not None:
        return None
    if compound:
        nxt = i + 1
        if nxt in taken or article.is_stop(nxt) or not article.is_arabic(nxt):
            return None
        if bare == _ABD:
            return nxt  # عبد الرحمن, عبد الله: the compound is the given name
        return _given_head(article, nxt, taken)
    skip = article.given(i)
    if skip is None or (article.is_stop(i) and not article.tokens[i].raw.endswith("ي")):
        return None
    return i


def _given_tail(article: Article, i: int, taken: set[int]) -> int | None:
    """Last token of the family name after the given name ending at ``i``: one word, a
    particle and its word (بن سلمان), or a father's given name and one more (محمد حمدان دقلو);
    a definite word (النصيري) ends the name, as in news it almost always does."""
    last, k = i, i + 1
    # one or two words, or a lineage of particles and names (بن بندر بن عبدالعزيز آل سعود)
    while k < len(article) and article.joined(k - 1) and (k - i <= 2 or _lineage(article, k, i)):
        if _is_particle(article, k):
            nxt = k + 1
            if nxt >= len(article) or not article.joined(k):
                break
            if not _plausible(article, nxt, taken) and article.given(nxt) != 0:
                break  # بن علي: علي folds like the preposition على but is a name here
            last, k = nxt, k + 2
        elif _name_like(article, k, taken) and (k == i + 1 or article.given(last) == 0):
            last, k = k, k + 1
        else:
            break
        if article.has_article(last):
            break
    return last if last > i else None


def _name_like(article: Article, k: int, taken: set[int]) -> bool:
    """Another given name, or a word that is no everyday word (حكيمي, النصيري)."""
    if k in taken or article.is_stop(k):
        return False
    if article.given(k) == 0:
        return True
    if not _plausible(article, k, taken) or article.bare(k) != article.tokens[k].norm:
        return False
    return not article.is_common(k)


def _clitic_noun(article: Article, i: int) -> bool:
    """``لكرة``, ``لمدة``: a preposition on a short everyday noun, which the bare reading
    leaves alone (it trusts only readings of four letters and more); a given name never is."""
    return article.words[i].clitic_noun and article.given(i) is None
