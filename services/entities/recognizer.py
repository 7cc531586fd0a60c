"""Public API: ``Recognizer.load().recognize(text)`` finds people, places and organisations.

A sequence labeller trained on hand-annotated news (``model.py``) finds the names over the
pipeline's own segments (``segment.py``); the gazetteers then link what it found
(``link.py``). Every step is one pass over the text, so the cost grows linearly with it.
"""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from services.entities.features import Featurizer
from services.entities.lexicon import DATA, Lexicon
from services.entities.link import Linked, Linker
from services.entities.model import MODEL, Tagger, spans
from services.entities.segment import Segment, Segmenter


@dataclass(frozen=True, slots=True)
class Mention:
    text: str
    start: int
    end: int
    type: str
    canonical: str
    geonames_id: int | None = None
    country_code: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Demonym:
    """A nationality adjective (الروسي, السورية) linked to its country; not a place mention."""

    text: str
    start: int
    end: int
    country: str
    country_code: str


@dataclass(frozen=True, slots=True)
class Recognition:
    mentions: list[Mention]
    demonyms: list[Demonym]

    def counts(self) -> list[tuple[str, str, int]]:
        """Distinct entities as (canonical, type, count), most frequent first."""
        tally = Counter((m.canonical, m.type) for m in self.mentions)
        ranked = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(canonical, type_, n) for (canonical, type_), n in ranked]


class Recognizer:
    def __init__(self, lexicon: Lexicon, model: Path = MODEL) -> None:
        self._lex = lexicon
        self._segmenter = Segmenter.from_lexicon(lexicon)
        self._tagger = Tagger(Featurizer(lexicon), model)
        self._linker = Linker(lexicon)

    @classmethod
    def load(cls, data: Path = DATA, model: Path = MODEL) -> Recognizer:
        return cls(Lexicon.load(data), model)

    def recognize(self, text: str) -> Recognition:
        segments = self._segmenter.segments(text)
        found = []
        for first, last, type_ in spans(self._tagger.labels(segments)):
            trimmed = self._linker.trim(segments, first, last, type_)
            if trimmed is not None:
                found.append(self._linker.link(segments, *trimmed, type_))
        linked = self._linker.coreference(found)
        mentions = [_mention(text, segments, f) for f in linked]
        places_at = {k for f in linked if f.type == "LOCATION" for k in range(f.first, f.last + 1)}
        return Recognition(mentions, self._demonyms(segments, places_at))

    def _demonyms(self, segments: list[Segment], places_at: set[int]) -> list[Demonym]:
        out = []
        for i, seg in enumerate(segments):
            nationality = self._lex.nationality(seg.norm)
            if nationality is not None and i not in places_at:
                out.append(
                    Demonym(seg.raw, seg.start, seg.end, nationality.country, nationality.country_code)
                )
        return out


def _mention(text: str, segments: list[Segment], f: Linked) -> Mention:
    start, end = segments[f.first].start, segments[f.last].end
    place = f.place
    if place is None:
        return Mention(text[start:end], start, end, f.type, f.canonical)
    return Mention(
        text[start:end],
        start,
        end,
        f.type,
        f.canonical,
        place.geonames_id,
        place.country_code,
        place.lat,
        place.lon,
    )
