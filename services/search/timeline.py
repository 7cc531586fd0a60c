"""The days of the results for the page's timeline: every day from the first to the last, except that
a long run of days without articles is one gap.

One article dated years from the rest (a wrong date in a feed, an old report) would otherwise spread
the axis over years and squeeze the days of the news into a few pixels; the gap keeps each day a bar
and says how many days it leaves out.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

MAX_EMPTY_DAYS = 14  # a quieter fortnight is still drawn day by day


def days(buckets: list[dict[str, Any]], max_empty: int = MAX_EMPTY_DAYS) -> list[dict[str, Any]]:
    """`buckets` are the days with articles, in order ({"date", "articles", "stories"}); the answer
    adds the empty days between them, or {"gap": n} for a run of more than `max_empty` of them."""
    out: list[dict[str, Any]] = []
    previous: date | None = None
    for bucket in buckets:
        today = date.fromisoformat(bucket["date"])
        if previous is not None:
            empty = (today - previous).days - 1
            if empty > max_empty:
                out.append({"gap": empty})
            else:
                out.extend(
                    {"date": (previous + timedelta(days=n)).isoformat(), "articles": 0, "stories": 0}
                    for n in range(1, empty + 1)
                )
        out.append(bucket)
        previous = today
    return out
