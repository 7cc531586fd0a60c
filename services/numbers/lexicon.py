"""The word lists of the numbers grammar, read once from the data files beside this module.

Every form is stored under its normalised key (see tokens.word_key), and phrases as tuples of
keys, so that the grammar compares tokens with plain dictionary look-ups.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from services.numbers.tokens import word_key
from shared import resources

DATA_DIR = Path(__file__).with_name("data")

Phrase = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UnitEntry:
    """A counted noun: its lemma, whether it measures time, and whether the form is a dual."""

    lemma: str
    is_time: bool
    is_dual: bool


@dataclass(frozen=True, slots=True)
class MonthEntry:
    number: int
    strict: bool
    hijri: bool = False


@dataclass(frozen=True)
class Lexicon:
    # key -> role -> value: some forms (آلاف) have two roles, chosen by position.
    cardinals: dict[str, dict[str, float]]
    ordinals: dict[str, int]
    # Ordinals without the article that stand before their noun ("ثاني مدن").
    leading_ordinals: frozenset[str]
    months: dict[Phrase, MonthEntry]
    units: dict[str, UnitEntry]
    # Phrases before and after a number, each with the qualifier it gives.
    qualifiers_before: dict[Phrase, str]
    qualifiers_after: dict[Phrase, str]
    markers: dict[str, frozenset[Phrase]]
    model_prefixes: frozenset[str]
    # The one-word forms of each marker class, kept apart because the grammar tests single keys
    # against them on nearly every token.
    _single: dict[str, frozenset[str]] = field(init=False, repr=False)
    # The words phrases can end or start with: a token that is none of them rules out every
    # phrase there with one set look-up, before any tuple of keys is built.
    qualifier_before_lasts: frozenset[str] = field(init=False, repr=False)
    qualifier_after_firsts: frozenset[str] = field(init=False, repr=False)
    month_firsts: frozenset[str] = field(init=False, repr=False)
    marker_firsts: dict[str, frozenset[str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        single = {
            cls: frozenset(phrase[0] for phrase in phrases if len(phrase) == 1)
            for cls, phrases in self.markers.items()
        }
        object.__setattr__(self, "_single", single)
        lasts = frozenset(phrase[-1] for phrase in self.qualifiers_before if phrase)
        object.__setattr__(self, "qualifier_before_lasts", lasts)
        firsts = frozenset(phrase[0] for phrase in self.qualifiers_after if phrase)
        object.__setattr__(self, "qualifier_after_firsts", firsts)
        object.__setattr__(self, "month_firsts", frozenset(phrase[0] for phrase in self.months if phrase))
        marker_firsts = {
            cls: frozenset(phrase[0] for phrase in phrases if phrase) for cls, phrases in self.markers.items()
        }
        object.__setattr__(self, "marker_firsts", marker_firsts)

    def marker_starts(self, cls: str) -> frozenset[str]:
        """The words a phrase of a marker class can start with."""
        return self.marker_firsts.get(cls, frozenset())

    def is_marker(self, cls: str, phrase: Phrase) -> bool:
        return phrase in self.markers.get(cls, frozenset())

    def single_markers(self, cls: str) -> frozenset[str]:
        """The one-word forms of a marker class."""
        return self._single.get(cls, frozenset())


def _rows(name: str) -> list[list[str]]:
    return _table((DATA_DIR / name).read_text(encoding="utf-8"))


def _table(text: str) -> list[list[str]]:
    """The tab-separated rows of a lexicon file, without blank lines and # comments."""
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def phrase_key(text: str) -> Phrase:
    return tuple(word_key(word) for word in text.split())


def load_lexicon() -> Lexicon:
    cardinals: dict[str, dict[str, float]] = defaultdict(dict)
    for form, value, role in _rows("cardinals.tsv"):
        cardinals[word_key(form)][role] = float(value)

    months: dict[Phrase, MonthEntry] = {}
    # shared with ingest, which reads publication dates with the same month names
    for number, form, *flags in _table(resources.read_text("months.tsv")):
        words = flags[0].split() if flags else []
        months[phrase_key(form)] = MonthEntry(int(number), "strict" in words, "hijri" in words)

    units: dict[str, UnitEntry] = {}
    for form, lemma, *flags in _rows("units.tsv"):
        words = flags[0].split() if flags else []
        units[word_key(form)] = UnitEntry(lemma, "time" in words, "dual" in words)

    before: dict[Phrase, str] = {}
    after: dict[Phrase, str] = {}
    for qualifier, position, phrase in _rows("qualifiers.tsv"):
        (before if position == "before" else after)[phrase_key(phrase)] = qualifier

    markers: dict[str, set[Phrase]] = defaultdict(set)
    for cls, form in _rows("markers.tsv"):
        markers[cls].add(phrase_key(form))

    ordinal_rows = _rows("ordinals.tsv")
    return Lexicon(
        cardinals=dict(cardinals),
        ordinals={word_key(row[0]): int(row[1]) for row in ordinal_rows},
        leading_ordinals=frozenset(word_key(row[0]) for row in ordinal_rows if row[2:] == ["leads"]),
        months=months,
        units=units,
        qualifiers_before=before,
        qualifiers_after=after,
        markers={cls: frozenset(phrases) for cls, phrases in markers.items()},
        model_prefixes=frozenset(word_key(row[0]) for row in _rows("identifiers.txt")),
    )
