"""Organisations recognised by their head noun: وزارة ..., جبهة ..., الجيش السوري."""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

from collections.abc import Iterator

from services.entities.context import Article, Candidate
from services.entities.normalize import light

RANK = 2
_MAX_NAME = 3
# a name in Latin letters after a head: at most this many capitalised words (Signal Foundation)
_MAX_LATIN = 4
# what may stand between a head and the Latin name it introduces (شركة "Signal"), or between two
# names of a list after it (شركات Alcoa وMosaic، Fluor)
_QUOTES = frozenset("\"'«“")
_LIST_GAPS = frozenset({"", "،", ","})


def headed(article: Article) -> Iterator[Candidate]:
    lex = article.lex
    for i in [i for i, w in enumerate(article.words) if w.opens_head]:  # the others match no head
        if i >= len(article) - 1:
            break
        head = lex.org_heads.match(article.tokens, i, article.breaks)
        if head is None or head.value == "plural":
            continue
        j = head.last + 1
        definite = article.has_article(i)
        feminine = article.tokens[head.last if head.value == "army" else i].norm.endswith("ه")
        if head.value == "army":
            last = _army(article, head.last, definite=definite, feminine=feminine)
        elif definite:
            continue  # "المجلس" alone points back to something named before
        elif (area := _area(article, head.last)) is not None:
            last = area  # the body of an administrative area: أمانة منطقة الرياض
        elif head.value == "area":
            continue  # إمارة دبي is the emirate; إمارة منطقة مكة المكرمة its governorate's office
        elif head.value == "body":
            last = _body(article, head.last, feminine=feminine)
        else:
            last = _group(article, head.last)
        if last is None or last < j:
            continue
        yield Candidate(i, last, head.skip, "ORGANIZATION", _canonical(article, i, head.skip, last), RANK)


def _body(article: Article, k: int, *, feminine: bool) -> int | None:
    """``وزارة الدفاع الروسية``: definite nouns in construct, then a nationality if any."""
    last = None
    count = 0
    while k + 1 < len(article) and article.joined(k):
        j = k + 1
        if article.nationality(j) is not None:
            return j if last is not None and _agrees(article, j, feminine) else last
        if count == _MAX_NAME or not article.has_article(j) or article.is_stop(j):
            break
        if article.stem(j) in article.lex.verbs:  # "مجلس الأمن التابع" ends at الأمن
            break
        last = k = j
        count += 1
    return last


def _area(article: Article, k: int) -> int | None:
    """The last token of the administrative head and listed place after token ``k`` (منطقة
    الرياض, مدينة جدة), else None."""
    lex = article.lex
    j = k + 1
    if not article.joined(k) or j + 1 >= len(article) or not article.joined(j):
        return None
    if lex.place_triggers.get(article.bare(j)) != "drop":
        return None
    place = lex.places.match(article.tokens, j + 1, article.breaks)
    return None if place is None else place.last


def _group(article: Article, k: int) -> int | None:
    """``تجمع فاستقم``: a name after the head, not an everyday word (تجمع كبير is no group)."""
    j = k + 1
    if not article.joined(k) or article.is_stop(j):
        return None
    if article.is_role(j) and article.has_article(j):
        # جامعة الملك سعود, مستشفى الشيخ زايد: named after a person with a title
        nxt = j + 1
        named = nxt < len(article) and article.joined(j) and not article.has_article(nxt)
        named = named and (article.given(nxt) == 0 or not article.is_common(nxt))
        return nxt if named and not article.is_stop(nxt) else None
    if article.is_common(j):
        return None
    if article.nationality(j) is not None or not article.is_arabic(j):
        return None
    if article.lex.places.match(article.tokens, j, article.breaks) is not None:
        return j
    nxt = j + 1
    if (
        nxt < len(article)
        and article.joined(j)
        and article.has_article(nxt)
        and not article.is_common(nxt)
        and not article.is_stop(nxt)
    ):
        return nxt
    return j


