"""How ``specs/annotation.md`` cuts a name where the corpora the labeller learnt from cut it
otherwise: punctuation inside; administrative and descriptor heads; a title or a
nationality adjective before a person (``conformed``, used on the labeller's spans)."""

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
        cuts = [k + 1 for k in range(first, last) if _cuts(article, k)]
        for a, b in zip([first, *cuts], [*cuts, last + 1], strict=True):
            a = _start(article, a, b - 1, type_)
            if b - a > 1 or not (cuts and plain(article, a)):
                out.append((a, b - 1, type_))
    return out


def _start(article: Article, first: int, last: int, type_: str) -> int:
    """The first token of the name in tokens first..last, past a place's administrative head
    (مدينة تدمر; ``place_triggers.tsv``, "drop"), an organisation's descriptor head
    (``descriptor_head``), or a person's title or nationality adjective that is no given name too
    (البابا فرانسيس, المصري محمد صلاح; but أمين رحمن مجدي, تركي آل الشيخ)."""
    words, lex = article.words, article.lex
    a = first
    while last > a and lex.place_triggers.get(words[a].bare) == "drop":
        a += 1
    if type_ == "ORGANIZATION" and last > a and descriptor_head(article, a):
        a += 1
    while type_ == "PERSON" and last > a and article.givens[a] is None and _before_person(article, a):
        a += 1
    return a


def _before_person(article: Article, i: int) -> bool:
    """A title (البابا) or nationality adjective (المصري), which annotation.md keeps out."""
    return article.words[i].role or article.words[i].nationality is not None


def descriptor_head(article: Article, i: int) -> bool:
    """Whether token ``i`` is a descriptor head (``descriptor_heads.txt``) before a name, not
    before an everyday word."""
    return article.words[i].bare in article.lex.descriptor_heads and not plain(article, i + 1)


def _cuts(article: Article, k: int) -> bool:
    """Whether punctuation stands between token ``k`` and the next, other than guillemets or a
    hyphen, which stay inside a name (كيم جونغ-أون)."""
    if not article.breaks[k]:
        return False
    gap = article.text[article.tokens[k].end : article.tokens[k + 1].start]
    return not any(mark in gap for mark in "«»-")


def plain(article: Article, i: int) -> bool:
    """Whether token ``i`` is no name on its own: a head noun, an everyday or function word, or a
    nationality adjective."""
    w = article.words[i]
    head = w.opens_head or w.bare in article.lex.place_triggers
    return head or w.common or w.stop or w.nationality is not None
