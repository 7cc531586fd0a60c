"""Arabic text normalisation shared by article ids, dedup fingerprints and entity matching.

Two strengths: `clean_text` keeps what the author wrote and only removes what no reader can see;
`normalize_for_matching` folds spelling variants so that equal words compare equal.
"""

import re
import unicodedata
from collections.abc import Iterable

# Format characters a reader never sees but that split or glue words for code: zero-width
# space/joiners, LRM/RLM and the ALM, bidi embeddings, overrides and isolates, word joiner,
# soft hyphen and the BOM when it appears mid-text.
_INVISIBLE: tuple[int, ...] = (
    0x00AD,
    0x061C,
    0x180E,
    *range(0x200B, 0x2010),
    *range(0x202A, 0x202F),
    *range(0x2060, 0x2070),
    0xFEFF,
)

# Derived from the Unicode database instead of listed by hand so Quranic annotation marks and the
# Extended-A/B blocks are covered as well as harakat, tanween, shadda, sukun and superscript alef.
_ARABIC_MARKS: tuple[int, ...] = tuple(
    code
    for code in (*range(0x0610, 0x0700), *range(0x0870, 0x0900))
    if unicodedata.category(chr(code)) == "Mn"
)

_DIGITS: dict[int, str] = {
    **{0x0660 + value: str(value) for value in range(10)},  # Arabic-Indic
    **{0x06F0 + value: str(value) for value in range(10)},  # Extended Arabic-Indic (Persian/Urdu)
}

_LETTER_FOLDS: dict[str, str] = {
    "\N{ARABIC LETTER ALEF WITH HAMZA ABOVE}": "\N{ARABIC LETTER ALEF}",
    "\N{ARABIC LETTER ALEF WITH HAMZA BELOW}": "\N{ARABIC LETTER ALEF}",
    "\N{ARABIC LETTER ALEF WITH MADDA ABOVE}": "\N{ARABIC LETTER ALEF}",
    "\N{ARABIC LETTER ALEF WASLA}": "\N{ARABIC LETTER ALEF}",
    "\N{ARABIC LETTER ALEF MAKSURA}": "\N{ARABIC LETTER YEH}",
    "\N{ARABIC LETTER TEH MARBUTA}": "\N{ARABIC LETTER HEH}",
    "\N{ARABIC LETTER WAW WITH HAMZA ABOVE}": "\N{ARABIC LETTER WAW}",
    "\N{ARABIC LETTER YEH WITH HAMZA ABOVE}": "\N{ARABIC LETTER YEH}",
    # Text typed on Persian keyboards uses these look-alikes for the Arabic yeh and kaf.
    "\N{ARABIC LETTER FARSI YEH}": "\N{ARABIC LETTER YEH}",
    "\N{ARABIC LETTER KEHEH}": "\N{ARABIC LETTER KAF}",
}

_CONTROLS: tuple[int, ...] = (*range(0x00, 0x20), *range(0x7F, 0xA0))


def _char_class(codes: Iterable[int]) -> re.Pattern[str]:
    """A regex matching any of `codes`: deleting with `sub` runs in C, unlike a translate miss."""
    return re.compile("[" + "".join(re.escape(chr(code)) for code in codes) + "]+")


def _bmp_table(mapping: dict[int, str | None]) -> list[int | str | None]:
    """`mapping` as a `str.translate` table indexed by code point.

    With a dict table, translate raises and swallows a KeyError for every character the table
    lacks, which on Arabic text is most of them; a list over the BMP never misses, which makes
    it about twice as fast. Astral characters fall off the end and are left unchanged.
    """
    table: list[int | str | None] = list(range(0x10000))
    for code, replacement in mapping.items():
        table[code] = replacement
    return table


# NFKC is what matching wants for Arabic: it folds presentation forms (from PDFs and legacy
# Windows text) and ligatures such as lam-alef or the Allah ligature back to base letters, and
# full-width Latin to ASCII. Its one hazard is the spacing forms of harakat, which decompose to
# "space + mark" and would split the word they sit in; they are diacritics, so drop them first.
_SPACED_MARK_FORMS = _char_class(
    code
    for code in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00))
    if unicodedata.normalize("NFKC", chr(code)).startswith(" ")
)

_DIGIT_TABLE = str.maketrans(_DIGITS)
_LETTER_FOLD_TABLE = str.maketrans(_LETTER_FOLDS)

_MATCHING_TABLE = _bmp_table(
    {
        **dict.fromkeys(_CONTROLS, " "),
        **dict.fromkeys((*_INVISIBLE, *_ARABIC_MARKS, ord("\N{ARABIC TATWEEL}"))),
        **_DIGIT_TABLE,
        **_LETTER_FOLD_TABLE,
    }
)

# Tab and newline are the only controls that carry meaning in stored text.
_UNSEEN = _char_class((*_INVISIBLE, *(code for code in _CONTROLS if chr(code) not in "\t\n")))

_LINE_BREAK = re.compile(r"\r\n?|[\x85\u2028\u2029]")
_EXCESS_BLANK_LINES = re.compile(r"\n{4,}")
_WORD = re.compile(r"[^\W_]+")


def normalize_for_matching(text: str) -> str:
    """Fold `text` to the form used for ids, fingerprints and entity matching.

    Removes diacritics, tatweel and invisible characters, unifies alef/yeh/heh/hamza variants,
    turns Arabic-Indic digits into ASCII, lowercases and collapses whitespace to single spaces.
    """
    text = unicodedata.normalize("NFKC", _SPACED_MARK_FORMS.sub("", text))
    return " ".join(text.translate(_MATCHING_TABLE).casefold().split())


def clean_text(text: str) -> str:
    """Tidy stored article text without changing its letters, diacritics or digits.

    NFC, no invisible or control characters except tab and newline, `\\n` line endings, no
    trailing spaces, at most two consecutive blank lines and none at the start or end.
    """
    text = unicodedata.normalize("NFC", _UNSEEN.sub("", _LINE_BREAK.sub("\n", text)))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _EXCESS_BLANK_LINES.sub("\n\n\n", text).strip("\n")


def digits_to_ascii(text: str) -> str:
    """Replace Arabic-Indic and Extended Arabic-Indic digits with ASCII digits."""
    return text.translate(_DIGIT_TABLE)


def tokens(text: str) -> list[str]:
    """Normalised word tokens: runs of letters and digits, punctuation and underscores dropped."""
    return _WORD.findall(normalize_for_matching(text))
