"""What the sequence labeller knows of each token of an article: the word without its
proclitics, its shape and neighbours, what the lexicons and gazetteers say of it, and, when
stacked, what the rule-based recogniser made of it (its tag and the rule that proposed it)."""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

from collections.abc import Iterator

from services.entities.context import Article
from services.entities.lexicon import Org
from services.entities.recognizer import Reading

# Features of the neighbours copied onto a token, by offset.
WINDOW = (-2, -1, 1, 2)
_NEIGHBOUR_KEYS = frozenset({"w", "stem", "s2", "lex", "al"})
# Sequences are cut at sentence ends (or at this many tokens): Viterbi is linear in their
# length, and shorter lattices keep a long article cheap.
_SENTENCE_ENDS = frozenset(".!?؟\n")
_MAX_SEQUENCE = 120
_CACHE_LIMIT = 200_000
# a word's own features, and those it lends its neighbours at each offset (prefixed by it)
_Word = tuple[tuple[str, ...], dict[int, tuple[str, ...]]]


def sentences(article: Article) -> Iterator[tuple[int, int]]:
    """(first, end) token ranges of the sentences of an article."""
    tokens, text = article.tokens, article.text
    first = 0
    for i in range(1, len(tokens)):
        gap = text[tokens[i - 1].end : tokens[i].start].strip(" \t")
        if (gap and gap[-1] in _SENTENCE_ENDS) or i - first >= _MAX_SEQUENCE:
            yield first, i
            first = i
    if tokens:
        yield first, len(tokens)


def _short_form(listed: object) -> bool:
    """Whether a listed name is an organisation's short form that counts only beside its full
    name (المرصد, الريال): it casts no vote of the gazetteer's."""
    return isinstance(listed, Org) and listed.coref_only


def rule_tags(reading: Reading) -> tuple[list[str], list[str]]:
    """Per token, the rules' IOB tag (B-PERSON, ...) and the rule behind it ("" outside)."""
    n = len(reading.article)
    tags, sources = [""] * n, [""] * n
    for c, m in reading.mentions:
        for k in range(c.first, c.last + 1):
            tags[k] = f"{'B' if k == c.first else 'I'}-{m.type}"
            sources[k] = c.source
    return tags, sources


