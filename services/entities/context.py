"""One article's tokens with the word-level facts that every rule asks about."""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from services.entities.lexicon import Lexicon, Nationality
from services.entities.normalize import Token, Variant, raw_offset, strip_article, tokenize, variants

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
    # which rule proposed it (see recognizer.SOURCES): the stacked model's features say so
    source: str = ""
    town: bool = False  # a GeoNames city or town, not a country


class Word:
    """Everything the rules ask about one folded word, worked out once per process.

    The answers depend on the folded form alone (and the lexicon), and every rule asks them
    again and again of the same tokens, so they are kept per distinct word across articles.
    """

    __slots__ = (
        "arabic",
        "bare",
        "bare_skip",
        "clitic_noun",
        "common",
        "definite",
        "given",
        "inflected",
        "nationality",
        "opens_head",
        "opens_org",
        "opens_place",
        "particle",
        "plural",
        "readings",
        "reports",
        "role",
        "skips",
        "spellings",
        "spells_abd",
        "stem",
        "stop",
        "verb",
    )

    def __init__(self, norm: str, lex: Lexicon) -> None:
        found = variants(norm)
        self.readings: tuple[str, ...] = tuple(v.form for v in found)
        self.skips: tuple[int, ...] = tuple(v.skip for v in found)
        # each reading as people's names are compared (coreference tries every reading)
        self.spellings: tuple[str, ...] = tuple(lex.folded_spelling(r) for r in self.readings)
        self.spells_abd: bool = any(s.startswith("عبد") for s in self.spellings)
        self.bare: str = _bare(norm, self.readings, lex)
        self.bare_skip: int = _skip_of(found, self.bare)
        self.stem: str = strip_article(self.bare)
        stem = self.stem
        self.stop: bool = norm in lex.stopwords or self.bare in lex.stopwords or norm.isdigit()
        self.role: bool = stem in lex.roles or stem in lex.roles_with_pronoun
        self.verb: bool = self.bare not in lex.particles and (
            self.bare in lex.verbs or self.bare in lex.reporting_verbs
        )
        self.common: bool = _common(stem, self.bare, self.verb, lex)
        self.inflected: bool = _inflected(stem, lex)
        self.nationality: tuple[Nationality, str] | None = None
        for r in self.readings:
            nationality = lex.nationality(r)
            if nationality is not None:
                self.nationality = nationality, r
                break
        self.definite: bool = self.bare.startswith("ال")
        self.arabic: bool = all("\u0621" <= ch <= "\u064a" for ch in norm)
        self.reports: bool = any(r in lex.reporting_verbs for r in self.readings)
        self.given: int | None = lex.given_skip(norm)
        # a people's noun in the sound plural (دبلوماسيون, مسؤولو, للصحافيين): never a name
        self.plural: bool = self.given is None and any(_plural(r, lex) for r in self.readings)
        self.particle: bool = norm in lex.particles
        # a preposition on a short everyday noun (لكرة); see people._clitic_noun
        self.clitic_noun: bool = any(f in lex.nouns for f in self.readings[1:])
        # whether the word may open a listed place, organisation or organisation head noun:
        # the gazetteer rules try only the tokens that do
        self.opens_place: bool = lex.places.opens(norm)
        self.opens_org: bool = lex.orgs.opens(norm)
        self.opens_head: bool = lex.org_heads.opens(norm)


def word(norm: str, lex: Lexicon) -> Word:
    """The facts of a folded word, from the lexicon's bounded cache."""
    cache = lex.words
    found = cache.get(norm)
    if found is None:
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        found = cache[norm] = Word(norm, lex)
    return found


