"""How ``specs/annotation.md`` cuts a name where the corpora the labeller learnt from cut it
otherwise: punctuation inside; administrative and descriptor heads; a direction before a place
and a word of time after a name; a title or a nationality adjective before a person
(``conformed``, used on the labeller's spans; the rules drop descriptor heads by
``descriptor_head`` too)."""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

from services.entities.context import Article

Span = tuple[int, int, str]  # first and last token (inclusive) and type


def conformed(article: Article, found: list[Span]) -> list[Span]:
    """The model's spans cut as ``annotation.md`` cuts names where the corpora it learnt from cut
    them otherwise: at punctuation inside (a quotation mark, a bracket, a comma: تنظيم "داعش",
    برشلونة، أندريس إنييستا), the pieces kept apart, but not at guillemets or a hyphen, which stay
    inside a name; and without what leads into the name but is not of it (``_start``). A piece of one word
    that is a head noun, a common word or a nationality adjective is no mention (وكالة, الأربعاء,
    الإسبانية)."""
    out = []
    for first, last, type_ in found:
        # a name a place's head opens is a place (حي هنانو, مطار الملك خالد), whatever the
        # labeller, which has seen the given names after it, made of it
        if type_ == "PERSON" and last > first and article.words[first].bare in article.lex.place_triggers:
            type_ = "LOCATION"
        cuts = [k + 1 for k in range(first, last) if _cuts(article, k)]
        for a, b in zip([first, *cuts], [*cuts, last + 1], strict=True):
            a = _start(article, a, b - 1, type_)
            b = _end(article, a, b - 1) + 1
            if b - a > 1 or not (cuts and plain(article, a)):
                out.append((a, b - 1, type_))
    return _as_elsewhere(article, out)


def _as_elsewhere(article: Article, found: list[Span]) -> list[Span]:
    """An organisation's descriptor head kept before an everyday word (حركة طالبان: "students")
    is dropped after all where the article writes the organisation without it too (طالبان alone):
    that is its usual name here. The labeller, deciding token by token, takes the head in with
    some occurrences only. (Cutting other leading or trailing words so, a verb before a person or
    a weekday after a place, lost more than it won on the ANT gold and NewsFANEGold.)"""
    alone = written_alone(article, found)
    out = []
    for a, b, type_ in found:
        if type_ == "ORGANIZATION" and b > a and without_head(article, a, b, alone):
            a += 1
        out.append((a, b, type_))
    return out


def written_alone(article: Article, found: list[Span]) -> set[tuple[str, ...]]:
    """The words of the organisations among ``found`` that the article writes with no descriptor
    head before them."""
    return {
        _words(article, a, b)
        for a, b, type_ in found
        if type_ == "ORGANIZATION" and not (a > 0 and is_head(article, a - 1))
    }


def without_head(article: Article, first: int, last: int, alone: set[tuple[str, ...]]) -> bool:
    """Whether tokens first..last are a descriptor head and the name annotation.md keeps: one
    that is no everyday word, or one the article writes alone too (``written_alone``)."""
    return is_head(article, first) and (
        descriptor_head(article, first, last) or _words(article, first + 1, last) in alone
    )


def is_head(article: Article, i: int) -> bool:
    """Whether token ``i`` is a word of ``descriptor_heads.txt``, whatever follows it."""
    return article.words[i].bare in article.lex.descriptor_heads


def _words(article: Article, first: int, last: int) -> tuple[str, ...]:
    return tuple(w.bare for w in article.words[first : last + 1])


def _start(article: Article, first: int, last: int, type_: str) -> int:
    """The first token of the name in tokens first..last, past a place's administrative head
    (مدينة تدمر; ``place_triggers.tsv``, "drop") or a direction before a place that is not
    listed whole with it (جنوب فرنسا, but جنوب السودان), an organisation's descriptor head
    (``descriptor_head``), or a person's title or nationality adjective that is no given name too
    (البابا فرانسيس, المصري محمد صلاح; but أمين رحمن مجدي, تركي آل الشيخ)."""
    words, lex = article.words, article.lex
    a = first
    while last > a and lex.place_triggers.get(words[a].bare) == "drop":
        a += 1
    while type_ == "LOCATION" and last > a and words[a].bare in lex.direction_words:
        if _listed(article, a, last):
            break
        a += 1
    if type_ == "ORGANIZATION" and last > a and descriptor_head(article, a, last):
        a += 1
    while type_ == "PERSON" and last > a and article.givens[a] is None and _before_person(article, a):
        a += 1
    # an everyday word before a title (داعيا المشير خليفة حفتر: "calling for field marshal ...")
    while type_ == "PERSON" and last > a + 1 and _leads_title(article, a):
        a += 2
    return a


def _end(article: Article, first: int, last: int) -> int:
    """The last token of the name in tokens first..last: before a word of time the labeller ran it
    on into (``time_words.txt``: سيول الخميس), unless the whole is listed (روسيا اليوم)."""
    words, lex = article.words, article.lex
    while last > first and words[last].bare in lex.time_words and not _listed(article, first, last):
        last -= 1
    return last


def _listed(article: Article, first: int, last: int) -> bool:
    """Whether tokens first..last are a listed place or organisation, whole."""
    lex = article.lex
    for index in (lex.places, lex.orgs):
        found = index.match(article.tokens, first, article.breaks)
        if found is not None and found.last == last:
            return True
    return False


def _leads_title(article: Article, i: int) -> bool:
    """Whether token ``i`` is an everyday word, no given name nor particle of one (عبد الأمير is
    a name), and a title follows it."""
    nxt = i + 1
    w = article.words[i]
    everyday = w.common and not w.particle and article.givens[i] is None
    return everyday and article.givens[nxt] is None and article.words[nxt].role


def _before_person(article: Article, i: int) -> bool:
    """A title (البابا) or nationality adjective (المصري), which annotation.md keeps out."""
    return article.words[i].role or article.words[i].nationality is not None


def descriptor_head(article: Article, i: int, last: int) -> bool:
    """Whether token ``i`` is a descriptor head (``descriptor_heads.txt``) before a name, tokens
    up to ``last``: one not made of everyday words only (وكالة فرانس برس, but وكالة الأنباء
    السعودية, تنظيم الدولة)."""
    if article.words[i].bare not in article.lex.descriptor_heads:
        return False
    return not all(plain(article, k) for k in range(i + 1, last + 1))


def _cuts(article: Article, k: int) -> bool:
    """Whether punctuation stands between token ``k`` and the next, other than guillemets or a
    hyphen, which stay inside a name (كيم جونغ-أون)."""
    if not article.breaks[k]:
        return False
    gap = article.gap(k)
    return not any(mark in gap for mark in "«»-")


def plain(article: Article, i: int) -> bool:
    """Whether token ``i`` is no name on its own: a head noun, an everyday or function word, or a
    nationality adjective."""
    w = article.words[i]
    head = w.opens_head or w.bare in article.lex.place_triggers
    return head or w.common or w.stop or w.nationality is not None
