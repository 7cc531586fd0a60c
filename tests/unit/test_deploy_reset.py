"""`akhbar reset` decides what it may delete before it deletes anything."""

from __future__ import annotations

import pytest

from akhbar import reset
from shared import topics
from shared.settings import Settings

LOCAL = Settings.from_env({})
SHARED = Settings.from_env(
    {"KAFKA_BOOTSTRAP": "kafka.example:9092", "ELASTICSEARCH_URL": "https://es.example"}
)


def test_engines_started_here_are_reset_without_asking() -> None:
    assert reset.refusal(LOCAL, ["kafka", "elasticsearch"], confirmed=False) is None


@pytest.mark.parametrize(
    ("settings", "started_here", "named"),
    [
        (SHARED, [], ["kafka.example:9092", "https://es.example"]),
        (LOCAL, ["elasticsearch"], ["kafka at 127.0.0.1:9092"]),  # someone else's broker on this host
        (LOCAL, ["kafka"], ["elasticsearch at http://127.0.0.1:9200"]),
    ],
)
def test_engines_not_started_here_are_refused_and_named(
    settings: Settings, started_here: list[str], named: list[str]
) -> None:
    reason = reset.refusal(settings, started_here, confirmed=False)
    assert reason is not None and "--yes-this-cluster" in reason
    assert all(name in reason for name in named)


def test_told_this_cluster_it_goes_ahead() -> None:
    assert reset.refusal(SHARED, [], confirmed=True) is None


def test_only_the_pipelines_own_topics_are_deleted() -> None:
    theirs = ["orders", "__consumer_offsets", "akhbar", "akhbarish-dedup-x", "payments-changelog"]
    ours = [
        *topics.ALL,
        "akhbar-dedup-probes",
        "akhbar-dedup-dedup-clusters-changelog",
        "akhbar-language-__assignor-__leader",
    ]
    assert reset.own_topics(theirs + ours) == sorted(ours)