@dataclass(slots=True)
class Article:
    text: str
    lex: Lexicon
    tokens: list[Token] = field(default_factory=list)
    # Per token, filled by ``parse``: the word facts, whether it runs straight into the next
    # token (also across a comma with ``soft``), and its given-name skip. Rules ask these of
    # every token several times over, so they are looked up once here.
    words: list[Word] = field(default_factory=list)
    joins: list[bool] = field(default_factory=list)
    soft_joins: list[bool] = field(default_factory=list)
    givens: list[int | None] = field(default_factory=list)
    _breaks: list[bool] | None = None
    _spelled: list[str] | None = None

    @classmethod
    def parse(cls, text: str, lex: Lexicon) -> Article:
        tokens = tokenize(text)
        article = cls(text, lex, tokens)
        cache = lex.words
        # a Word is always truthy, so ``or`` falls back to working one out only on a miss
        words = [cache.get(tok.norm) or word(tok.norm, lex) for tok in tokens]
        article.words = words
        joined = []
        soft = []
        for k, gap in enumerate(text[left.end : right.start] for left, right in itertools.pairwise(tokens)):
            if gap == " " or gap == "_":  # the commonest gap, and a hashtag's between its words
                joined.append(True)
                soft.append(True)
            elif "\n" in gap:
                joined.append(False)
                soft.append(False)
            else:
                # a hashtag's mark after a given name runs the name on (الرئيس دونالد #ترمب, as
                # Al Arabiya writes); elsewhere it cuts, as the gold does (حركة #طالبان is طالبان)
                hashtag = gap.endswith("#") and gap.strip() == "#" and words[k].given is not None
                gap = gap.strip()
                joined.append(gap == "" or hashtag)
                soft.append(gap == "" or hashtag or gap in _SOFT_GAPS)
        joined.append(False)  # the last token runs into nothing
        soft.append(False)
        article.joins = joined
        article.soft_joins = soft
        # ``على`` folds like the name علي; written with alef maqsura it is the preposition.
        article.givens = [
            None if tok.norm == "علي" and tok.raw.endswith("ى") else w.given
            for tok, w in zip(tokens, words, strict=True)
        ]
        return article

    def __len__(self) -> int:
        return len(self.tokens)

    @property
    def breaks(self) -> list[bool]:
        """``breaks[i]``: punctuation or a line end separates token ``i`` from the next."""
        if self._breaks is None:
            self._breaks = [not j for j in self.joins]
        return self._breaks

    def gap(self, i: int) -> str:
        """What stands between token ``i`` and the next, as written."""
        return self.text[self.tokens[i].end : self.tokens[i + 1].start]

    def joined(self, i: int, *, soft: bool = False) -> bool:
        """True when token ``i`` runs straight into token ``i + 1`` (a comma too if ``soft``)."""
        return (self.soft_joins if soft else self.joins)[i]

    def bare(self, i: int) -> str:
        """Token ``i`` without conjunction or preposition (see ``_bare``)."""
        return self.words[i].bare

    def readings(self, i: int) -> tuple[str, ...]:
        return self.words[i].readings

    def stem(self, i: int) -> str:
        return self.words[i].stem

    def start(self, i: int, skip: int) -> int:
        tok = self.tokens[i]
        return tok.start + raw_offset(tok.raw, skip)

    def unclitic(self, i: int, skip: int) -> str:
        """Token ``i`` as written after ``skip`` proclitic letters; after ``لل`` read as the
        preposition and the article, with the article's alif it elides (للحكومة is الحكومة, as
        annotation.md has the canonical), but not before a word that begins with ل (للبنان)."""
        written = self.text[self.start(i, skip) : self.tokens[i].end]
        norm = self.tokens[i].norm
        elided = skip > 0 and norm[skip - 1 : skip + 1] == "لل" and self.words[i].bare == "ا" + norm[skip:]
        return "ا" + written if elided else written

    def skip_of(self, i: int, form: str) -> int:
        w = self.words[i]
        if form == w.bare:
            return w.bare_skip
        for reading, skip in zip(w.readings, w.skips, strict=True):
            if reading == form:
                return skip
        return 0

    def is_stop(self, i: int) -> bool:
        return self.words[i].stop

    def is_role(self, i: int) -> bool:
        """A title or role, also with an attached pronoun (رئيسها التنفيذي, نائبه)."""
        return self.words[i].role

    def given(self, i: int) -> int | None:
        """Proclitic letters before a common given name that token ``i`` holds, else None."""
        return self.givens[i]

    @property
    def spelled(self) -> list[str]:
        """Every token as people's names are compared (see ``Lexicon.name_key``)."""
        if self._spelled is None:
            self._spelled = [w.spellings[0] for w in self.words]
        return self._spelled

    def is_verb(self, i: int) -> bool:
        return self.words[i].verb

    def is_common(self, i: int) -> bool:
        """An everyday word (tanween alef ignored: متحدثا is متحدث)."""
        return self.words[i].common

    def is_plural(self, i: int) -> bool:
        return self.words[i].plural

    def is_inflected(self, i: int) -> bool:
        """An everyday word carrying a pronoun or tanween (قوله, متحدثا): never a name."""
        return self.words[i].inflected

    def nationality(self, i: int) -> tuple[Nationality, str] | None:
        return self.words[i].nationality

    def has_article(self, i: int) -> bool:
        return self.words[i].definite

    def is_arabic(self, i: int) -> bool:
        return self.words[i].arabic


def _skip_of(found: tuple[Variant, ...], form: str) -> int:
    for v in found:
        if v.form == form:
            return v.skip
    return 0


def _bare(norm: str, readings: tuple[str, ...], lex: Lexicon) -> str:
    """The word without conjunction or preposition.

    Only a reading that leaves a known word is trusted, since names often begin with the
    same letters as the clitics (لافروف, فالون); a leading و on a long word is the exception.
    """
    if _known(norm, lex):
        return norm
    for form in reversed(readings[1:]):
        if len(form) >= 4 and _known(form, lex):
            return form
    if norm[0] == "و" and len(norm) >= 5:
        return norm[1:]
    return norm


def _known(form: str, lex: Lexicon) -> bool:
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


def _common(stem: str, bare: str, verb: bool, lex: Lexicon) -> bool:
    """An everyday word (tanween alef ignored: متحدثا is متحدث)."""
    for w in (stem, stem[:-1] if stem.endswith("ا") else stem):
        if w in lex.nouns or w in lex.verbs or w in lex.roles:
            return True
    return verb or _known(bare, lex)


def _inflected(stem: str, lex: Lexicon) -> bool:
    """An everyday word carrying a pronoun or tanween (قوله, متحدثا)."""
    for suffix in ("هما", "ها", "هم", "ه", "ا"):
        base = stem[: -len(suffix)]
        if stem.endswith(suffix) and (_noun(lex, base) or base in lex.roles):
            return True
    return False


def _plural(form: str, lex: Lexicon) -> bool:
    """A noun of four letters or more in the masculine sound plural (دبلوماسيون, (لل)صحافيين), or
    a participle in its construct form (مسؤولو, ممثلو). Names of a shorter noun and ون are common
    (خلدون, شمعون, زيتون), those of a longer one seldom (ماكرون, هارون); and foreign names end in
    و after nouns that are no participles (ساديو)."""
    bare = strip_article(form)
    for ending in ("ون", "ين", "و"):
        base = bare[: -len(ending)]
        if not bare.endswith(ending) or len(base) < 4 or (ending == "و" and not base.startswith("م")):
            continue
        if base in lex.nouns or base in lex.roles:
            return True
    return False


def _noun(lex: Lexicon, stem: str) -> bool:
    """An everyday noun, also when a pronoun turned its taa marbuta into ت (قيادته, مساعدتها)."""
    return stem in lex.nouns or (stem.endswith("ت") and stem[:-1] + "ه" in lex.nouns)
