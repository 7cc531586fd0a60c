"""Longest-match lookup of multi-word phrases over tokens, tolerant of proclitics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from services.entities.normalize import Token, fold, variants

V = TypeVar("V")


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

    def add(self, phrase: str, value: V) -> None:
        words = tuple(fold(phrase).replace("-", " ").split())
        if not words:
            return
        self._phrases.setdefault(words, value)
        self._longest[words[0]] = max(self._longest.get(words[0], 0), len(words))

    def __contains__(self, phrase: str) -> bool:
        return tuple(fold(phrase).split()) in self._phrases

    def match(self, tokens: list[Token], i: int, breaks: list[bool]) -> Match[V] | None:
        """The longest phrase starting at token ``i`` and not crossing a break in ``breaks``;
        a bare reading beats a clitic one."""
        best: Match[V] | None = None
        for variant in variants(tokens[i].norm):
            longest = self._longest.get(variant.form)
            if longest is None:
                continue
            reach = 1
            while reach < longest and i + reach < len(tokens) and not breaks[i + reach - 1]:
                reach += 1
            for n in range(reach, 0, -1):
                if best is not None and n <= best.last - best.first + 1:
                    break
                key = (variant.form, *(t.norm for t in tokens[i + 1 : i + n]))
                value = self._phrases.get(key)
                if value is not None:
                    best = Match(i, i + n - 1, variant.skip, value)
                    break
        return best
