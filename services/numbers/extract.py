"""Numeric mentions of an Arabic news article: counts, percentages, dates, times, durations.

The public face of the numbers service: `NumberExtractor().extract(body, reference_date)` and
`publication_date(body)`. The grammar itself lives in the sibling modules; this one walks the
tokens, asks each reader in turn whether a mention starts there, and classifies what it finds.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass

from services.numbers.context import (
    dual_unit,
    is_year_marker,
    qualifier_after,
    qualifier_before,
    unit_after,
)
from services.numbers.dates import iso_date, read_date, read_time
from services.numbers.identifiers import identifier_spans
from services.numbers.lexicon import load_lexicon
from services.numbers.numerals import Numeral, opening_keys, read_numeral, read_ordinal
from services.numbers.tokens import Marked, Token, TokenKind, TokenTable, skip_letters

__all__ = ["Mention", "NumberExtractor"]

_FIRST_YEAR, _LAST_YEAR = 1900, 2100
_ARTICLE = "ال"  # opens "الـ 9 من ديسمبر"
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
            | {key for key, entry in self._lexicon.units.items() if entry.is_dual}
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
        mentions = self._scan(head, None)
        for position, mention in enumerate(mentions):
            if mention.kind != "date" or mention.iso is None or len(mention.iso) != len("YYYY-MM-DD"):
                continue
            line_start = head.rfind("\n", 0, mention.start) + 1
            line_end = head.find("\n", mention.end)
            if (line_end if line_end >= 0 else len(head)) - line_start > _DATELINE_MAX_LINE:
                continue
            following = mentions[position + 1] if position + 1 < len(mentions) else None
            if (
                following is not None
                and following.kind == "time"
                and not head[mention.end : following.start].strip(_DATE_TIME_GLUE)
            ):
                return f"{mention.iso}T{following.iso}"
            return mention.iso
        return None

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
        for first, end in self._windows(text, marked):
            tokens = marked.tokens(first, end)
            if spans:
                tokens = _close_identifiers(tokens, spans)
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
            return self._make(text, tokens, model, index + 1, "identifier"), index + 1
        time = read_time(lexicon, tokens, index)
        if time is not None:
            return self._make(text, tokens, time.first, time.end, "time", iso=time.iso), time.end
        date = read_date(lexicon, tokens, index)
        if date is not None:
            iso = iso_date(date, reference)
            return self._make(text, tokens, date.first, date.end, "date", iso=iso), date.end
        numeral = read_numeral(lexicon, tokens, index)
        if numeral is not None:
            return self._classify(text, tokens, numeral)
        ordinal = read_ordinal(lexicon, tokens, index)
        if ordinal is not None:
            value, end = ordinal
            return self._make(text, tokens, index, end, "ordinal", value=float(value)), end
        dual = dual_unit(lexicon, tokens, index)
        if dual is not None:
            kind = "duration" if dual.is_time else "cardinal"
            mention = self._make(text, tokens, index, index + 1, kind, value=2.0, unit=dual.lemma)
            return mention, index + 1
        return None

    def _model_name_start(self, tokens: list[Token], index: int) -> int | None:
        """Where a model name ends by the number at `index` starts: "ميغ 23", "سو-24"."""
        if tokens[index].kind is not TokenKind.NUM:
            return None
        before = index - 2 if index >= 2 and tokens[index - 1].key == "-" else index - 1
        if before >= 0 and tokens[before].key in self._lexicon.model_prefixes:
            return before
        return None

    def _classify(self, text: str, tokens: list[Token], numeral: Numeral) -> tuple[Mention, int]:
        lexicon = self._lexicon
        first, end, value = numeral.first, numeral.end, numeral.value
        start = skip_letters(text, tokens[first].start, numeral.prefix)

        upper = self._range_end(tokens, numeral)
        if upper is not None:
            unit = unit_after(lexicon, text, tokens, upper.end)
            stop = unit.end if unit else upper.end
            return self._make(
                text,
                tokens,
                first,
                stop,
                "range",
                value=value,
                unit=unit.lemma if unit else None,
                start=start,
            ), stop

        percent_end = self._percent_end(tokens, end)
        if percent_end is not None:
            qualifier = qualifier_before(lexicon, tokens, first)
            mention = self._make(
                text,
                tokens,
                first,
                percent_end,
                "percent",
                value=value,
                qualifier=qualifier,
                start=start,
            )
            return mention, percent_end

        unit = unit_after(lexicon, text, tokens, end)
        if (
            numeral.plain_digits
            and _FIRST_YEAR <= value <= _LAST_YEAR
            and (unit is None or is_year_marker(lexicon, tokens, first))
        ):
            return self._make(text, tokens, first, end, "year", value=value), end

        stop = unit.end if unit else end
        qualifier = qualifier_before(lexicon, tokens, first) or qualifier_after(lexicon, tokens, stop)
        if numeral.vague:
            kind, qualifier = "approximate", qualifier or "approx"
        elif unit is not None and unit.is_time:
            kind = "duration"
        elif not value.is_integer():
            kind = "decimal"
        else:
            kind = "cardinal"
        mention = self._make(
            text,
            tokens,
            first,
            stop,
            kind,
            value=value,
            unit=unit.lemma if unit else None,
            qualifier=qualifier,
            start=start,
        )
        return mention, stop

    def _range_end(self, tokens: list[Token], numeral: Numeral) -> Numeral | None:
        """The upper bound of "10-20", "بين 10 و20" or "من 10 إلى 20", if `numeral` opens one."""
        end = numeral.end
        if end + 1 >= len(tokens) or numeral.vague:
            return None
        joiner = tokens[end].key
        before = tokens[numeral.first - 1].key if numeral.first > 0 else ""
        dashed = joiner in _RANGE_DASHES and tokens[end].kind is TokenKind.PUNCT
        if not (dashed or (before == "بين" and joiner == "و") or (before == "من" and joiner == "الي")):
            return None
        upper = read_numeral(self._lexicon, tokens, end + 1)
        if upper is None or upper.vague or upper.value <= numeral.value:
            return None
        if dashed and not (numeral.plain_digits and upper.plain_digits):
            return None
        return upper

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
    ) -> Mention:
        begin = tokens[first].start if start is None else start
        stop = tokens[end - 1].end
        return Mention(text[begin:stop], begin, stop, kind, value, iso, unit, qualifier)
