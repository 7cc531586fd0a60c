"""What the sequence labeller knows of each segment: the word, its shape, its neighbours, and
what the project's lexicons and gazetteers say of it (they vote as features; the model decides).
"""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

from functools import lru_cache

from services.entities.lexicon import Lexicon
from services.entities.normalize import strip_article
from services.entities.segment import Segment

# Features of the neighbours that are copied onto a segment, by offset.
_WINDOW = (-2, -1, 1, 2)
_NEIGHBOUR_KEYS = ("w", "stem", "s2", "lex", "gaz", "al")


class Featurizer:
    def __init__(self, lex: Lexicon) -> None:
        self._lex = lex
        self.word_features = lru_cache(maxsize=131072)(self._word_features)
        self.neighbour_features = lru_cache(maxsize=262144)(self._neighbour_features)

    def _lexical(self, norm: str) -> list[str]:
        """The lexicon classes of a folded word, as short tags."""
        lex = self._lex
        stem = strip_article(norm)
        tags = []
        if norm in lex.stopwords or norm.isdigit():
            tags.append("stop")
        if stem in lex.roles or stem in lex.roles_with_pronoun:
            tags.append("role")
        if norm in lex.reporting_verbs:
            tags.append("report")
        if lex.folded_spelling(norm) in lex.given_names:
            tags.append("given")
        if lex.nationality(norm) is not None:
            tags.append("demonym")
        if norm in lex.particles:
            tags.append("particle")
        if stem in lex.nouns:
            tags.append("noun")
        if stem in lex.verbs:
            tags.append("verb")
        if norm in lex.place_triggers:
            tags.append("place_trigger")
        if lex.org_heads.opens(norm):
            tags.append("org_head")
        return tags

    def _word_features(self, norm: str) -> tuple[str, ...]:
        stem = strip_article(norm)
        feats = [
            f"w={norm}",
            f"stem={stem}",
            f"p2={stem[:2]}",
            f"p3={stem[:3]}",
            f"s1={stem[-1:]}",
            f"s2={stem[-2:]}",
            f"s3={stem[-3:]}",
            f"len={min(len(stem), 8)}",
        ]
        if norm.startswith("ال"):
            feats.append("al")
        if not norm.isalpha():
            feats.append("digit" if norm.isdigit() else "mixed")
        elif norm.isascii():
            feats.append("latin")
        feats.extend(f"lex={t}" for t in self._lexical(norm))
        return tuple(feats)

    def gazetteer_tags(self, segments: list[Segment]) -> list[str]:
        """B-/I- tags of the longest listed place, organisation or person at each segment."""
        lex = self._lex
        breaks = [False] * len(segments)
        for i in range(len(segments) - 1):
            breaks[i] = segments[i + 1].gap != ""
        tags = [""] * len(segments)
        i = 0
        while i < len(segments):
            best = None
            norm = segments[i].norm
            for kind, index in (("place", lex.places), ("org", lex.orgs)):
                # opens() is one cached look-up; nearly every segment opens no listed name
                found = index.match(segments, i, breaks) if index.opens(norm) else None
                if found is not None and found.skip == 0 and (best is None or found.last > best[1]):
                    best = (kind, found.last)
            if best is None and (lex.folded_spelling(norm),) in lex.people:
                best = ("person", i)
            if best is None:
                i += 1
                continue
            kind, last = best
            tags[i] = f"B-{kind}"
            for k in range(i + 1, last + 1):
                tags[k] = f"I-{kind}"
            i = last + 1
        return tags

    def _neighbour_features(self, norm: str, offset: int) -> tuple[str, ...]:
        """What a segment ``offset`` places away lends of its word, prefixed by the offset."""
        keys = _NEIGHBOUR_KEYS
        return tuple(f"{offset}{f}" for f in self.word_features(norm) if f.split("=", 1)[0] in keys)

    def sequence(self, segments: list[Segment]) -> list[list[str]]:
        """Feature strings for every segment of one sequence."""
        gaz = self.gazetteer_tags(segments)
        words = self.word_features
        neighbour = self.neighbour_features
        out = []
        n = len(segments)
        for i, seg in enumerate(segments):
            feats = ["bias", *words(seg.norm)]
            if gaz[i]:
                feats.append(f"gaz={gaz[i]}")
            if seg.clitic:
                feats.append(f"clitic={seg.clitic}")
            if seg.gap:
                feats.append(f"gap={seg.gap[-1]}")
            if i == 0:
                feats.append("first")
            for offset in _WINDOW:
                k = i + offset
                if 0 <= k < n:
                    other = segments[k]
                    feats.extend(neighbour(other.norm, offset))
                    if gaz[k]:
                        feats.append(f"{offset}gaz={gaz[k]}")
                    if offset == -1:
                        feats.append(f"-1bigram={other.norm}|{seg.norm}")
                        if other.clitic:
                            feats.append(f"clitic-1={other.clitic}")
                    elif offset == 1:
                        feats.append(f"1bigram={seg.norm}|{other.norm}")
                        if other.gap:
                            feats.append(f"gap+1={other.gap[-1]}")
            out.append(feats)
        return out
