"""Spellings of one word that Arabic writers use for the same foreign sound (سيرغي, سيرجي, سيرگي).

Normalisation in the index already folds hamza, alef and taa marbuta forms; these are letters that are
different in Arabic words but interchangeable in transliterated names, so they are expanded only at
query time, and only for plain words.
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


def expand(q: str, groups: list[list[str]], limit: int) -> str:
    """The query in simple_query_string syntax, each plain word OR-ed with its spellings."""
    terms = []
    for word in q.split():
        found = spellings(word, groups, limit) if _WORD.match(word) else [word]
        terms.append(found[0] if len(found) == 1 else "(" + " | ".join(found) + ")")
    return " ".join(terms)
