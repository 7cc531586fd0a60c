"""The cap on mentions an article record carries (enrich.cap)."""

from __future__ import annotations

from services.entities.enrich import cap


def test_under_the_cap_all_kept() -> None:
    assert cap([1, 2, 3], 3) == ([1, 2, 3], False)
    assert cap([1, 2, 3], None) == ([1, 2, 3], False)


def test_over_the_cap_first_kept_and_flagged() -> None:
    assert cap([1, 2, 3, 4], 2) == ([1, 2], True)
    assert cap([1], 0) == ([], True)
