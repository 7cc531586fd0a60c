"""Organisations recognised by their head noun: وزارة ..., جبهة ..., الجيش السوري."""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

from collections.abc import Iterator

from services.entities.context import Article, Candidate
from services.entities.normalize import light

RANK = 2
_MAX_NAME = 3


def headed(article: Article) -> Iterator[Candidate]:
    lex = article.lex
    for i in [i for i, w in enumerate(article.words) if w.opens_head]:  # the others match no head
        if i >= len(article) - 1:
            break
        head = lex.org_heads.match(article.tokens, i, article.breaks)
        if head is None:
            continue
        j = head.last + 1
        definite = article.has_article(i)
        feminine = article.tokens[head.last if head.value == "army" else i].norm.endswith("ه")
        if head.value == "army":
            last = _army(article, head.last, definite=definite, feminine=feminine)
        elif definite:
            continue  # "المجلس" alone points back to something named before
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
            start = article.start(k, skip) if k == first else article.tokens[k].start
            words.append(article.text[start : article.tokens[k].end])
    return light(" ".join(words))
