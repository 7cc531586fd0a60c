"""`make bench` fails a run in which a phase measured nothing, naming the phase."""

from typing import Any

from benchmarks.run import unmeasured


def results(**changes: dict[str, Any]) -> dict[str, Any]:
    phase = {"per_s": 30.0, "produced": 1500, "indexed": 1500}
    base: dict[str, Any] = {
        "limits": {
            "kafka": {"per_s": 400.0},
            "elasticsearch": {"per_s": 390.0},
            "in_process": {"per_s": 39.0},
        },
        "main": {"generated": {**phase, "timeline": []}, "ant": {"missing": "the ANT corpus is not at ..."}},
        "freshness": {"sent": 1100, "found": 1100, "p95": 1.5},
        "scaling": {"1 partition": dict(phase), "4 partitions": dict(phase), "8 partitions": dict(phase)},
    }
    for key, value in changes.items():
        base[key] = {**base[key], **value}
    return base


def test_a_run_where_every_phase_measured_something_passes() -> None:
    assert unmeasured(results()) == []


def test_the_phase_of_the_issue_is_named_with_what_it_found() -> None:
    empty = {"per_s": 0.0, "produced": 0, "indexed": 0}
    assert unmeasured(results(scaling={"8 partitions": empty})) == [
        "scaling, 8 partitions (per_s 0, produced 0, indexed 0)"
    ]


def test_sent_but_never_indexed_or_a_rate_of_nothing_or_nan_fails() -> None:
    stuck = {"ant": {"per_s": 0.0, "produced": 800, "indexed": 0, "timeline": []}}
    assert unmeasured(results(main=stuck)) == ["end to end, ant corpus (per_s 0, produced 800, indexed 0)"]
    lost = results(freshness={"found": 0}, limits={"kafka": {"per_s": float("nan")}})
    assert unmeasured(lost) == ["limit kafka (per_s nan)", "freshness (sent 1100, found 0)"]
