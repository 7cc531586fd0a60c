"""One article's tokens with the word-level facts that every rule asks about."""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

from dataclasses import dataclass, field

from services.entities.lexicon import Lexicon, Nationality
from services.entities.normalize import Token, raw_offset, strip_article, tokenize, variants

_SOFT_GAPS = frozenset({"", "،", ","})
# Word facts are cached per folded word across articles; news vocabulary is bounded, but a
# long-running service should not grow without limit.
_CACHE_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed mention over tokens ``first..last`` before overlaps are settled."""

    first: int
    last: int
    skip: int  # folded proclitic letters dropped from the first token
    type: str
    canonical: str
    rank: int = 0  # breaks ties between equally long candidates; higher wins
    weak: bool = False  # a small place whose name may as well be a person's (بشار)
    geonames_id: int | None = None
    country_code: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(slots=True)
class Article:
    text: str
    lex: Lexicon
    tokens: list[Token] = field(default_factory=list)
    _breaks: list[bool] | None = None
    _spelled: list[str] | None = None

    @classmethod
    def parse(cls, text: str, lex: Lexicon) -> Article:
        return cls(text, lex, tokenize(text))

    def __len__(self) -> int:
        return len(self.tokens)

    @property
    def breaks(self) -> list[bool]:
        """``breaks[i]``: punctuation or a line end separates token ``i`` from the next."""
        if self._breaks is None:
            self._breaks = [not self.joined(i) for i in range(len(self.tokens))]
        return self._breaks

    def joined(self, i: int, *, soft: bool = False) -> bool:
        """True when token ``i`` runs straight into token ``i + 1`` (a comma too if ``soft``)."""
        if i + 1 >= len(self.tokens):
            return False
        gap = self.text[self.tokens[i].end : self.tokens[i + 1].start]
        if "\n" in gap:
            return False
        gap = gap.strip()
        return gap == "" or (soft and gap in _SOFT_GAPS)

    def bare(self, i: int) -> str:
        norm = self.tokens[i].norm
        cache = self.lex.cache
        found = cache.get(norm)
        if found is None:
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            found = cache[norm] = self._bare(i)
        return found

    def _bare(self, i: int) -> str:
        """Token ``i`` without conjunction or preposition.

        Only a reading that leaves a known word is trusted, since names often begin with the
        same letters as the clitics (لافروف, فالون); a leading و on a long word is the exception.
        """
        norm = self.tokens[i].norm
        if self._known(norm):
            return norm
        for form in reversed(self.readings(i)[1:]):
            if len(form) >= 4 and self._known(form):
                return form
        if norm[0] == "و" and len(norm) >= 5:
            return norm[1:]
        return norm

    def _known(self, form: str) -> bool:
        lex = self.lex
        base = strip_article(form)
        for suffix in ("هما", "ها", "هم", "ه"):
            # an attached pronoun (نظيره, بعضها) on an everyday word
            stem = base[: -len(suffix)]
            if base.endswith(suffix) and (_noun(lex, stem) or stem in lex.stopwords):
                return True
        return (
            form in lex.stopwords
            or form in lex.demonyms
            or form in lex.reporting_verbs
            or base in lex.nouns
            or base in lex.verbs
            or base in lex.roles
        )

    def readings(self, i: int) -> list[str]:
        return [v.form for v in variants(self.tokens[i].norm)]

    def stem(self, i: int) -> str:
        return strip_article(self.bare(i))

    def start(self, i: int, skip: int) -> int:
        tok = self.tokens[i]
        return tok.start + raw_offset(tok.raw, skip)

    def skip_of(self, i: int, form: str) -> int:
        for v in variants(self.tokens[i].norm):
            if v.form == form:
                return v.skip
        return 0

    def is_stop(self, i: int) -> bool:
        norm = self.tokens[i].norm
        return norm in self.lex.stopwords or self.bare(i) in self.lex.stopwords or norm.isdigit()

    def is_role(self, i: int) -> bool:
        """A title or role, also with an attached pronoun (رئيسها التنفيذي, نائبه)."""
        stem = self.stem(i)
        return stem in self.lex.roles or stem in self.lex.roles_with_pronoun

    def given(self, i: int) -> int | None:
        """Proclitic letters before a common given name that token ``i`` holds, else None.

        ``على`` folds like the name علي; written with alef maqsura it is the preposition.
        """
        tok = self.tokens[i]
        if tok.raw.endswith("ى") and tok.norm == "علي":
            return None
        return self.lex.given_skip(tok.norm)

    @property
    def spelled(self) -> list[str]:
        """Every token as people's names are compared (see ``Lexicon.name_key``)."""
        if self._spelled is None:
            self._spelled = [self.lex.folded_spelling(t.norm) for t in self.tokens]
        return self._spelled

    def is_verb(self, i: int) -> bool:
        bare = self.bare(i)
        if bare in self.lex.particles:
            return False
        return bare in self.lex.verbs or bare in self.lex.reporting_verbs

    def is_common(self, i: int) -> bool:
        """An everyday word (tanween alef ignored: متحدثا is متحدث)."""
        stem = self.stem(i)
        lex = self.lex
        for word in (stem, stem[:-1] if stem.endswith("ا") else stem):
            if word in lex.nouns or word in lex.verbs or word in lex.roles:
                return True
        return self.is_verb(i) or self._known(self.bare(i))

    def is_inflected(self, i: int) -> bool:
        """An everyday word carrying a pronoun or tanween (قوله, متحدثا): never a name."""
        stem = self.stem(i)
        lex = self.lex
        for suffix in ("هما", "ها", "هم", "ه", "ا"):
            base = stem[: -len(suffix)]
            if stem.endswith(suffix) and (_noun(lex, base) or base in lex.roles):
                return True
        return False

    def nationality(self, i: int) -> tuple[Nationality, str] | None:
        for r in self.readings(i):
            found = self.lex.nationality(r)
            if found is not None:
                return found, r
        return None

    def has_article(self, i: int) -> bool:
        return self.bare(i).startswith("ال")

    def is_arabic(self, i: int) -> bool:
        return all("\u0621" <= ch <= "\u064a" for ch in self.tokens[i].norm)


def _noun(lex: Lexicon, stem: str) -> bool:
    """An everyday noun, also when a pronoun turned its taa marbuta into ت (قيادته, مساعدتها)."""
    return stem in lex.nouns or (stem.endswith("ت") and stem[:-1] + "ه" in lex.nouns)
