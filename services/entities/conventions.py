"""How ``specs/annotation.md`` cuts a name where the corpora the labeller learnt from, or a list,
cut it otherwise: punctuation inside, administrative and descriptor heads, a nationality
adjective before a person. Used on the labeller's spans (``conformed``) and on the rules'
organisations (``descriptor_head``)."""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

from services.entities.context import Article

Span = tuple[int, int, str]  # first and last token (inclusive) and type


def conformed(article: Article, found: list[Span]) -> list[Span]:
    """The model's spans cut as ``annotation.md`` cuts names where the corpora it learnt from cut
    them otherwise: at punctuation inside (a quotation mark, a bracket, a comma: تنظيم "داعش",
    برشلونة، أندريس إنييستا), the pieces kept apart, but not at guillemets, which stay inside a
    name; without a place's leading head that is not part of its name (مدينة تدمر -> تدمر;
    ``place_triggers.tsv``, "drop"), an organisation's descriptor head (``descriptor_head``) or a
    person's leading nationality adjective (المصري محمد صلاح). A piece of one word that is a head
    noun, a common word or a nationality adjective is no mention (وكالة, الأربعاء, الإسبانية)."""
    out = []
    for first, last, type_ in found:
        cuts = [k + 1 for k in range(first, last) if _cuts(article, k)]
        for a, b in zip([first, *cuts], [*cuts, last + 1], strict=True):
            while b - a > 1 and article.lex.place_triggers.get(article.words[a].bare) == "drop":
                a += 1
            if type_ == "ORGANIZATION" and b - a > 1 and descriptor_head(article, a):
                a += 1
            while type_ == "PERSON" and b - a > 1 and _demonym(article, a):
                a += 1  # المصري محمد صلاح: the adjective is a demonym, not of the name
            if b - a > 1 or not (cuts and plain(article, a)):
                out.append((a, b - 1, type_))
    return out


def descriptor_head(article: Article, i: int) -> bool:
    """Whether token ``i`` is a descriptor head (``descriptor_heads.txt``) before a name, not
    before an everyday word."""
    return article.words[i].bare in article.lex.descriptor_heads and not plain(article, i + 1)


def _demonym(article: Article, i: int) -> bool:
    """A nationality adjective that is no given name too (تركي آل الشيخ is a name)."""
    return article.words[i].nationality is not None and article.givens[i] is None


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
