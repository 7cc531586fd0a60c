"""What the model found, made into mentions: titles and administrative heads trimmed off,
function words and common nouns refused, and each name linked to its canonical form and, for
places, to GeoNames. The gazetteers link here; they never make a mention on their own."""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.entities.lexicon import DATA, Lexicon, Place
from services.entities.normalize import fold, light, strip_article, unmarked
from services.entities.phrases import PhraseIndex, V
from services.entities.segment import Segment

# Descriptor heads dropped from an organisation's canonical when the rest is a listed name
# (تنظيم داعش -> داعش, وكالة فرانس برس -> فرانس برس); حزب الله keeps its head, being listed whole.
_DESCRIPTORS = frozenset(fold(w) for w in ("تنظيم", "حركة", "وكالة", "شركة", "جماعة", "ميليشيا", "مليشيا"))
_ADMINISTRATIVE = "drop"  # place_triggers.tsv kind of heads that are not part of the name
_CLITICS = frozenset("وفبلك")
# Honorifics before a person's name; before a place or a body they may belong to its name
# (المملكة العربية السعودية, الشيخ مقصود), so only titles and roles are trimmed there.
_HONORIFICS = frozenset(
    fold(w)
    for w in ("صاحب", "السمو", "سمو", "معالي", "فخامة", "سعادة", "سماحة", "جلالة", "الشيخ", "الملك", "الأمير")
)


@dataclass(frozen=True, slots=True)
class Linked:
    first: int  # segment indices, inclusive
    last: int
    type: str
    canonical: str
    place: Place | None = None


def _words(path: Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(fold(line.strip()) for line in lines if line.strip() and not line.startswith("#"))


class Linker:
    def __init__(self, lex: Lexicon, data: Path = DATA) -> None:
        self._lex = lex
        self._not_names = _words(data / "not_names.txt")

    def _listed(self, index: PhraseIndex[V], segments: list[Segment], first: int, last: int) -> V | None:
        """The listed value named by exactly segments first..last, if any."""
        # only the span's own segments: the whole article's would make this cost its length
        span = segments[first : last + 1]
        found = index.match(span, 0, [False] * len(span))
        if found is not None and found.skip == 0 and found.last == last - first:
            return found.value
        return None

    def refused(self, segments: list[Segment], first: int, last: int) -> bool:
        """A function word, pronoun, title or common noun, alone or only such words."""
        lex = self._lex
        norms = [segments[k].norm for k in range(first, last + 1)]
        if " ".join(norms) in self._not_names:
            return True
        if all(n in self._not_names or n in lex.stopwords or n.isdigit() for n in norms):
            return True
        if len(norms) > 1:
            return False
        norm = norms[0]
        if len(strip_article(norm)) < 2 or lex.nationality(norm) is not None:
            return True
        if norm[0] in _CLITICS and norm[1:] in lex.stopwords:
            return True  # بانه the Iranian town is far rarer than بأنه, "that he"
        stem = strip_article(norm)
        listed = lex.places.opens(norm) or lex.orgs.opens(norm) or lex.name_key((norm,)) in lex.people
        everyday = stem in lex.nouns or stem in lex.roles or norm in lex.reporting_verbs
        return everyday and not listed and lex.folded_spelling(norm) not in lex.given_names

    def trim(self, segments: list[Segment], first: int, last: int, type_: str) -> tuple[int, int] | None:
        """Titles before a name and administrative heads before a place are outside the span."""
        lex = self._lex
        while first < last and (
            strip_article(segments[first].norm) in lex.roles
            or (type_ == "PERSON" and segments[first].norm in _HONORIFICS)
        ):
            first += 1
        if (
            type_ == "LOCATION"
            and first < last
            and lex.place_triggers.get(segments[first].norm) == _ADMINISTRATIVE
        ):
            first += 1
        if self.refused(segments, first, last):
            return None
        return first, last

    def surface(self, segments: list[Segment], first: int, last: int) -> list[str]:
        """The words as written, the article restored after لل (لجيش -> الجيش)."""
        words = [segments[k].raw for k in range(first, last + 1)]
        if (
            segments[first].clitic.endswith("ل")
            and segments[first].norm.startswith("ال")
            and words[0][:1] == "ل"
        ):
            words[0] = "ا" + words[0]
        return words

    def link(self, segments: list[Segment], first: int, last: int, type_: str) -> Linked:
        lex = self._lex
        words = self.surface(segments, first, last)
        if type_ == "LOCATION":
            place = self._listed(lex.places, segments, first, last)
            if place is None and last > first and segments[first].norm in lex.place_triggers:
                place = self._listed(lex.places, segments, first + 1, last)
                if place is not None:  # مطار حلب: the facility, with its city's coordinates
                    return Linked(
                        first,
                        last,
                        type_,
                        light(" ".join(words)),
                        Place(
                            light(" ".join(words)),
                            None,
                            place.country_code,
                            place.lat,
                            place.lon,
                            "facility",
                            0,
                        ),
                    )
            if place is not None:
                return Linked(first, last, type_, unmarked(place.canonical), place)
            return Linked(first, last, type_, light(" ".join(words)))
        if type_ == "ORGANIZATION":
            org = self._listed(lex.orgs, segments, first, last)
            if org is None and last > first and segments[first].norm in _DESCRIPTORS:
                org = self._listed(lex.orgs, segments, first + 1, last)
            if org is not None:
                return Linked(first, last, type_, unmarked(org.canonical))
            return Linked(first, last, type_, light(" ".join(words)))
        spelled = [lex.person_spelling(w) for w in words]
        key = lex.name_key(spelled)
        listed = lex.people.get(key)
        return Linked(first, last, type_, unmarked(listed) if listed else " ".join(_joined(spelled)))

    def coreference(self, found: list[Linked]) -> list[Linked]:
        """Within one article, a person's family name alone (لافروف) and an organisation's
        shorter form (وزارة الدفاع) take the canonical of the one full name they belong to.
        Dictionaries of the full names' keys make this one pass, whatever the article's length."""
        lex = self._lex
        people: dict[tuple[str, ...], set[str]] = {}
        orgs: dict[str, set[str]] = {}
        for f in found:
            if f.type == "PERSON" and " " in f.canonical:
                key = lex.name_key(f.canonical.split())
                for k in range(1, len(key)):
                    people.setdefault(key[k:], set()).add(f.canonical)
            elif f.type == "ORGANIZATION" and " " in f.canonical:
                words = f.canonical.split()
                for k in range(1, len(words)):
                    orgs.setdefault(fold(" ".join(words[:k])), set()).add(f.canonical)
        out = []
        for f in found:
            if f.type == "PERSON":
                owners = people.get(lex.name_key(f.canonical.split()), set())
            elif f.type == "ORGANIZATION":
                owners = orgs.get(fold(f.canonical), set())
            else:
                owners = set()
            if len(owners) == 1:
                f = Linked(f.first, f.last, f.type, next(iter(owners)), f.place)
            out.append(f)
        return out


def _joined(words: list[str]) -> list[str]:
    """عبد الرحمن written as one word, as in عبدالرحمن, so both spellings meet."""
    out: list[str] = []
    for w in words:
        if out and fold(out[-1]) == "عبد":
            out[-1] += w
        else:
            out.append(w)
    return out