class Featurizer:
    """Feature strings per token; ``stacked`` adds the rules' own output."""

    def __init__(self, stacked: bool) -> None:
        self.stacked = stacked
        # a token's own features depend only on its folded form and whether it reads as a given
        # name (علي against على), so they are worked out once per process, within a bound
        self._cache: dict[tuple[str, bool], _Word] = {}

    def _lexical(self, article: Article, i: int) -> list[str]:
        """The lexicon's word classes of token ``i``, as short tags."""
        w, lex, bare = article.words[i], article.lex, article.words[i].bare
        return [
            name
            for name, yes in (
                ("stop", w.stop),
                ("role", w.role),
                ("report", w.reports),
                ("given", article.givens[i] is not None),
                ("demonym", w.nationality is not None),
                ("particle", w.particle),
                ("common", w.common),
                ("inflected", w.inflected),
                ("verb", w.verb),
                ("place_trigger", bare in lex.place_triggers),
                ("org_head", w.opens_head),
                ("not_name", bare in lex.not_names),
            )
            if yes
        ]

    def _word_features(self, article: Article, i: int) -> tuple[str, ...]:
        w = article.words[i]
        bare, stem = w.bare, w.stem
        feats = [
            f"w={bare}",
            f"stem={stem}",
            f"p2={stem[:2]}",
            f"p3={stem[:3]}",
            f"s1={stem[-1:]}",
            f"s2={stem[-2:]}",
            f"s3={stem[-3:]}",
            f"len={min(len(stem), 8)}",
        ]
        if w.definite:
            feats.append("al")
        if w.bare_skip:
            feats.append(f"clitic={article.tokens[i].norm[: w.bare_skip]}")
        if not bare.isalpha():
            feats.append("digit" if bare.isdigit() else "mixed")
        elif bare.isascii():
            feats.append("latin")
        feats.extend(f"lex={t}" for t in self._lexical(article, i))
        return tuple(feats)

    def _features_of(self, article: Article, i: int) -> _Word:
        """``word``, kept per word while training reads the corpora (a tagger keeps the weights
        instead: ``model.Tagger``)."""
        key = (article.tokens[i].norm, article.givens[i] is not None)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            found = self._cache[key] = self.word(article, i)
        return found

    def gazetteer_tags(self, article: Article) -> list[str]:
        """B-/I- tags of the longest listed place or organisation at each token (they vote, the
        model decides): the earlier, plain model's only view of the gazetteers."""
        lex = article.lex
        tags = [""] * len(article)
        i = 0
        while i < len(article):
            w = article.words[i]
            best = None
            for kind, index, opens in (("place", lex.places, w.opens_place), ("org", lex.orgs, w.opens_org)):
                found = index.match(article.tokens, i, article.breaks) if opens else None
                if found is None or _short_form(found.value):
                    continue
                if best is None or found.last > best[1]:
                    best = (kind, found.last)
            if best is None:
                i += 1
                continue
            kind, last = best
            tags[i] = f"B-{kind}"
            for k in range(i + 1, last + 1):
                tags[k] = f"I-{kind}"
            i = last + 1
        return tags

    def word(self, article: Article, i: int) -> _Word:
        """Token ``i``'s own features and those it lends its neighbours, by offset: they depend on
        the word alone (its folded form, and whether it reads as a given name), so the tagger can
        weigh them once per word (``model.Tagger``)."""
        own = self._word_features(article, i)
        lent = [f for f in own if f.split("=", 1)[0] in _NEIGHBOUR_KEYS]
        return own, {offset: tuple(f"{offset}{f}" for f in lent) for offset in WINDOW}

    def contexts(self, reading: Reading) -> Iterator[tuple[int, int, list[list[str]]]]:
        """Per sentence (first and end token), the features of each of its tokens that depend on
        more than the token's word: gazetteer tags, sentence start, bigrams, the rules' output."""
        article = reading.article
        gaz = self.gazetteer_tags(article)
        rules, sources = rule_tags(reading) if self.stacked else ([], [])
        words = article.words
        for first, end in sentences(article):
            sequence = []
            for i in range(first, end):
                feats = [f"gaz={gaz[i]}"] if gaz[i] else []
                if i == first:
                    feats.append("first")
                if self.stacked:
                    feats.append(f"rule={rules[i] or 'O'}")
                    if sources[i]:
                        feats.append(f"src={sources[i]}")
                        feats.append(f"rule+src={rules[i]}|{sources[i]}")
                for offset in WINDOW:
                    k = i + offset
                    if not first <= k < end:
                        continue
                    if gaz[k]:
                        feats.append(f"{offset}gaz={gaz[k]}")
                    if self.stacked:
                        feats.append(f"{offset}rule={rules[k] or 'O'}")
                    if offset == -1:
                        feats.append(f"-1bigram={words[k].bare}|{words[i].bare}")
                    elif offset == 1:
                        feats.append(f"1bigram={words[i].bare}|{words[k].bare}")
                sequence.append(feats)
            yield first, end, sequence

    def article(self, reading: Reading) -> list[list[list[str]]]:
        """Feature strings of every token, one list per sentence (see ``sentences``): what CRFsuite
        is trained on."""
        article = reading.article
        own = [self._features_of(article, i) for i in range(len(article))]
        out = []
        for first, end, contexts in self.contexts(reading):
            sequence = []
            for i, context in zip(range(first, end), contexts, strict=True):
                feats = ["bias", *own[i][0], *context]
                for offset in WINDOW:
                    if first <= i + offset < end:
                        feats.extend(own[i + offset][1][offset])
                sequence.append(feats)
            out.append(sequence)
        return out
