"""The tokens the recogniser sees, in training and at run time: words with their proclitics
(و ف ب ل ك, and لل for ل + the article) split off, offsets exact in the original text.

Arabic writes و ف ب ل ك onto the next word, and names often begin with the same letters
(لافروف, بوتين, فالون, وليام). A general-purpose Arabic segmenter (Farasa, MADAMIRA) would
decide this with a morphological analyser, but none is a well-kept CPU Python package that
keeps character offsets; the decision here needs only the project's own word lists, so it is
written out: a clitic is split off when what remains is a word the lexicon knows (or carries
the article), and never when the whole token already is one.
"""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from services.entities.lexicon import Lexicon
from services.entities.normalize import raw_offset, tokenize

_CONJUNCTIONS = "وف"
_PREPOSITIONS = "بلك"
_ARTICLE = "ال"
# A long word opening with و and known in no form is far more often "and X" than a name
# (وكوناشنيكوف); the few names that open with و (وليد, وائل) are in the given-name list.
_LONG_WAW = 5


class Segment(NamedTuple):
    """One token as the model sees it; ``start``/``end`` cover the word without its clitic.

    ``norm`` is the folded word without clitics; after لل the article's alif, which Arabic
    does not write, is restored (للجيش: text ``لجيش``, norm ``الجيش``). Field names match
    ``normalize.Token`` so that the gazetteers' phrase index matches segments too.
    """

    start: int
    end: int
    raw: str
    norm: str
    clitic: str  # folded proclitic letters split off the front, "" for none
    gap: str  # the text between the previous token and this one, stripped ("" when joined)


class Split(NamedTuple):
    clitic: str
    skip: int  # folded letters of the token left out of the segment
    norm: str


class Segmenter:
    """Splits tokens against a vocabulary of known folded words (see module docstring)."""

    def __init__(self, known: Iterable[str], names: Iterable[str]) -> None:
        self._names = frozenset(names)
        self._known = frozenset(known) | self._names
        self.split = lru_cache(maxsize=131072)(self._split)

    @classmethod
    def from_lexicon(cls, lex: Lexicon) -> Segmenter:
        """Known words: the lexicon's everyday and function words, and every listed name's."""
        names = {w for key in lex.people for w in key} | lex.places.first_words() | lex.orgs.first_words()
        words = lex.stopwords | lex.nouns | lex.verbs | lex.roles | lex.reporting_verbs | lex.particles
        return cls(words | set(lex.demonyms), names | lex.given_names)

    def _is_word(self, form: str) -> bool:
        if form in self._known:
            return True
        base = form[2:] if form.startswith(_ARTICLE) and len(form) > 3 else form
        return base in self._known

    def _remains(self, form: str) -> bool:
        """Whether ``form`` can be what is left after a clitic: the everyday word lists hold
        rare three-letter forms (يام) that would eat the start of names, so three letters
        must be a listed name (حلب), and a bare article must bear three letters more."""
        if len(form) <= 3:
            return form in self._names
        return (form.startswith(_ARTICLE) and len(form) >= 5) or self._is_word(form)

    def _split(self, norm: str) -> Split:
        if len(norm) < 3 or self._is_word(norm):
            return Split("", 0, norm)
        rest, clitic = norm, ""
        if rest[0] in _CONJUNCTIONS:
            rest, clitic = rest[1:], rest[0]
        if len(rest) >= 4 and rest.startswith("لل"):
            return Split(clitic + "ل", len(clitic) + 1, _ARTICLE + rest[2:])
        if len(rest) >= 3 and rest[0] in _PREPOSITIONS:
            bare = rest[1:]
            if self._remains(bare):
                return Split(clitic + rest[0], len(clitic) + 1, bare)
        if clitic and self._remains(rest):
            return Split(clitic, 1, rest)
        if clitic == "و" and len(norm) >= _LONG_WAW:
            return Split(clitic, 1, rest)
        return Split("", 0, norm)

    def segments(self, text: str) -> list[Segment]:
        out: list[Segment] = []
        previous_end = 0
        for tok in tokenize(text):
            clitic, skip, norm = self.split(tok.norm)
            start = tok.start + raw_offset(tok.raw, skip) if skip else tok.start
            gap = text[previous_end : tok.start]
            out.append(
                Segment(start, tok.end, text[start : tok.end], norm, clitic, gap.strip() or _newline(gap))
            )
            previous_end = tok.end
        return out


def _newline(gap: str) -> str:
    """A line end between two words is a break like punctuation; spaces are not."""
    return "\n" if "\n" in gap else ""