def _army(article: Article, k: int, *, definite: bool, feminine: bool) -> int | None:
    """``الجيش السوري`` needs its nationality; ``جيش حلب`` a name instead."""
    j = k + 1
    if not article.joined(k):
        return None
    if article.nationality(j) is not None:
        return j if _agrees(article, j, feminine) else None
    return None if definite else _group(article, k)


def _agrees(article: Article, j: int, feminine: bool) -> bool:
    """The adjective must agree with the head: in ``وزير الخارجية الروسي`` it qualifies the
    minister, so ``الخارجية الروسي`` is no ministry."""
    found = article.nationality(j)
    return found is not None and found[1].endswith("ه") == feminine


def _canonical(article: Article, first: int, skip: int, last: int) -> str:
    """Surface without clitics; nationality adjectives in their country's usual spelling."""
    words = []
    for k in range(first, last + 1):
        found = article.nationality(k)
        if found is not None and found[0].stem:
            nationality, form = found
            feminine = form.endswith("ه")
            words.append("ال" + nationality.stem + ("ة" if feminine else ""))
        else:
            words.append(article.unclitic(k, skip) if k == first else article.tokens[k].raw)
    return light(" ".join(words))


def latin_named(article: Article) -> Iterator[Candidate]:
    """Organisations that an Arabic head introduces under their own Latin name (شركة "Signal",
    منظمة "Signal Foundation", شركات Alcoa وMosaic وFluor), then every other place the article
    writes that name: Arabic news often keeps a foreign company's spelling, and neither the
    corpora the model learnt from nor the lists hold such names. The head stays outside, as a
    descriptor (annotation.md: وكالة فرانس برس is فرانس برس)."""
    lex = article.lex
    names: set[tuple[str, ...]] = set()
    for i in [i for i, w in enumerate(article.words) if w.opens_head]:
        head = lex.org_heads.match(article.tokens, i, article.breaks)
        if head is None or head.value == "army" or _gap(article, head.last) not in _QUOTES | {""}:
            continue
        j = head.last + 1
        while (last := _latin_run(article, j)) is not None:
            names.add(tuple(article.words[k].bare for k in range(j, last + 1)))
            j = last + 1
            # the next name of a list: joined by و, or after a comma
            if j >= len(article) or _gap(article, last) not in _LIST_GAPS:
                break
    if not names:
        return
    longest = max(map(len, names))
    firsts = {name[0] for name in names}
    words = [w.bare for w in article.words]
    i = 0
    while i < len(article):
        tried = range(min(longest, len(article) - i), 0, -1) if words[i] in firsts else ()
        found = next((n for n in tried if tuple(words[i : i + n]) in names), None)
        if found is None or _latin_run(article, i) is None:
            i += 1
            continue
        last = i + found - 1
        name = " ".join(words[i : last + 1])
        yield Candidate(i, last, article.words[i].bare_skip, "ORGANIZATION", name, RANK)
        i = last + 1


def _gap(article: Article, k: int) -> str | None:
    """What stands between token ``k`` and the next on the same line, spaces left out; None at a
    line end or the article's end."""
    if k + 1 >= len(article):
        return None
    gap = article.gap(k)
    return None if "\n" in gap else gap.strip()


def _latin_run(article: Article, j: int) -> int | None:
    """The last token of the capitalised Latin words from token ``j`` on (``j`` without its
    proclitic, as in وMosaic), or None if token ``j`` is no such word."""
    last = None
    k = j
    while k < len(article) and k - j < _MAX_LATIN and _capitalised(article.words[k].bare):
        if k > j and article.words[k].bare_skip:
            break  # وFluor opens the next name of a list
        last = k
        if not article.joined(k):
            break
        k += 1
    return last


def _capitalised(word: str) -> bool:
    return word.isascii() and word.isalpha() and word[0].isupper()
