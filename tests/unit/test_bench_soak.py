"""`make soak`'s verdict: each criterion on made-up samples that pass it and that fail it."""

from collections.abc import Mapping, Sequence

import pytest

from benchmarks import report
from benchmarks.pipeline import Arrivals
from benchmarks.soak import Sample, exactly_once, freshness, lag_bounded, rss_growth, verdict

MIB = 2**20


def samples(
    rss: Mapping[str, Sequence[int | None]],
    lag: list[int] | None = None,
    pids: dict[str, list[int]] | None = None,
) -> list[Sample]:
    """A sample every 10 s from t = 0, with the given RSS (and lag of one group) per sample."""
    count = len(next(iter(rss.values())))
    lags = lag or [20] * count
    return [
        Sample(
            t=10.0 * n,
            rss={name: values[n] for name, values in rss.items()},
            cpu=dict.fromkeys(rss, 1.0 * n),
            pid={name: (pids or {}).get(name, [100] * count)[n] for name in rss},
            lag={"entities": lags[n]},
        )
        for n in range(count)
    ]


def step(before: int, after: int, count: int = 60) -> list[int]:
    """`before` in the first half of the samples and `after` in the second."""
    return [before] * (count // 2) + [after] * (count - count // 2)


def test_rss_growth_of_5_percent_passes_and_12_fails() -> None:
    result = rss_growth(samples({"ingest": step(200 * MIB, 210 * MIB), "dedup": step(300 * MIB, 336 * MIB)}))
    assert not result.passed
    assert result.measured == "ingest +5.0%, dedup +12.0%"
    assert result.values["growth"]["dedup"] == pytest.approx(0.12)
    assert rss_growth(samples({"ingest": step(200 * MIB, 210 * MIB)})).passed


def test_rss_compares_medians_of_the_windows_so_one_spike_does_not_fail() -> None:
    values = [200 * MIB] * 60
    values[-1] = 400 * MIB  # one sample of a garbage collection's peak, in the last window
    assert rss_growth(samples({"numbers": values})).passed


def test_a_restarted_or_missing_service_fails_rss() -> None:
    restarted = samples({"entities": [200 * MIB] * 60}, pids={"entities": step(100, 101)})
    assert rss_growth(restarted).measured == "entities restarted"
    assert not rss_growth(restarted).passed
    gone = samples({"search": [None] * 60})
    assert rss_growth(gone).measured == "search not running" and not rss_growth(gone).passed


def test_lag_that_keeps_growing_fails_and_a_steady_or_small_one_passes() -> None:
    rss = {"ingest": [200 * MIB] * 60}
    assert not lag_bounded(samples(rss, lag=[40 * n for n in range(60)]), rate=10).passed
    wobbling = [20, 35, 12, 28] * 15
    assert lag_bounded(samples(rss, lag=wobbling), rate=10).passed
    # ten times the first third's highest, but under the floor of 10 s of arrivals (100 records)
    assert lag_bounded(samples(rss, lag=[5] * 20 + [0] * 20 + [50] * 20), rate=10).passed
    assert not lag_bounded(samples(rss, lag=[5] * 20 + [0] * 20 + [101] * 20), rate=10).passed


def arrivals(latencies: Sequence[float | None], start: float = 60.0) -> Arrivals:
    """Articles sent one a second from `start`; None for one never found."""
    result = Arrivals(rate=1.0, sent=len(latencies))
    for n, latency in enumerate(latencies):
        result.sent_at[f"a{n}"] = start + n
        if latency is not None:
            result.latency[f"a{n}"] = latency
    return result


def test_freshness_p95_of_2_1_s_fails_and_1_9_passes() -> None:
    assert not freshness(arrivals([1.0] * 94 + [2.1] * 6), warmup=60).passed
    passing = freshness(arrivals([1.0] * 94 + [1.9] * 6), warmup=60)
    assert passing.passed and passing.values["p95"] == 1.9


def test_freshness_leaves_out_the_warmup_and_counts_an_article_never_found_as_late() -> None:
    during_warmup = arrivals([30.0] * 50, start=0.0)
    later = arrivals([0.5] * 100, start=60.0)
    later.sent_at |= {f"w{k}": t for k, t in during_warmup.sent_at.items()}
    later.latency |= {f"w{k}": v for k, v in during_warmup.latency.items()}
    assert freshness(later, warmup=60).passed
    lost = freshness(arrivals([0.5] * 90 + [None] * 10), warmup=60)
    assert not lost.passed and lost.values["p95"] is None and "10 never searchable" in lost.measured


def test_exactly_once_needs_every_article_by_id_and_by_prefix() -> None:
    assert exactly_once(1000, 1000, 1000).passed
    assert not exactly_once(1000, 999, 999).passed
    assert not exactly_once(1000, 1000, 1001).passed
    assert not exactly_once(0, 0, 0).passed


def test_verdict_judges_only_what_came_after_the_warmup_and_before_the_drain() -> None:
    watched = samples({"ingest": [500 * MIB] * 6 + [200 * MIB] * 54}, lag=[20] * 50 + [5000] * 10)
    criteria = verdict(watched, arrivals([0.8] * 100), by_id=100, by_prefix=100, warmup=60, until=490)
    assert [c.name for c in criteria] == [
        "RSS growth",
        "lag bounded",
        "freshness p95",
        "indexed exactly once",
    ]
    assert all(c.passed for c in criteria), criteria


SOAK = report.SOAK_HEADING


def test_the_soak_section_replaces_its_last_run_and_keeps_the_others() -> None:
    kept = f"{report.KEPT_MARK}\n\n# Other\n\n## A\n\na\n\n{SOAK}\n\nold\n\n## B\n\nb\n"
    text = f"# Benchmarks\n\nmain part\n\n{kept}"
    updated = report.with_kept_section(text, SOAK, f"{SOAK}\n\nnew\n")
    assert updated == text.replace("old", "new")
    assert report.with_kept_section(updated, SOAK, f"{SOAK}\n\nnewer") == text.replace("old", "newer")


def test_the_soak_section_goes_last_when_absent_and_below_a_mark_it_adds() -> None:
    text = f"# Benchmarks\n\n{report.KEPT_MARK}\n\n## A\n\na\n"
    assert report.with_kept_section(text, SOAK, f"{SOAK}\n\nnew") == f"{text}\n{SOAK}\n\nnew\n"
    assert report.with_kept_section("", SOAK, SOAK) == f"{report.KEPT_MARK}\n\n{SOAK}\n"
