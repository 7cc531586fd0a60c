"""The entities a query names, read from what the entity service linked in the index.

The entity service writes each mention's surface (`entities.text`) and canonical name into the
article, whichever spelling or alias the article used: داعش and تنظيم الدولة both become
تنظيم الدولة الإسلامية. So a run of query words that some article's mention was written as names
that mention's canonical, and the search can reach every article linked to it. A service imports no
other service, so the index itself is the entity service's answer here, and it holds only what the
recogniser really linked. Runs are looked up as typed, without proclitics, with the alef, taa
marbuta and yaa forms writers mix, and in the spellings of foreign sounds (جوتيريس as غوتيريس).
Latin-letter names and acronyms that no Arabic article writes come from data/entity_aliases.tsv
(Trump, ISIS), mapped to the canonicals the service writes.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.search.variants import spellings, without_clitics

ALIASES = Path(__file__).with_name("data") / "entity_aliases.tsv"
MAX_WORDS = 4  # the longest run of query words looked up as one name
MAX_CANDIDATES = 400  # surfaces in one lookup: a long query is a sentence, not a list of names
# a surface names a canonical when at least this share of its linked mentions are that canonical:
# the recogniser's rare slips do not drag other entities into a query
MIN_SHARE = 0.2
_ALEFS = "اأإآ"
_ENDINGS = {"ة": "ه", "ه": "ة", "ى": "ي", "ي": "ى"}


@dataclass(frozen=True)
class Named:
    """An entity the query names: its canonical and type, and which of the query's words name it."""

    canonical: str
    type: str
    words: frozenset[int]  # positions in q.split()


def load_aliases(path: Path = ALIASES) -> dict[tuple[str, ...], tuple[str, str]]:
    """Lowercased alias words -> (canonical, type)."""
    aliases = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            alias, canonical, entity_type = line.split("\t")
            aliases[tuple(alias.lower().split())] = (canonical, entity_type)
    return aliases


@functools.cache
def aliases() -> dict[tuple[str, ...], tuple[str, str]]:
    return load_aliases()


def letter_forms(word: str) -> list[str]:
    """The word with its first alef and its last letter in each form writers use for them."""
    firsts = [word]
    at = 2 if word.startswith("ال") else 0
    if word[at : at + 1] and word[at] in _ALEFS:
        firsts = [word[:at] + alef + word[at + 1 :] for alef in _ALEFS]
    found = []
    for form in firsts:
        found.append(form)
        if form[-1] in _ENDINGS:
            found.append(form[:-1] + _ENDINGS[form[-1]])
    return list(dict.fromkeys(found))


def word_forms(word: str, groups: list[list[str]], limit: int) -> list[str]:
    readings = [word, *without_clitics(word)]
    forms = [
        f
        for reading in readings
        for spelled in spellings(reading, groups, limit)
        for f in letter_forms(spelled)
    ]
    return list(dict.fromkeys(forms))


def candidates(q: str, groups: list[list[str]], limit: int) -> dict[str, frozenset[int]]:
    """Surfaces a mention of the query's words could have been written as -> the words' positions.

    Only the first word of a run loses its proclitics (وتنظيم الدولة, not تنظيم والدولة).
    """
    words = q.split()
    found: dict[str, frozenset[int]] = {}
    for n in range(min(MAX_WORDS, len(words)), 0, -1):
        for start in range(len(words) - n + 1):
            run = words[start : start + n]
            options = [word_forms(run[0], groups, limit)]
            options += [[f for s in spellings(w, groups, limit) for f in letter_forms(s)] for w in run[1:]]
            positions = frozenset(range(start, start + n))
            for combination in itertools.islice(itertools.product(*options), MAX_CANDIDATES):
                found.setdefault(" ".join(combination), positions)
                if len(found) >= MAX_CANDIDATES:
                    return found
    return found


def lookup_body(surfaces: list[str]) -> dict[str, Any]:
    """Keyword arguments for `search`: the canonicals and types linked to each of these surfaces."""
    nested = {"terms": {"entities.text": surfaces}}
    by_canonical = {
        "terms": {"field": "entities.canonical", "size": 5},
        "aggs": {"type": {"terms": {"field": "entities.type", "size": 1}}},
    }
    return {
        "size": 0,
        "query": {"nested": {"path": "entities", "query": nested}},
        "aggs": {
            "mentions": {
                "nested": {"path": "entities"},
                "aggs": {
                    "wanted": {
                        "filter": nested,
                        "aggs": {
                            "surface": {
                                "terms": {"field": "entities.text", "size": len(surfaces)},
                                "aggs": {"canonical": by_canonical},
                            }
                        },
                    }
                },
            }
        },
    }


def linked(response: dict[str, Any], surfaces: dict[str, frozenset[int]], q: str) -> list[Named]:
    """The entities named by the query, from the lookup's answer and the aliases; where two
    overlap, the one naming more of the query's words (تنظيم الدولة over الدولة)."""
    found: list[Named] = []
    buckets = response["aggregations"]["mentions"]["wanted"]["surface"]["buckets"]
    for surface in buckets:
        for canonical in surface["canonical"]["buckets"]:
            if canonical["doc_count"] >= MIN_SHARE * surface["doc_count"]:
                entity_type = canonical["type"]["buckets"][0]["key"]
                found.append(Named(canonical["key"], entity_type, surfaces[surface["key"]]))
    found += _aliased(q.split(), aliases())
    return _widest(found)


def _aliased(words: list[str], table: dict[tuple[str, ...], tuple[str, str]]) -> list[Named]:
    lowered = [w.lower() for w in words]
    return [
        Named(*table[tuple(lowered[start : start + n])], frozenset(range(start, start + n)))
        for n in range(1, min(MAX_WORDS, len(words)) + 1)
        for start in range(len(words) - n + 1)
        if tuple(lowered[start : start + n]) in table
    ]


def _widest(found: list[Named]) -> list[Named]:
    """Each canonical once, at its widest run; then no entity on a run inside another one's."""
    widest: dict[str, Named] = {}
    for entity in found:
        if entity.canonical not in widest or len(entity.words) > len(widest[entity.canonical].words):
            widest[entity.canonical] = entity
    ranked = sorted(widest.values(), key=lambda e: -len(e.words))
    return [e for e in ranked if not any(e.words < other.words for other in ranked)]
