"""Settings for every Akhbar process, read once from the environment (twelve-factor).

Each field names the variable it comes from; `Settings.from_env()` is the only reader of os.environ
for configuration, so a service's behaviour is fully described by its environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# what AKHBAR_ENTITIES_RECOGNIZER may name (services/entities/stacked.py loads each)
ENTITIES_RECOGNIZERS = ("rules", "crf")


def _default_run_dir() -> Path:
    """`.run` under the working directory: the checkout under `make`, the image's WORKDIR in compose.

    Never next to the code: an installed package sits in site-packages, which is no place for state.
    """
    return Path.cwd() / ".run"


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name, "")
    try:
        return int(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from None


def _choice(env: dict[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    raw = (env.get(name) or default).strip().lower()
    if raw not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return raw


def _float(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name, "")
    try:
        return float(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name} must be a number, got {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    kafka_bootstrap: str = "127.0.0.1:9092"  # KAFKA_BOOTSTRAP
    elasticsearch_url: str = "http://127.0.0.1:9200"  # ELASTICSEARCH_URL
    elasticsearch_username: str | None = None  # ELASTICSEARCH_USERNAME
    elasticsearch_password: str | None = None  # ELASTICSEARCH_PASSWORD
    elasticsearch_api_key: str | None = None  # ELASTICSEARCH_API_KEY
    external_kafka: bool = False  # true when KAFKA_BOOTSTRAP was given: nothing local is started
    external_elasticsearch: bool = False  # likewise for ELASTICSEARCH_URL
    bind_host: str = "127.0.0.1"  # AKHBAR_BIND_HOST
    topic_partitions: int = 4  # AKHBAR_TOPIC_PARTITIONS
    replication_factor: int = 1  # AKHBAR_REPLICATION_FACTOR
    index_alias: str = "articles"  # AKHBAR_INDEX_ALIAS
    ingest_token: str | None = None  # AKHBAR_INGEST_TOKEN
    # AKHBAR_MAX_FILE_BYTES: the largest file a door takes, and the largest article. Chosen so the
    # slowest stage (entities, 1.3-1.8 s per MB on this machine when quiet) finishes one well inside
    # the stage budget, and Elasticsearch (512 MB heap here) can index its document: a 10 MB article
    # made a 45 MB indexing operation, which its indexing pressure limit (53 MB) kept refusing.
    max_file_bytes: int = 4_000_000
    # AKHBAR_MAX_ARCHIVE_MEMBERS, AKHBAR_MAX_ARCHIVE_BYTES: what one archive may expand to (members,
    # uncompressed bytes); each member is held to max_file_bytes too. ANT (31,523 lines, 109 MB) fits.
    max_archive_members: int = 100_000
    max_archive_bytes: int = 250_000_000
    run_dir: Path = field(default_factory=_default_run_dir)  # AKHBAR_RUN_DIR
    drop_dir: Path = field(default_factory=lambda: _default_run_dir() / "drop")  # AKHBAR_DROP_DIR
    log_level: str = "INFO"  # AKHBAR_LOG_LEVEL
    batch_size: int = 200  # AKHBAR_BATCH_SIZE: records one stage handles between offset commits
    # AKHBAR_BATCH_SECONDS: longest wait to fill a batch; paid at every hop when traffic is light
    batch_seconds: float = 0.05
    dedup_near_threshold: float = 0.8  # AKHBAR_DEDUP_NEAR_THRESHOLD
    # AKHBAR_DEDUP_MIN_SHARE: shared passages relate two articles when they cover this share of the smaller
    dedup_min_share: float = 0.2
    dedup_window_days: float = 30.0  # AKHBAR_DEDUP_WINDOW_DAYS: fingerprints older than this are forgotten
    # AKHBAR_DEDUP_MAX_ARTICLES: and beyond this many, the oldest (dedup's state lives in memory)
    dedup_max_articles: int = 200_000
    port_offset: int = 0  # AKHBAR_PORT_OFFSET: shifts every service port (two stacks on one host)
    # AKHBAR_STAGE_BUDGET_SECONDS: longest a stage works on one article before it dead-letters it
    # (stage_timeout); 0 for no budget. See README, "Limits", for how it and the size limit relate.
    stage_budget_seconds: float = 60.0
    # AKHBAR_STALL_SECONDS: a stage held this long on one record (working on it, or retrying its
    # send) reports a stall in /ready, `akhbar status` and /metrics
    stall_seconds: float = 2.0  # no article of real news takes a stage a second
    # AKHBAR_MAX_ENTITIES, AKHBAR_MAX_NUMBERS, AKHBAR_MAX_RELATED: mentions and related articles kept
    # per article (the first ones; `truncated` names a list that was cut). Together under the
    # 10,000 nested objects Elasticsearch takes in one document.
    max_entities: int = 4000
    max_numbers: int = 4000
    max_related: int = 10
    # AKHBAR_ENTITIES_RECOGNIZER: "crf", the trained labeller and the rules where it found nothing,
    # or "rules" alone. crf finds more on real news (ANT gold 0.877 / 0.834 against 0.780 / 0.706;
    # NewsFANEGold's held-out documents 0.708 against 0.558), at about a third of the rules' rate,
    # which still keeps up with the other stages (README, "Entities").
    entities_recognizer: str = "crf"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        # absolute, so a process started elsewhere with the same settings finds the same folder
        run_dir = Path(env.get("AKHBAR_RUN_DIR") or _default_run_dir()).absolute()
        return cls(
            kafka_bootstrap=env.get("KAFKA_BOOTSTRAP") or cls.kafka_bootstrap,
            elasticsearch_url=(env.get("ELASTICSEARCH_URL") or cls.elasticsearch_url).rstrip("/"),
            elasticsearch_username=env.get("ELASTICSEARCH_USERNAME") or None,
            elasticsearch_password=env.get("ELASTICSEARCH_PASSWORD") or None,
            elasticsearch_api_key=env.get("ELASTICSEARCH_API_KEY") or None,
            external_kafka=bool(env.get("KAFKA_BOOTSTRAP")),
            external_elasticsearch=bool(env.get("ELASTICSEARCH_URL")),
            bind_host=env.get("AKHBAR_BIND_HOST") or cls.bind_host,
            topic_partitions=_int(env, "AKHBAR_TOPIC_PARTITIONS", cls.topic_partitions),
            replication_factor=_int(env, "AKHBAR_REPLICATION_FACTOR", cls.replication_factor),
            index_alias=env.get("AKHBAR_INDEX_ALIAS") or cls.index_alias,
            ingest_token=env.get("AKHBAR_INGEST_TOKEN") or None,
            max_file_bytes=_int(env, "AKHBAR_MAX_FILE_BYTES", cls.max_file_bytes),
            max_archive_members=_int(env, "AKHBAR_MAX_ARCHIVE_MEMBERS", cls.max_archive_members),
            max_archive_bytes=_int(env, "AKHBAR_MAX_ARCHIVE_BYTES", cls.max_archive_bytes),
            run_dir=run_dir,
            drop_dir=Path(env.get("AKHBAR_DROP_DIR") or run_dir / "drop"),
            log_level=(env.get("AKHBAR_LOG_LEVEL") or cls.log_level).upper(),
            batch_size=_int(env, "AKHBAR_BATCH_SIZE", cls.batch_size),
            batch_seconds=_float(env, "AKHBAR_BATCH_SECONDS", cls.batch_seconds),
            dedup_near_threshold=_float(env, "AKHBAR_DEDUP_NEAR_THRESHOLD", cls.dedup_near_threshold),
            dedup_min_share=_float(env, "AKHBAR_DEDUP_MIN_SHARE", cls.dedup_min_share),
            dedup_window_days=_float(env, "AKHBAR_DEDUP_WINDOW_DAYS", cls.dedup_window_days),
            dedup_max_articles=_int(env, "AKHBAR_DEDUP_MAX_ARTICLES", cls.dedup_max_articles),
            port_offset=_int(env, "AKHBAR_PORT_OFFSET", cls.port_offset),
            stage_budget_seconds=_float(env, "AKHBAR_STAGE_BUDGET_SECONDS", cls.stage_budget_seconds),
            stall_seconds=_float(env, "AKHBAR_STALL_SECONDS", cls.stall_seconds),
            max_entities=_int(env, "AKHBAR_MAX_ENTITIES", cls.max_entities),
            max_numbers=_int(env, "AKHBAR_MAX_NUMBERS", cls.max_numbers),
            max_related=_int(env, "AKHBAR_MAX_RELATED", cls.max_related),
            entities_recognizer=_choice(
                env, "AKHBAR_ENTITIES_RECOGNIZER", ENTITIES_RECOGNIZERS, cls.entities_recognizer
            ),
        )

    @property
    def elasticsearch_auth(self) -> dict[str, Any]:
        """Keyword arguments for the elasticsearch client's credentials."""
        if self.elasticsearch_api_key:
            return {"api_key": self.elasticsearch_api_key}
        if self.elasticsearch_username:
            return {"basic_auth": (self.elasticsearch_username, self.elasticsearch_password or "")}
        return {}
