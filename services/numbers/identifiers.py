"""Addresses, handles and Latin model codes: stretches whose digits name something.

No analyst wants the digits of a URL or of `F-16` as a quantity. These are found first on the
raw text and their tokens are then closed to the grammar; Arabic model names (`ميغ 23`) are
recognised on tokens instead, see extract.py.
"""

from __future__ import annotations

import re

# The lookahead lets the engine pass over Arabic text at once: every alternative starts with an
# ASCII letter or digit, @ or #.
IDENTIFIERS = re.compile(
    r"(?=[a-z0-9@#])(?:"
    r"(?:https?://|www\.)[^\s\[\]()<>\"'“”]+"  # URLs
    r"|(?<![\w.])(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s\[\]()<>\"'“”]*"  # hosts with a path
    r"|(?<![\w.+-])[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+"  # e-mail addresses
    r"|[@#]\w+"  # handles and hashtags
    r"|(?<![\w-])[a-z]{1,4}-?\d+[a-z]*(?![\w-])"  # Latin model codes: F-16, A320, S400
    r"|(?<![\w+])\d+\+\d+(?![\w+])"  # negotiating groups: 5+1
    r"|(?-i:(?<![\w-])[A-Z]{2,3} \d{2,5}(?![\w-]))"  # flight and line codes: SV 3412
    r")",
    re.IGNORECASE,
)


def identifier_spans(text: str) -> list[tuple[int, int]]:
    """Spans of identifiers in `text`, in order; URLs lose a trailing full stop or comma."""
    spans = []
    for match in IDENTIFIERS.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in ".,;:!?،":
            end -= 1
        spans.append((match.start(), end))
    return spans
