"""Language identification of article text: primary language, language mix, foreign stretches.

lingua costs about 2 ms per 1000 characters, too slow to run over every article in full, and its
mixed-language mode is slower still and splinters Arabic prose into spurious Persian and Urdu
words. Letters are therefore first grouped into runs of one Unicode script, which is cheap and
exact, and lingua only decides among the languages sharing a script, on a bounded sample of each
run.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from lingua import Language, LanguageDetectorBuilder

UNDETERMINED = "und"
MIXED_SCRIPT = "Mixed"
# Unicode's name for the script of characters that are not letters of any particular script.
NO_SCRIPT = "Common"
LANGUAGES_FILE = Path(__file__).with_name("languages.txt")

# Below this share the leading script does not characterise the text, and it is reported mixed.
_DOMINANT_SCRIPT_SHARE = 0.75
# Windows spread over a long run, so that the sample is not just the opening paragraph.
_SAMPLE_WINDOWS = 3
# Windows shorter than a couple of words each would tell lingua nothing.
_MIN_SAMPLE_CHARS = 10 * _SAMPLE_WINDOWS

# Addresses and handles are Latin letters that are not prose in any language: they must neither
# count as English nor form spans of their own. ASCII-only, and the lookahead lets the engine
# skip Arabic characters at once: without them this regex cost more than all the rest.
_NON_PROSE = re.compile(
    r"""
    (?=[a-z0-9@])
    (?:
        [a-z][a-z0-9+.-]*://\S+                 # URLs with a scheme
      | [\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+    # e-mail addresses
      | \b(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/\S*)?   # bare hosts, e.g. pic.twitter.com/abc
      | @\w+                                    # social-media handles
    )
    """,
    re.IGNORECASE | re.VERBOSE | re.ASCII,
)
# Over the script-code string: one script's letters plus the neutral characters between them.
_SCRIPT_RUN = re.compile(r"(\S)(?: *\1)*")


@dataclass(frozen=True)
class LanguageSpan:
    """A stretch of the text written in another language than the primary one."""

    language: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class LanguageReport:
    """Which languages and scripts a text is written in.

    Letters inside URLs, e-mail addresses and @handles are not counted anywhere. `confidence` is
    lingua's confidence in `primary`, averaged over the stretches given that language and
    weighted by their letters; `shares` are fractions of all letters. Letterless text has
    primary "und", script "Common" and no shares.
    """

    primary: str
    confidence: float
    shares: dict[str, float]
    spans: list[LanguageSpan]
    script: str
    is_arabic: bool


class _ScriptCodes(dict[int, str]):
    """str.translate table mapping each letter to one character standing for its script.

    Translating keeps character offsets and runs in C, so script runs can then be found with a
    regex instead of a Python loop over every character. Non-letters map to a space.
    """

    def __init__(self) -> None:
        super().__init__()
        self.scripts: dict[str, str] = {}
        self._codes: dict[str, str] = {}

    def __missing__(self, char: int) -> str:
        code = self._code_of(chr(char))
        self[char] = code
        return code

    def _code_of(self, char: str) -> str:
        if not char.isalpha():
            return " "
        script = _script_of(char)
        if script not in self._codes:
            # Private-use characters cannot clash with the space used for non-letters.
            code = chr(0xE000 + len(self._codes))
            self._codes[script] = code
            self.scripts[code] = script
        return self._codes[script]


def _script_of(letter: str) -> str:
    # The standard library has no Unicode Script property; a letter's name starts with its
    # script ("ARABIC LETTER ALEF", "LATIN SMALL LETTER E WITH ACUTE"), which is close enough.
    first_word = unicodedata.name(letter, "UNKNOWN").split(" ", 1)[0]
    return "Han" if first_word == "CJK" else first_word.capitalize()


_SCRIPT_CODES = _ScriptCodes()


@dataclass(frozen=True)
class _Run:
    """Letters of one script, with the non-letters between them; may absorb shorter runs."""

    script: str
    start: int
    end: int
    letters: int

    def absorb(self, other: _Run) -> _Run:
        """This run stretched over `other`, its script unchanged."""
        return _Run(
            self.script,
            min(self.start, other.start),
            max(self.end, other.end),
            self.letters + other.letters,
        )


def read_language_names(path: Path = LANGUAGES_FILE) -> list[str]:
    """Language names listed in `path`, one per line; blank lines and # comments are skipped."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line]


def _mask_non_prose(text: str) -> str:
    # Blanked rather than removed, so that offsets still point into the original text.
    return _NON_PROSE.sub(lambda match: " " * len(match.group()), text)


def _script_runs(masked: str) -> list[_Run]:
    codes = masked.translate(_SCRIPT_CODES)
    return [
        _Run(_SCRIPT_CODES.scripts[m[1]], m.start(), m.end(), len(m[0]) - m[0].count(" "))
        for m in _SCRIPT_RUN.finditer(codes)
    ]


def _chunks(runs: list[_Run], min_letters: int) -> list[_Run]:
    """Merge runs into the stretches that get one language each.

    Runs too short to judge join the chunk before them (the first one, if they lead the text),
    and runs of the same script then coalesce.
    """
    anchor = [run.letters >= min_letters for run in runs]
    if runs and not any(anchor):
        # Too short to split: the longest run speaks for the whole text.
        anchor[max(range(len(runs)), key=lambda i: runs[i].letters)] = True
    chunks: list[_Run] = []
    leading: list[_Run] = []
    for run, is_anchor in zip(runs, anchor, strict=True):
        if chunks and (not is_anchor or chunks[-1].script == run.script):
            chunks[-1] = chunks[-1].absorb(run)
        elif is_anchor:
            chunks.append(run)
        else:
            leading.append(run)
    for run in leading:
        chunks[0] = chunks[0].absorb(run)
    return chunks


def _sample(text: str, limit: int) -> str:
    """At most about `limit` characters of `text`, taken from its start, middle and end."""
    if len(text) <= limit:
        return text
    width = limit // _SAMPLE_WINDOWS
    step = (len(text) - width) // (_SAMPLE_WINDOWS - 1)
    return " ".join(text[i * step : i * step + width] for i in range(_SAMPLE_WINDOWS))


def _dominant_script(runs: list[_Run]) -> str:
    letters: Counter[str] = Counter()
    for run in runs:
        letters[run.script] += run.letters
    if not letters:
        return NO_SCRIPT
    script, count = letters.most_common(1)[0]
    return script if count >= _DOMINANT_SCRIPT_SHARE * letters.total() else MIXED_SCRIPT


class LanguageDetector:
    """Reusable detector; building it loads lingua's models, so build one per process.

    `min_span_letters`: fewer letters than this in a stretch of another script (an acronym, a
    name, a caption) are not judged on their own but counted with the surrounding text.
    `sample_chars`: how much of each script run lingua reads; longer runs are sampled.
    """

    def __init__(self, *, min_span_letters: int = 20, sample_chars: int = 400) -> None:
        if min_span_letters < 1:
            raise ValueError("min_span_letters must be at least 1")
        if sample_chars < _MIN_SAMPLE_CHARS:
            raise ValueError(f"sample_chars must be at least {_MIN_SAMPLE_CHARS}")
        self.min_span_letters = min_span_letters
        self.sample_chars = sample_chars
        languages = [Language.from_str(name) for name in read_language_names()]
        # Low-accuracy mode keeps only trigram models: about 30 MB instead of 300 MB, and on
        # runs of a few dozen letters or more it still tells these languages apart.
        self._lingua = (
            LanguageDetectorBuilder.from_languages(*languages)
            .with_low_accuracy_mode()
            .with_preloaded_language_models()
            .build()
        )

    def detect(self, text: str) -> LanguageReport:
        """Languages, their shares and foreign stretches, and the dominant script of `text`."""
        masked = _mask_non_prose(text)
        runs = _script_runs(masked)
        chunks = _chunks(runs, self.min_span_letters)
        labels = [self._classify(masked, chunk) for chunk in chunks]
        return _report(text, runs, chunks, labels)

    def _classify(self, masked: str, chunk: _Run) -> tuple[str, float]:
        # A few absorbed words of another script do not sway lingua, so no need to cut them out.
        sample = _sample(masked[chunk.start : chunk.end], self.sample_chars)
        best = self._lingua.compute_language_confidence_values(sample)[0]
        if best.value == 0.0:
            # None of the configured languages is written in this script.
            return UNDETERMINED, 0.0
        return best.language.iso_code_639_1.name.lower(), best.value


def _report(
    text: str, runs: list[_Run], chunks: list[_Run], labels: list[tuple[str, float]]
) -> LanguageReport:
    letters: Counter[str] = Counter()
    weighted_confidence: defaultdict[str, float] = defaultdict(float)
    for chunk, (language, confidence) in zip(chunks, labels, strict=True):
        letters[language] += chunk.letters
        weighted_confidence[language] += confidence * chunk.letters
    if not letters:
        return LanguageReport(UNDETERMINED, 0.0, {}, [], NO_SCRIPT, False)
    total = letters.total()
    primary = letters.most_common(1)[0][0]
    spans = [
        LanguageSpan(language, chunk.start, chunk.end, text[chunk.start : chunk.end])
        for chunk, (language, _) in zip(chunks, labels, strict=True)
        if language != primary
    ]
    return LanguageReport(
        primary=primary,
        confidence=weighted_confidence[primary] / letters[primary],
        shares={language: count / total for language, count in letters.items()},
        spans=spans,
        script=_dominant_script(runs),
        is_arabic=primary == "ar",
    )
