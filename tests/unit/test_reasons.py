"""Dead-letter reasons are one enumeration, and the README's list is that enumeration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from services.ingest.parsing import NotAnArticle, parse_file
from shared.reasons import Reason

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lists_every_reason_and_no_other() -> None:
    text = README.read_text(encoding="utf-8")
    listed = text[text.index("`shared/reasons.py` (") :].split(")", 1)[0]
    assert set(re.findall(r"`([a-z_]+)`", listed)) == {reason.value for reason in Reason}


def test_a_parse_rejection_carries_a_member_of_the_enumeration() -> None:
    with pytest.raises(NotAnArticle) as rejected:
        parse_file("١٢٣ — ٤٥٦ %".encode(), "a.txt")
    assert rejected.value.reason is Reason.NO_TEXT
