"""Longest-match lookup of multi-word phrases over tokens, tolerant of proclitics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from services.entities.normalize import Token, fold, variants

V = TypeVar("V")
# News vocabulary is bounded, but a long-running service should not grow without limit.
_CACHE_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class Match(Generic[V]):
    first: int  # token index
    last: int  # token index, inclusive
    skip: int  # folded proclitic letters dropped from the first token
    value: V


class PhraseIndex(Generic[V]):
    """Phrases keyed by their folded words; the first word may carry proclitics in the text."""

    def __init__(self) -> None:
        self._phrases: dict[tuple[str, ...], V] = {}
        self._longest: dict[str, int] = {}
        # folded token -> its readings that open a phrase, as (form, skip, longest): asked at
        # every token of every article, and for nearly all of them the answer is none
        self._starts: dict[str, tuple[tuple[str, int, int], ...]] = {}

    def add(self, phrase: str, value: V) -> None:
        words = tuple(fold(phrase).replace("-", " ").split())
        if not words:
            return
        self._phrases.setdefault(words, value)
        self._longest[words[0]] = max(self._longest.get(words[0], 0), len(words))
        self._starts.clear()  # computed from _longest

    def _starts_of(self, norm: str) -> tuple[tuple[str, int, int], ...]:
        found = self._starts.get(norm)
        if found is None:
            if len(self._starts) > _CACHE_LIMIT:
                self._starts.clear()
            longest = self._longest
            found = self._starts[norm] = tuple(
                (v.form, v.skip, longest[v.form]) for v in variants(norm) if v.form in longest
            )
        return found

    def __contains__(self, phrase: str) -> bool:
        return tuple(fold(phrase).split()) in self._phrases

    def opens(self, norm: str) -> bool:
        """Whether some reading of the folded token opens a phrase: few tokens do, and only
        those are worth a ``match``."""
        found = self._starts.get(norm)
        if found is None:
            found = self._starts_of(norm)
        return bool(found)

    def match(self, tokens: list[Token], i: int, breaks: list[bool]) -> Match[V] | None:
        """The longest phrase starting at token ``i`` and not crossing a break in ``breaks``;
        a bare reading beats a clitic one."""
        best: Match[V] | None = None
        starts = self._starts.get(tokens[i].norm)
        if starts is None:
            starts = self._starts_of(tokens[i].norm)
        for form, skip, longest in starts:
            reach = 1
            while reach < longest and i + reach < len(tokens) and not breaks[i + reach - 1]:
                reach += 1
            for n in range(reach, 0, -1):
                if best is not None and n <= best.last - best.first + 1:
                    break
                key = (form, *[t.norm for t in tokens[i + 1 : i + n]])
                value = self._phrases.get(key)
                if value is not None:
                    best = Match(i, i + n - 1, skip, value)
                    break
        return best
