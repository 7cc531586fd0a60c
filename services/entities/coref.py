"""Canonical names for people, and their later short mentions (ملاحفجي, كيري, الأسد)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from services.entities import known
from services.entities.context import Article, Candidate
from services.entities.normalize import FAMILY, SON_OF, fold, join_abd

_JOINING = frozenset({"عبد", "ابو", "أبو"})
RANK = 4


def canonical_words(article: Article, c: Candidate) -> list[str]:
    """Spelled the usual way, with ``عبد الرحمن`` written as one word as in عبدالرحمن, and the
    family's ``آل`` with its madda, which the usual spelling's one alef would take (آل خليفة, not
    ال خليفة)."""
    words: list[str] = []
    for k in range(c.first, c.last + 1):
        raw = article.tokens[k].raw
        if k == c.first:
            raw = article.text[article.start(k, c.skip) : article.tokens[k].end]
        word = "آل" if k > c.first and fold(raw) == FAMILY else article.lex.person_spelling(raw)
        if words and fold(words[-1]) == "عبد":
            words[-1] += word
        else:
            words.append(word)
    return words


def name_people(article: Article, people: Iterable[Candidate]) -> list[Candidate]:
    """Canonical names; one found alone by context (وأضاف ملاحفجي) joins its full name in the
    article, else a listed well-known person's (وقال بوتين). Listed people keep theirs, and so
    does a full name of a listed person found otherwise (the trained labeller's كيم جونغ-أون is
    كيم جونغ أون, not كيم جونغ اون)."""
    named = [c if c.canonical else _with(c, _full_name(article, c)) for c in people]
    aliases = _aliases(article, [c for c in named if " " in c.canonical])
    out = []
    for c in named:
        words = c.canonical.split()
        canonical = aliases.get(article.lex.name_key(words)) or known.canonical_of(article, words)
        out.append(_with(c, canonical or c.canonical))
    return out


def _full_name(article: Article, c: Candidate) -> str:
    words = canonical_words(article, c)
    listed = known.canonical_of(article, words) if len(words) > 1 else None
    return listed or " ".join(words)


def short_mentions(article: Article, people: list[Candidate], taken: set[int]) -> Iterator[Candidate]:
    """Every other mention of a named person: the full name again, or the family name alone."""
    aliases = _aliases(article, people)
    if not aliases:
        return
    longest = max(len(k) for k in aliases)
    firsts = {k[0] for k in aliases}
    spelled = article.spelled
    words = article.words
    i = 0
    while i < len(article):
        w = words[i]
        # _alias_at's own test for a reading opening an alias, without the call, as most fail it
        opens = w.spells_abd or not firsts.isdisjoint(w.spellings)
        hit = (
            _alias_at(article, i, aliases, longest, firsts, spelled, taken)
            if opens and i not in taken
            else None
        )
        if hit is None:
            i += 1
            continue
        yield hit
        i = hit.last + 1


def _aliases(article: Article, people: list[Candidate]) -> dict[tuple[str, ...], str]:
    aliases: dict[tuple[str, ...], str] = {}
    for c in sorted(people, key=lambda p: p.first):
        words = article.lex.name_key(c.canonical.split())
        aliases.setdefault(words, c.canonical)
        # آل نهيان, آل ثاني name a whole ruling family, not one of its members; after بن the last
        # word is a father's or grandfather's given name (فيصل بن بندر بن عبدالعزيز), no family name
        dynasty = len(words) > 2 and words[-2] == FAMILY
        lineage = len(words) > 2 and words[-2] in SON_OF
        if (
            len(words) > 1
            and words[-1] not in _JOINING
            and not dynasty
            and not lineage
            and _distinctive(article, words[-1])
        ):
            aliases.setdefault(words[-1:], c.canonical)
    return aliases


def _distinctive(article: Article, word: str) -> bool:
    """A family name that is also an everyday word (نور, حسن) is only kept with the article,
    and never when it is a function or time word (الصباح: the morning)."""
    base = word[2:] if word.startswith("ال") else word
    if base in article.lex.stopwords or word in article.lex.stopwords:
        return False
    return word.startswith("ال") or (base not in article.lex.nouns and base not in article.lex.verbs)


def _alias_at(
    article: Article,
    i: int,
    aliases: dict[tuple[str, ...], str],
    longest: int,
    firsts: set[str],
    spelled: list[str],
    taken: set[int],
) -> Candidate | None:
    w = article.words[i]
    # the readings' spellings are worked out once per word (see context.Word)
    for reading, first in zip(w.readings, w.spellings, strict=True):
        if first not in firsts and not first.startswith("عبد"):
            continue
        for n in range(min(longest, len(article) - i), 0, -1):
            span = range(i + 1, i + n)
            if any(k in taken for k in span):
                continue
            canonical = aliases.get(join_abd((first, *(spelled[k] for k in span))))
            if canonical is not None:
                return Candidate(i, i + n - 1, article.skip_of(i, reading), "PERSON", canonical, RANK)
    return None


def _with(c: Candidate, canonical: str) -> Candidate:
    return Candidate(c.first, c.last, c.skip, c.type, canonical, c.rank, source=c.source)
