"""Other forms of a query word that the index's analysis does not reach.

Spellings: letters that are different in Arabic words but interchangeable in transliterated names
(سيرغي, سيرجي, سيرگي). Normalisation in the index already folds hamza, alef and taa marbuta forms.

Clitics: the index's light stemmer takes off one conjunction or the article with its prefix (و,
وال, بال, لل, ...), not a conjunction and a preposition together nor a bare preposition, so
وبالمدينة and بغزة never meet المدينة and غزة. The word read without them is offered beside it; a
reading that is no word (فلسطين as لسطين) matches nothing and costs nothing.

Both are expanded only at query time, and only for plain words.
"""

from __future__ import annotations

import itertools
import re

# a word of letters only: anything with an operator or punctuation is left exactly as typed
_WORD = re.compile(r"^\w+$")


def spellings(word: str, groups: list[list[str]], limit: int) -> list[str]:
    """The word first, then its variants with letters swapped within a group, at most `limit` in all."""
    group_of = {letter: group for group in groups for letter in group}
    choices = [group_of.get(letter, [letter]) for letter in word]
    found = ["".join(letters) for letters in itertools.islice(itertools.product(*choices), limit)]
    return [word, *(spelling for spelling in found if spelling != word)][:limit]


_CONJUNCTIONS = "وف"
_PREPOSITIONS = "بلك"
MIN_STEM = 3  # letters left after the clitics: shorter, the letters were the word's own


def without_clitics(word: str) -> list[str]:
    """The word without a leading conjunction, preposition, or both (وب, فل), as written."""
    found = []
    starts = [1] if word[:1] in _CONJUNCTIONS and len(word) > MIN_STEM else []
    for start in [0, *starts]:
        if start:
            found.append(word[start:])
        if word[start : start + 1] in _PREPOSITIONS and len(word) - start - 1 >= MIN_STEM:
            rest = word[start + 1 :]
            found.append(rest)
            # لل is ل before the article, whose alef it swallows: للسعودية is ل + السعودية (but
            # للاجئين is ل + اللاجئين, whose rest لاجئين is right as it is)
            if word[start] == "ل" and rest[0] == "ل":
                found.append("ا" + rest)
    return [form for form in found if len(form) >= MIN_STEM]


def expand(q: str, groups: list[list[str]], limit: int, clitics: bool = False) -> str:
    """The query in simple_query_string syntax, each plain word OR-ed with its other forms."""
    terms = []
    for word in q.split():
        found = [word]
        if _WORD.match(word):
            found = spellings(word, groups, limit)
            if clitics:
                found += [form for form in without_clitics(word) if form not in found]
        terms.append(found[0] if len(found) == 1 else "(" + " | ".join(found) + ")")
    return " ".join(terms)
