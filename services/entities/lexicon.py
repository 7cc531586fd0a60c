"""Loading of the data files under ``data/`` into lookup structures, once per process."""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from services.entities.normalize import fold, join_abd, light, strip_article, variants
from services.entities.phrases import PhraseIndex

if TYPE_CHECKING:  # context imports this module; the cache only needs the name
    from services.entities.context import Word

DATA = Path(__file__).parent / "data"


# News vocabulary is bounded, but a long-running service should not grow without limit.
SPELLING_CACHE_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class Place:
    canonical: str
    geonames_id: int | None
    country_code: str | None
    lat: float | None
    lon: float | None
    kind: str
    population: int


@dataclass(frozen=True, slots=True)
class Org:
    canonical: str
    type: str
    coref_only: bool


@dataclass(frozen=True, slots=True)
class Nationality:
    country: str
    country_code: str
    stem: str  # the country's usual adjective, so that أميركي and أمريكي name one thing


@dataclass(slots=True)
class Lexicon:
    places: PhraseIndex[Place] = field(default_factory=PhraseIndex)
    orgs: PhraseIndex[Org] = field(default_factory=PhraseIndex)
    demonyms: dict[str, Nationality] = field(default_factory=dict)
    org_heads: PhraseIndex[str] = field(default_factory=PhraseIndex)
    place_triggers: dict[str, str] = field(default_factory=dict)
    descriptor_heads: frozenset[str] = frozenset()  # before an organisation's name, not of it
    direction_words: frozenset[str] = frozenset()  # before a place's name, not of it
    locatives: frozenset[str] = frozenset()  # prepositions of place
    time_words: frozenset[str] = frozenset()  # after a name, never of it
    roles: frozenset[str] = frozenset()
    reporting_verbs: frozenset[str] = frozenset()
    stopwords: frozenset[str] = frozenset()
    # function words, pronouns, titles and common nouns that equal a name in some gazetteer
    # (specs/annotation.md, "Not mentions"): a mention made of these alone is never kept
    not_names: frozenset[str] = frozenset()
    pronouns: frozenset[str] = frozenset()  # among not_names; no name opens with one either
    particles: frozenset[str] = frozenset()
    nouns: frozenset[str] = frozenset()
    verbs: frozenset[str] = frozenset()
    money: dict[str, str] = field(default_factory=dict)  # folded word -> currency/magnitude/exchange
    named_after: frozenset[str] = frozenset()  # a person's name after one names a thing (جائزة نوبل)
    spellings: dict[str, str] = field(default_factory=dict)
    # folded word -> what the rules ask about it (see context.Word), bounded by context
    words: dict[str, Word] = field(default_factory=dict)
    # word -> fold(person_spelling(word)): coreference asks it for every token of every article
    # that names a person, and two translate() calls a token were a sixth of the recogniser's time
    spelled: dict[str, str] = field(default_factory=dict)
    # well-known people: name key (see name_key) -> canonical, and how many tokens a listed
    # name opening with a word may span in text at most (عبد الله is one token or two)
    people: dict[tuple[str, ...], str] = field(default_factory=dict)
    people_reach: dict[str, int] = field(default_factory=dict)  # by the key's first word
    # folded token -> its readings that may open a listed name (see known._starts)
    people_starts: dict[str, tuple[tuple[int, str, int], ...]] = field(default_factory=dict)
    given_names: frozenset[str] = frozenset()  # name_key spelling of common given names
    given_cache: dict[str, int | None] = field(default_factory=dict)  # folded token -> skip
    # roles with an attached pronoun (رئيسها, نائبته), asked of nearly every token
    roles_with_pronoun: frozenset[str] = frozenset()

    @classmethod
    def load(cls, data: Path = DATA) -> Lexicon:
        lex = cls()
        for row in _rows(data / "places.tsv", header=True):
            lex.places.add(
                row[0], Place(row[1], int(row[2]), row[3], float(row[4]), float(row[5]), row[6], int(row[7]))
            )
        for row in _rows(data / "organizations.tsv"):
            for alias in row[2].split("|"):
                coref = alias.startswith("coref:")
                lex.orgs.add(alias.removeprefix("coref:"), Org(row[0], row[1], coref))
        stems: dict[str, str] = {}
        for row in _rows(data / "demonyms.tsv"):
            if row[0] == "stem":
                stems.setdefault(row[2], light(row[1]))
            nationality = Nationality(row[3], row[2], stems.get(row[2], ""))
            for form in _demonym_forms(row[0], row[1]):
                lex.demonyms[form] = nationality
        for row in _rows(data / "org_heads.tsv"):
            lex.org_heads.add(row[0], row[1])
        lex.place_triggers = {fold(r[0]): r[1] for r in _rows(data / "place_triggers.tsv")}
        lex.descriptor_heads = frozenset(fold(w) for w in _words(data / "descriptor_heads.txt"))
        lex.direction_words = frozenset(fold(w) for w in _words(data / "direction_words.txt"))
        lex.locatives = frozenset(fold(w) for w in _words(data / "locative_prepositions.txt"))
        lex.time_words = frozenset(fold(w) for w in _words(data / "time_words.txt"))
        lex.roles = frozenset(strip_article(fold(w)) for w in _words(data / "roles.txt"))
        lex.roles_with_pronoun = frozenset(
            form + pronoun
            for role in lex.roles
            for form in {role, role[:-1] + "ت" if role.endswith("ه") else role}
            for pronoun in ("هما", "ها", "هم", "ه")
        )
        lex.reporting_verbs = frozenset(fold(w) for w in _words(data / "reporting_verbs.txt"))
        lex.stopwords = frozenset(fold(w) for w in _words(data / "stopwords.txt"))
        lex.pronouns = frozenset(fold(w) for w in _words(data / "pronouns.txt"))
        lex.not_names = lex.pronouns | {fold(w) for w in _words(data / "not_names.txt")}
        lex.particles = frozenset(fold(w) for w in _words(data / "name_particles.txt"))
        common = list(_rows(data / "common_words.txt"))
        lex.nouns = frozenset(r[0] for r in common if r[1] == "n")
        hand_verbs = {fold(w) for w in _words(data / "verbs.txt")}
        lex.verbs = frozenset(r[0] for r in common if r[1] == "v") | hand_verbs
        lex.money = {fold(r[0]): r[1] for r in _rows(data / "money.tsv")}
        lex.named_after = frozenset(fold(w) for w in _words(data / "named_after.txt"))
        lex.spellings = {r[0]: r[1] for r in _rows(data / "name_spellings.tsv")}
        lex._load_people(data / "people.tsv")
        lex.given_names = frozenset(lex.folded_spelling(fold(w)) for w in _words(data / "given_names.txt"))
        return lex

    def _load_people(self, path: Path) -> None:
        """Every listed spelling keyed like a name in text; the first listing of a key wins."""
        for row in _rows(path):
            canonical = row[0]
            for name in (canonical, *filter(None, row[1].split("|"))):
                words = fold(name).split()
                key = self.name_key(words)
                self.people.setdefault(key, canonical)
                split = sum(1 for w in words if w.startswith("عبد") and len(w) > 3)
                for first in (key[0], "عبد"):  # a text may write عبدالله as عبد الله
                    self.people_reach[first] = max(self.people_reach.get(first, 0), len(words) + split)

    def given_skip(self, norm: str) -> int | None:
        """Proclitic letters before a common given name in the folded token, else None."""
        if norm in self.given_cache:
            return self.given_cache[norm]
        if len(self.given_cache) > SPELLING_CACHE_LIMIT:
            self.given_cache.clear()
        found = None
        for v in variants(norm):
            if self.folded_spelling(v.form) in self.given_names:
                found = v.skip
                break
        self.given_cache[norm] = found
        return found

    def name_key(self, words: Iterable[str]) -> tuple[str, ...]:
        """How a name is compared: folded, ج/غ spelling merged, عبد joined to the next word."""
        return join_abd(tuple(self.folded_spelling(w) for w in words))

    def nationality(self, form: str) -> Nationality | None:
        return self.demonyms.get(form)

    def person_spelling(self, word: str) -> str:
        """One spelling per name across articles: سيرغي and سيرجي both give سيرجي."""
        return self.spellings.get(fold(word), light(word))

    def folded_spelling(self, word: str) -> str:
        """fold(person_spelling(word)), remembered; bounded like the bare-reading cache."""
        found = self.spelled.get(word)
        if found is None:
            if len(self.spelled) > SPELLING_CACHE_LIMIT:
                self.spelled.clear()
            found = self.spelled[word] = fold(self.person_spelling(word))
        return found


def _demonym_forms(kind: str, form: str) -> Iterator[str]:
    folded = fold(form)
    if kind == "word":
        yield folded
        return
    for suffix in ("", "ه", "ين", "ون", "ان", "تين", "تان"):
        yield folded + suffix
        yield "ال" + folded + suffix


def _content(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                yield line.rstrip("\n")


def _rows(path: Path, header: bool = False) -> Iterator[list[str]]:
    lines = _content(path)
    if header:
        next(lines, None)
    yield from csv.reader(lines, delimiter="\t")


def _words(path: Path) -> Iterator[str]:
    yield from _content(path)
