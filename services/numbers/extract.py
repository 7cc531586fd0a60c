"""Numeric mentions of an Arabic news article: counts, percentages, dates, times, durations.

The public face of the numbers service: `NumberExtractor().extract(body, reference_date)` and
`publication_date(body)`. The grammar itself lives in the sibling modules; this one walks the
tokens, asks each reader in turn whether a mention starts there, and classifies what it finds.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from services.numbers.calendars import resolve
from services.numbers.context import (
    NounBefore,
    Unit,
    dual_unit,
    is_year_marker,
    noun_before,
    qualifier_after,
    qualifier_before,
    unit_at,
)
from services.numbers.dates import read_date, read_time, read_year
from services.numbers.identifiers import identifier_spans
from services.numbers.lexicon import load_lexicon
from services.numbers.numerals import Numeral, opening_keys, read_numeral, read_ordinal
from services.numbers.tokens import Marked, Token, TokenKind, TokenTable, skip_letters, word_key

__all__ = ["Mention", "NumberExtractor"]

_ARTICLE = "ال"  # opens "الـ 9 من ديسمبر"
_FIRST = "اول"
_INITIAL = "اولي"  # the key of أولى "first" and of أولي "initial" alike
_YEH = "\N{ARABIC LETTER YEH}"
_HAMZA_ALEFS = frozenset("\N{ARABIC LETTER ALEF WITH HAMZA ABOVE}\N{ARABIC LETTER ALEF WITH HAMZA BELOW}")
_WAW = "و"
_BETWEEN, _FROM, _TO = "بين", "من", "الي"  # keys: إلى folds to الي
_YEAR_PAIR_JOINERS = frozenset({"/", "-"})
_DUAL_CLITICS = ("", "ال", "و", "وال", "ب", "بال", "ل", "لل")  # "خلال العامين", "لليومين"
_DUAL_PREPOSITIONS = frozenset("وبلف")
_AND_A_HALF = "ونصف"
_SHORTEST_NAME = 4  # a word joined to a number is a name of at least this many letters after و
_OLDEST = 120  # a bare number under or over a limit reads as an age below this
_RANGE_DASHES = frozenset({"-", "\N{EN DASH}", "\N{EM DASH}"})
# A dateline sits in the first lines, alone or nearly so on its line.
_DATELINE_SEARCH_CHARS = 600
_DATELINE_MAX_LINE = 120
# Characters of context tokenized around a number: enough for "ما لا يقل عن" before it and
# for its noun, a paired month name, a year and a time of day after it.
_CONTEXT_BEFORE = 40
_CONTEXT_AFTER = 60
_DATE_TIME_GLUE = " -\N{EN DASH}\N{EM DASH}|،,"


@dataclass(frozen=True, slots=True)
class Mention:
    """One numeric mention; `text == body[start:end]`."""

    text: str
    start: int
    end: int
    kind: str
    value: float | None
    iso: str | None
    unit: str | None
    qualifier: str | None
    # The upper bound of a range (`value` is the lower one).
    high: float | None = None
    # A Hijri date or year as written, `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; `iso` is its Gregorian form.
    hijri: str | None = None


def _close_identifiers(tokens: list[Token], spans: list[tuple[int, int]]) -> list[Token]:
    """Replace the tokens of each identifier by one opaque token, so no reader crosses it."""
    if not spans:
        return tokens
    closed: list[Token] = []
    span_index = 0
    for token in tokens:
        while span_index < len(spans) and spans[span_index][1] <= token.start:
            span_index += 1
        if span_index < len(spans) and token.end > spans[span_index][0]:
            start, end = spans[span_index]
            if not closed or closed[-1].start != start:
                closed.append(Token(TokenKind.PUNCT, start, end, ""))
            continue
        closed.append(token)
    return closed


def _word_boundary_before(text: str, offset: int) -> int:
    while offset > 0 and not text[offset - 1].isspace():
        offset -= 1
    return offset


def _word_boundary_after(text: str, offset: int) -> int:
    while offset < len(text) and not text[offset].isspace():
        offset += 1
    return offset


class NumberExtractor:
    """Finds numeric mentions in article text.

    Loads its word lists once; what it returns depends on its arguments only (the caches it
    keeps change speed, not results).
    """

    def __init__(self) -> None:
        self._lexicon = load_lexicon()
        # Most words open no mention; testing them against this set first spares every reader
        # a look at them, which is most of the cost of a scan.
        self._openers = (
            opening_keys(self._lexicon)
            | {phrase[0] for phrase in self._lexicon.months}
            | {
                clitic + key
                for key, entry in self._lexicon.units.items()
                if entry.is_dual
                for clitic in _DUAL_CLITICS
            }
            | self._lexicon.single_markers("first_day")
            | {_ARTICLE}
        )
        self._table = TokenTable(self._openers)
        # The last dateline head read and what it gave: callers ask for the publication date and
        # then extract (which reads the dateline again when given no date) from the same body.
        # One entry suffices for that and holds no more than one head alive.
        self._last_dateline: tuple[str, str | None] | None = None

    def extract(self, text: str, reference_date: dt.date | None = None) -> list[Mention]:
        """All numeric mentions of `text`, in order.

        `reference_date` supplies the year of dates written without one; when None, the
        article's own dateline is used if it has one.
        """
        reference = reference_date or self._dateline_day(text)
        return self._scan(text, reference)

    def publication_date(self, text: str) -> str | None:
        """ISO date, or date-time, of the dateline near the top of the article, if any."""
        head = text[:_DATELINE_SEARCH_CHARS]
        last = self._last_dateline
        if last is not None and last[0] == head:
            return last[1]
        published = self._read_dateline(head)
        self._last_dateline = (head, published)
        return published

    def _read_dateline(self, head: str) -> str | None:
        # Only a short line with a digit can be a dateline (every full date has its year in
        # digits), so only those are read: most articles open with a long paragraph.
        for line in head.split("\n"):
            if len(line) <= _DATELINE_MAX_LINE and any(char.isdigit() for char in line):
                published = self._dateline_in(line)
                if published is not None:
                    return published
        return None

    def _dateline_in(self, line: str) -> str | None:
        mentions = self._scan(line, None)
        for position, mention in enumerate(mentions):
            if mention.kind != "date" or mention.iso is None or len(mention.iso) != len("YYYY-MM-DD"):
                continue
            following = mentions[position + 1] if position + 1 < len(mentions) else None
            if following is not None and mention.hijri and self._equivalent(line, mention, following):
                # "6 شوال 1436 هـ الموافق 22 يوليو 2015 م": the paper's own Gregorian day, which
                # may differ by one from the Umm al-Qura tables.
                mention = following
                following = mentions[position + 2] if position + 2 < len(mentions) else None
            if (
                following is not None
                and following.kind == "time"
                and not line[mention.end : following.start].strip(_DATE_TIME_GLUE)
            ):
                return f"{mention.iso}T{following.iso}"
            return mention.iso
        return None

    def _equivalent(self, text: str, hijri: Mention, other: Mention) -> bool:
        """Whether `other` is the Gregorian form of the Hijri date `hijri`, joined by الموافق."""
        if other.kind != "date" or other.hijri is not None or other.iso is None or len(other.iso) != 10:
            return False
        between = word_key(text[hijri.end : other.start].strip(_DATE_TIME_GLUE))
        return between in self._lexicon.single_markers("equivalent")

    def _dateline_day(self, text: str) -> dt.date | None:
        published = self.publication_date(text)
        return dt.date.fromisoformat(published[:10]) if published else None

    def _scan(self, text: str, reference: dt.date | None) -> list[Mention]:
        spans = identifier_spans(text)
        mentions = [
            Mention(text[start:end], start, end, "identifier", None, None, None, None)
            for start, end in spans
            if any(char.isdigit() for char in text[start:end])
        ]
        marked = self._table.mark(text)
        stops = marked.stops
        span_ends = [span_end for _, span_end in spans]
        for first, end in self._windows(text, marked):
            tokens = marked.tokens(first, end)
            # Only the identifiers inside this window: looking through all of them for every
            # window would make the cost grow with the square of a long text's identifiers.
            window_spans = spans[bisect_right(span_ends, tokens[0].start) :] if spans and tokens else []
            if window_spans and window_spans[0][0] < tokens[-1].end:
                tokens = _close_identifiers(tokens, window_spans)
                candidates = [
                    index
                    for index, token in enumerate(tokens)
                    if token.kind is TokenKind.NUM or token.key in self._openers
                ]
            else:
                # Without identifiers the window's tokens are those of the text, so the stops
                # found while tokenizing apply, shifted to the window.
                candidates = [
                    stop - first for stop in stops[bisect_left(stops, first) : bisect_left(stops, end)]
                ]
            index = 0
            for candidate in candidates:
                if candidate < index:  # inside the mention just read
                    continue
                found = self._mention_at(text, tokens, candidate, reference)
                if found is not None:
                    mention, index = found
                    mentions.append(mention)
        mentions.sort(key=lambda mention: mention.start)
        return mentions

    def _windows(self, text: str, marked: Marked) -> list[tuple[int, int]]:
        """Stretches around every digit or opening word, merged, cut at whitespace, as the
        token ranges [first, end) they hold.

        Most of an article holds no number; the grammar looks only at these stretches.
        Whitespace ends every token, so a stretch holds whole tokens: exactly those that
        tokenizing the stretch alone would give. A number token ("13,346") spans several runs of
        digits, but their stretches overlap and merge into the one around the token.
        """
        starts, ends = marked.starts, marked.ends
        size = len(text)
        stretches: list[tuple[int, int]] = []
        low = high = -1
        for index in marked.openings:
            start = starts[index] - _CONTEXT_BEFORE if starts[index] > _CONTEXT_BEFORE else 0
            if start <= high:
                high = min(size, ends[index] + _CONTEXT_AFTER)
                continue
            if high >= 0:
                stretches.append((low, high))
            low, high = start, min(size, ends[index] + _CONTEXT_AFTER)
        if high >= 0:
            stretches.append((low, high))
        return [
            (
                bisect_left(starts, _word_boundary_before(text, low)),
                bisect_left(starts, _word_boundary_after(text, high)),
            )
            for low, high in stretches
        ]

    def _mention_at(
        self, text: str, tokens: list[Token], index: int, reference: dt.date | None
    ) -> tuple[Mention, int] | None:
        lexicon = self._lexicon
        model = self._model_name_start(tokens, index)
        if model is not None:
            start = self._without_conjunction(text, tokens[model])
            return self._make(text, tokens, model, index + 1, "identifier", start=start), index + 1
        time = read_time(lexicon, tokens, index)
        if time is not None:
            start = skip_letters(text, tokens[index].start, time.prefix)
            return self._make(text, tokens, time.first, time.end, "time", iso=time.iso, start=start), time.end
        date = read_date(lexicon, tokens, index)
        if date is not None:
            resolved = resolve(date.day, reference)
            mention = self._make(
                text, tokens, date.first, date.end, "date", iso=resolved.iso, hijri=resolved.hijri
            )
            return mention, date.end
        numeral = read_numeral(lexicon, tokens, index)
        if numeral is not None and not self._is_one_of(text, tokens, numeral):
            return self._classify(text, tokens, numeral)
        ordinal = self._ordinal(text, tokens, index)
        if ordinal is not None:
            return ordinal
        dual = dual_unit(lexicon, tokens, index)
        if dual is not None:
            # "بساعتين ونصف": the preposition is outside, the half is part of the length.
            key = tokens[index].key
            clitic = 1 if key[:1] in _DUAL_PREPOSITIONS and not key.startswith(_ARTICLE) else 0
            start = skip_letters(text, tokens[index].start, clitic)
            half = index + 1 < len(tokens) and tokens[index + 1].key == _AND_A_HALF
            end = index + 2 if half else index + 1
            value = 2.5 if half else 2.0
            mention = self._make(
                text, tokens, index, end, "duration", value=value, unit=dual.lemma, start=start
            )
            return mention, end
        return None

    @staticmethod
    def _is_one_of(text: str, tokens: list[Token], numeral: Numeral) -> bool:
        """وأحد "and one of" folds to the key of واحد "one": the hamza in the text tells them apart."""
        token = tokens[numeral.first]
        return numeral.value == 1 and token.kind is TokenKind.WORD and text[token.start + 1] in _HAMZA_ALEFS

    def _ordinal(self, text: str, tokens: list[Token], index: int) -> tuple[Mention, int] | None:
        """`الثالثة`, `ثاني مدن`, `أول زيارة`, `خطوة أولى`; an ordinal after سن is an age."""
        lexicon = self._lexicon
        token = tokens[index]
        if token.key.endswith(_INITIAL) and text[token.end - 1] == _YEH:  # أولي, الأولي: "initial"
            return None
        if token.key == _FIRST and self._is_relative_day(tokens, index + 1):
            return None
        found = read_ordinal(lexicon, tokens, index)
        if found is None:
            return None
        value, end = found
        # "الأولى والثانية", "لأول مرة": the clitic is no part of the mention.
        start = token.start if token.key in lexicon.ordinals else skip_letters(text, token.start, 1)
        age_at = self._age_marker(tokens, index)
        if age_at is not None:
            qualifier = qualifier_before(lexicon, tokens, age_at)
            mention = self._make(
                text, tokens, index, end, "duration", value=float(value), qualifier=qualifier, start=start
            )
            return mention, end
        # The noun an ordinal modifies: before it when it has the article or stands after its noun
        # (المرة الثالثة, خطوة أولى), after it when it leads (ثاني مدن, أول زيارة).
        key = token.key if token.key in lexicon.ordinals else token.key[1:]
        leads = key in lexicon.leading_ordinals
        modified = unit_at(lexicon, tokens, end) if leads else noun_before(lexicon, tokens, index)
        lemma = modified.lemma if modified else None
        mention = self._make(text, tokens, index, end, "ordinal", value=float(value), unit=lemma, start=start)
        return mention, end

    def _is_relative_day(self, tokens: list[Token], index: int) -> bool:
        for length in (2, 1):
            phrase = tuple(token.key for token in tokens[index : index + length])
            if len(phrase) == length and self._lexicon.is_marker("yesterday", phrase):
                return True
        return False

    def _age_marker(self, tokens: list[Token], index: int) -> int | None:
        """Where the word that makes the number at `index` an age stands ("سن الـ18"), if any."""
        before = index - 1
        if before >= 0 and tokens[before].key == _ARTICLE:
            before -= 1
        if before >= 0 and tokens[before].key in self._lexicon.single_markers("age"):
            return before
        return None

    def _model_name_start(self, tokens: list[Token], index: int) -> int | None:
        """Where an identifier ended by the number at `index` starts: a model name ("ميغ 23",
        "سو-24", "بولونيوم-210": any word joined to the digits by a hyphen, no space between), a
        number after رقم, a decree number after its letter ("أ/ 215")."""
        if tokens[index].kind is not TokenKind.NUM:
            return None
        hyphenated = index >= 2 and tokens[index - 1].key in ("-", "/")
        before = index - 2 if hyphenated else index - 1
        if before < 0 or tokens[before].kind is not TokenKind.WORD:
            return None
        if tokens[before].key in self._lexicon.model_prefixes:
            return before
        if tokens[index - 1].key in self._lexicon.single_markers("number_sign"):
            return index  # "الرقم 937", "القرار رقم 215": a number that names, not counts
        if tokens[index - 1].key == "/" and len(tokens[before].key) == 1:
            return before  # "أ/ 215": a royal order's or a decree's number
        joined = hyphenated and tokens[before].end == tokens[index - 1].start == tokens[index].start - 1
        if joined and tokens[before].key not in self._lexicon.month_firsts and len(tokens[before].key) > 1:
            return before
        return None

    @staticmethod
    def _without_conjunction(text: str, token: Token) -> int:
        """Where a word joined to a number by a hyphen starts once a leading و is left out."""
        if token.key.startswith(_WAW) and len(token.key) > _SHORTEST_NAME:
            return skip_letters(text, token.start, 1)
        return token.start

    def _year(
        self, text: str, tokens: list[Token], numeral: Numeral, unit: Unit | None
    ) -> tuple[Mention, int] | None:
        """`2014`, `2015 م`, `1436 هـ`: a year on its own, its era marker inside the span."""
        if not numeral.plain_digits:
            return None
        found = read_year(self._lexicon, tokens, numeral.first, None)
        if found is None:
            return None
        year, end, hijri = found
        marked = end > numeral.end
        if hijri and not marked and not self._hijri_context(tokens, numeral.first, end):
            return None  # a number in the Hijri range is a year only with its marker
        if not marked and unit is not None and not is_year_marker(self._lexicon, tokens, numeral.first):
            return None
        hijri_year = f"{year:04d}" if hijri else None
        return self._make(text, tokens, numeral.first, end, "year", value=float(year), hijri=hijri_year), end

    def _hijri_context(self, tokens: list[Token], index: int, end: int) -> bool:
        """Whether a year written without its marker is Hijri by what surrounds it: the marker
        after the next year of a pair ("1437 / 1438 هـ") or a word before it ("العام الهجري 1437")."""
        hijri_words = self._lexicon.single_markers("hijri_era")
        if index > 0 and tokens[index - 1].key in hijri_words:
            return True
        if end + 1 >= len(tokens) or tokens[end].key not in _YEAR_PAIR_JOINERS:
            return False
        paired = read_year(self._lexicon, tokens, end + 1, None)
        return paired is not None and paired[2] and paired[1] > end + 2

    def _classify(self, text: str, tokens: list[Token], numeral: Numeral) -> tuple[Mention, int]:
        lexicon = self._lexicon
        first, end, value = numeral.first, numeral.end, numeral.value
        start = skip_letters(text, tokens[first].start, numeral.prefix)

        bounds = self._range_end(tokens, numeral)
        if bounds is not None:
            upper, inner_unit = bounds
            stop = self._percent_end(tokens, upper.end) or upper.end
            unit = inner_unit or unit_at(lexicon, tokens, stop)
            # The span opens with بين or من, as the spec's "بين 100 و150 مليار" does.
            opener = tokens[first - 1] if first > 0 and tokens[first - 1].key in (_BETWEEN, _FROM) else None
            mention = self._make(
                text,
                tokens,
                first,
                stop,
                "range",
                value=self._low_bound(numeral, upper),
                high=upper.value,
                unit=unit.lemma if unit else None,
                qualifier=qualifier_before(lexicon, tokens, first - 1 if opener else first),
                start=opener.start if opener else start,
            )
            after = unit.end if unit is not None and inner_unit is None else stop
            return mention, after

        percent_end = self._percent_end(tokens, end)
        if percent_end is not None:
            qualifier = qualifier_before(lexicon, tokens, first)
            mention = self._make(
                text, tokens, first, percent_end, "percent", value=value, qualifier=qualifier, start=start
            )
            return mention, percent_end

        unit = unit_at(lexicon, tokens, end)
        year = self._year(text, tokens, numeral, unit)
        if year is not None:
            return year

        after = unit.end if unit else end
        age_at = self._age_marker(tokens, first)
        qualifier = qualifier_before(lexicon, tokens, first if age_at is None else age_at) or qualifier_after(
            lexicon, tokens, after
        )
        lemma = unit.lemma if unit else None
        noun = None if unit or numeral.vague else self._noun_before(tokens, numeral)
        if numeral.vague:
            kind, qualifier = "approximate", qualifier or "approx"
        elif noun is not None:
            # "الدورة الـ40", "الجولة 38": a number after a definite singular is a position.
            ranked = noun.definite and noun.singular
            kind, lemma = ("ordinal" if ranked else "duration" if noun.is_time else "cardinal"), noun.lemma
        elif (unit is not None and unit.is_time) or (unit is None and self._is_age(tokens, numeral, age_at)):
            kind = "duration"
        elif numeral.decimal:
            kind = "decimal"
        else:
            kind = "cardinal"
        mention = self._make(
            text, tokens, first, end, kind, value=value, unit=lemma, qualifier=qualifier, start=start
        )
        return mention, after

    def _noun_before(self, tokens: list[Token], numeral: Numeral) -> NounBefore | None:
        """The counted noun before a number that has none after it, where Arabic puts it there:
        digits after a definite noun ("الجولة 38", "الساعات الـ48"), a number word with the article
        after a definite plural ("الأيام الثلاثة"), واحد after its noun ("عام واحد")."""
        noun = noun_before(self._lexicon, tokens, numeral.first)
        if noun is None:
            return None
        word = tokens[numeral.first]
        if word.kind is TokenKind.NUM:
            return noun if noun.definite and numeral.plain_digits else None
        if word.key.startswith(_ARTICLE):
            return noun if noun.definite and not noun.singular else None
        return noun if numeral.value == 1 and not noun.definite else None

    def _is_age(self, tokens: list[Token], numeral: Numeral, age_at: int | None) -> bool:
        """ "سن 18", "سن الـ18", and a bare small number under or over a limit: "دون 18", "فوق 65"."""
        if age_at is not None:
            return True
        if not numeral.plain_digits or not 0 < numeral.value < _OLDEST:
            return False
        before = numeral.first - 1
        if before >= 0 and tokens[before].key == _ARTICLE:
            before -= 1
        limits = self._lexicon.single_markers("age_limit")
        return before >= 0 and (tokens[before].key in limits or tokens[before].key[1:] in limits)

    def _range_end(self, tokens: list[Token], numeral: Numeral) -> tuple[Numeral, Unit | None] | None:
        """The upper bound of "10-20", "بين 10 و20", "بين 500 ألف ومليون", "من 10 إلى 20" or
        "2 إلى 3", if `numeral` opens one; and the unit written inside it ("بين 5 أعوام و17")."""
        at = numeral.end
        if at >= len(tokens) or numeral.vague:
            return None
        before = tokens[numeral.first - 1].key if numeral.first > 0 else ""
        inner_unit = None
        percent_end = self._percent_end(tokens, at)  # "بين 5.3% و5.5%"
        if percent_end is not None:
            at = percent_end
        elif before == _BETWEEN:
            inner_unit = unit_at(self._lexicon, tokens, at)
            at = inner_unit.end if inner_unit else at
        if at >= len(tokens):
            return None
        joiner = tokens[at].key
        dashed = joiner in _RANGE_DASHES and tokens[at].kind is TokenKind.PUNCT and at == numeral.end
        between = before == _BETWEEN and tokens[at].kind is TokenKind.WORD
        if between and joiner != _WAW and joiner.startswith(_WAW):
            upper = read_numeral(self._lexicon, tokens, at)  # و glued to a number word
        elif dashed or (between and joiner == _WAW) or joiner == _TO:
            upper = read_numeral(self._lexicon, tokens, at + 1) if at + 1 < len(tokens) else None
        else:
            return None
        if upper is None or upper.vague:
            return None
        if dashed and not (numeral.plain_digits and upper.plain_digits):
            return None
        # "25 بالمئة إلى 7,1 مليار" joins two quantities of different kinds, not two bounds.
        if percent_end is not None and self._percent_end(tokens, upper.end) is None:
            return None
        return (upper, inner_unit) if upper.value > self._low_bound(numeral, upper) else None

    @staticmethod
    def _low_bound(numeral: Numeral, upper: Numeral) -> float:
        """A lower bound written without the scale the upper one has takes it: "بين 100 و150 مليار"."""
        scaled = numeral.value * upper.scale
        return scaled if numeral.scale == 1 and scaled < upper.value else numeral.value

    def _percent_end(self, tokens: list[Token], index: int) -> int | None:
        if index >= len(tokens) or tokens[index].key not in self._lexicon.marker_starts("percent"):
            return None
        for length in (2, 1):
            phrase = tuple(token.key for token in tokens[index : index + length])
            if len(phrase) == length and self._lexicon.is_marker("percent", phrase):
                return index + length
        return None

    @staticmethod
    def _make(
        text: str,
        tokens: list[Token],
        first: int,
        end: int,
        kind: str,
        *,
        value: float | None = None,
        iso: str | None = None,
        unit: str | None = None,
        qualifier: str | None = None,
        start: int | None = None,
        high: float | None = None,
        hijri: str | None = None,
    ) -> Mention:
        begin = tokens[first].start if start is None else start
        stop = tokens[end - 1].end
        return Mention(text[begin:stop], begin, stop, kind, value, iso, unit, qualifier, high, hijri)
