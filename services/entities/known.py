"""Well-known people listed in ``data/people.tsv``, found by their name alone."""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

from services.entities.context import Article, Candidate
from services.entities.lexicon import SPELLING_CACHE_LIMIT
from services.entities.normalize import FAMILY, SON_OF, Variant, join_abd, variants

# Above places (1), organisations (2) and context people (4): a listed name that is exactly as
# long as an organisation read from a head noun (حكومة بنيامين) is the person.
RANK = 5
_PROCLITICS = frozenset("وفبلك")
_LINEAGE = SON_OF | {FAMILY}


def listed(article: Article) -> tuple[list[Candidate], list[Candidate]]:
    """Listed names at every token, longest first at each token: names of two words and more,
    and apart the one-word names such as بوتين, which the caller tries only after the
    article's own people, so that القذافي after سيف الإسلام القذافي stays his."""
    lex = article.lex
    long: list[Candidate] = []
    short: list[Candidate] = []
    if not lex.people:
        return long, short
    spelled = article.spelled
    starts = lex.people_starts
    for i, tok in enumerate(article.tokens):
        readings = starts.get(tok.norm)
        if readings is None:
            readings = _starts(article, tok.norm)
        for skip, first, most in readings:
            found = _longest(article, i, first, spelled, most)
            if found is not None:
                last, words, canonical = found
                if words > 1:
                    long.append(Candidate(i, _lineage_end(article, last), skip, "PERSON", canonical, RANK))
                else:
                    short.append(Candidate(i, last, skip, "PERSON", canonical, RANK))
                break
    return long, short


def _lineage_end(article: Article, last: int) -> int:
    """The last token of a listed name and the lineage written after it, which the list leaves
    out (محمد بن نايف بن عبدالعزيز آل سعود): the outermost name, as annotation.md has it."""
    k = last
    while (
        k + 2 < len(article)
        and article.joined(k)
        and article.joined(k + 1)
        and article.tokens[k + 1].norm in _LINEAGE
        and article.is_arabic(k + 2)
        and not article.is_stop(k + 2)
    ):
        k += 2
    return k


def _starts(article: Article, norm: str) -> tuple[tuple[int, str, int], ...]:
    """The readings of a folded token that may open a listed name, as (skip, first word,
    reach), remembered: nearly every token has none, and all were tried at every token."""
    lex = article.lex
    # Only a token opening with a proclitic letter has other readings worth trying.
    readings = variants(norm) if norm[0] in _PROCLITICS else (Variant(norm, 0),)
    found = []
    for variant in readings:
        first = lex.folded_spelling(variant.form)
        most = lex.people_reach.get(first)
        if most is not None:
            found.append((variant.skip, first, most))
    if len(lex.people_starts) > SPELLING_CACHE_LIMIT:
        lex.people_starts.clear()
    lex.people_starts[norm] = result = tuple(found)
    return result


def canonical_of(article: Article, words: list[str]) -> str | None:
    """The listed canonical of a name found some other way (وقال بوتين), if it is listed."""
    return article.lex.people.get(article.lex.name_key(words))


def _longest(
    article: Article, i: int, first: str, spelled: list[str], most: int
) -> tuple[int, int, str] | None:
    """Last token, number of name words and canonical of the longest listed name from token
    ``i`` (at most ``most`` tokens), within a phrase."""
    reach = 1
    breaks = article.breaks
    while reach < most and i + reach < len(article) and not breaks[i + reach - 1]:
        reach += 1
    for n in range(reach, 0, -1):
        key = join_abd((first, *spelled[i + 1 : i + n]))
        canonical = article.lex.people.get(key)
        if canonical is not None:
            return i + n - 1, len(key), canonical
    return None
