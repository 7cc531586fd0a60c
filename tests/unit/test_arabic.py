"""Unit tests for shared.arabic: matching normalisation, gentle cleaning, digits and tokens."""

import pytest

from shared.arabic import clean_text, digits_to_ascii, normalize_for_matching, tokens

ALEF = "\N{ARABIC LETTER ALEF}"
BOM = "\ufeff"
ZWSP = "\u200b"
RLM = "\u200f"
RLE = "\u202b"
PDF = "\u202c"
NUL = "\x00"


# --- normalize_for_matching ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("مُحَمَّدٌ", "محمد"),  # damma, fatha, shadda, dammatan
        ("كِتَابًا", "كتابا"),  # kasra, fathatan
        ("قُلْ", "قل"),  # sukun
        ("الرَّحْمٰن", "الرحمن"),  # superscript alef
        ("بِسْمِ اللَّهِ", "بسم الله"),
    ],
)
def test_diacritics_are_removed(text: str, expected: str) -> None:
    assert normalize_for_matching(text) == expected


def test_tatweel_is_removed() -> None:
    assert normalize_for_matching("ســــوريا") == "سوريا"


@pytest.mark.parametrize("alef", ["أ", "إ", "آ", "ٱ"])
def test_alef_forms_are_unified(alef: str) -> None:
    assert normalize_for_matching(f"{alef}حمد") == f"{ALEF}حمد"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("على", "علي"),  # alef maqsura -> yeh
        ("مدرسة", "مدرسه"),  # taa marbuta -> heh
        ("مؤتمر", "موتمر"),  # waw with hamza -> waw
        ("رئيس", "رييس"),  # yeh with hamza -> yeh
    ],
)
def test_letter_variants_are_folded(text: str, expected: str) -> None:
    assert normalize_for_matching(text) == expected


def test_decomposed_hamza_folds_like_the_precomposed_letter() -> None:
    decomposed = "\N{ARABIC LETTER ALEF}\N{ARABIC HAMZA ABOVE}حمد"
    assert normalize_for_matching(decomposed) == normalize_for_matching("أحمد") == "احمد"


def test_digits_become_ascii() -> None:
    assert normalize_for_matching("عام ٢٠١٦ و۱۳۹۵") == "عام 2016 و1395"


@pytest.mark.parametrize(
    "invisible",
    ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\u202b", "\u202e", "\u2067"],
)
def test_zero_width_and_bidi_controls_are_removed(invisible: str) -> None:
    assert normalize_for_matching(f"ال{invisible}جيش") == "الجيش"


def test_whitespace_is_collapsed_and_trimmed() -> None:
    text = "  " + "الجيش" + "\t\t" + "السوري" + "\n\n\xa0" + "في  حلب "
    assert normalize_for_matching(text) == "الجيش السوري في حلب"


def test_latin_is_lowercased() -> None:
    assert normalize_for_matching("BBC News عربي") == "bbc news عربي"


def test_presentation_forms_fold_to_base_letters() -> None:
    # lam-alef ligature, the Allah ligature and isolated/final forms of a word
    assert normalize_for_matching("\ufefb \ufdf2 \ufedb\ufe98\ufe8e\ufe8f") == "لا الله كتاب"


def test_spacing_harakat_forms_do_not_split_words() -> None:
    # U+FE76 is an isolated fatha; NFKC alone would turn it into "space + fatha"
    assert normalize_for_matching("ك\ufe76تب") == "كتب"


def test_full_width_latin_becomes_ascii() -> None:
    assert normalize_for_matching("\uff22\uff22\uff23") == "bbc"  # full-width "BBC"


def test_matching_normalisation_is_idempotent() -> None:
    once = normalize_for_matching("قالَ الرئيسُ الأمريكيّ «أوباما» في ٢٠١٦\u200f")
    assert normalize_for_matching(once) == once


# --- clean_text ------------------------------------------------------------------------------


def test_clean_text_keeps_diacritics_letters_and_digits() -> None:
    text = "قالَ الرئيسُ إنّ ٢٠١٦ عامٌ صعب ــ جداً"
    assert clean_text(text) == text


def test_clean_text_composes_to_nfc() -> None:
    assert clean_text("\N{ARABIC LETTER ALEF}\N{ARABIC MADDAH ABOVE}") == "آ"


def test_clean_text_strips_invisible_characters() -> None:
    text = f"{BOM}ال{ZWSP}جيش {RLE}السوري{PDF}{RLM}"
    assert clean_text(text) == "الجيش السوري"


def test_clean_text_strips_nul_and_controls_but_keeps_tab_and_newline() -> None:
    assert clean_text("a\x00b\x07c\x1bd\x7fe\tf\ng\x85h") == "abcde\tf\ng\nh"


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\u2028"])
def test_clean_text_normalises_line_endings(newline: str) -> None:
    assert clean_text(f"سطر{newline}سطر") == "سطر\nسطر"


def test_clean_text_trims_trailing_spaces() -> None:
    assert clean_text("سطر  \t\nسطر\xa0\n") == "سطر\nسطر"


def test_clean_text_keeps_at_most_two_blank_lines() -> None:
    assert clean_text("a\n\n\n\n\n\nb") == "a\n\n\nb"
    assert clean_text("a\n\n\nb") == "a\n\n\nb"
    assert clean_text("a\n \n\t\n  \n\nb") == "a\n\n\nb"


def test_clean_text_drops_blank_lines_at_the_edges() -> None:
    assert clean_text("\n\n  \n" + "عنوان" + "\n\n") == "عنوان"


def test_clean_text_is_idempotent() -> None:
    once = clean_text("\r\n\r\n" + "عنوانٌ  " + "\r\n\r\n\r\n\r\n" + f"{ZWSP}نص{NUL}")
    assert clean_text(once) == once


# --- digits_to_ascii -------------------------------------------------------------------------


def test_digits_to_ascii_converts_both_digit_sets_only() -> None:
    assert digits_to_ascii("٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹") == "0123456789 0123456789"
    assert digits_to_ascii("عامٌ ٢٠١٦, 2017") == "عامٌ 2016, 2017"


# --- tokens ----------------------------------------------------------------------------------


def test_tokens_are_normalised_words_without_punctuation() -> None:
    text = "قالَ الرئيسُ، في ٢٠١٦: «السلام» BBC-عربي! snake_case"
    assert tokens(text) == [
        "قال", "الرييس", "في", "2016", "السلام", "bbc", "عربي", "snake", "case",
    ]  # fmt: skip


def test_tokens_ignore_diacritics_tatweel_and_invisibles() -> None:
    assert tokens("الجَيْشُ الســوري\u200c") == tokens("الجيش السوري") == ["الجيش", "السوري"]


def test_tokens_of_blank_text_are_empty() -> None:
    assert tokens(" \n\t\u200b") == []
