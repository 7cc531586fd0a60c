"""Why a record became a dead letter: the one list of reason codes, written in `DeadLetter.reason`.

An operator filters `articles.dlq` by these codes, and `/metrics` counts dead letters by them, so a
code never changes meaning. Elasticsearch's own rejection types (`document_parsing_exception`,
`mapper_parsing_exception`, ...) are passed through as they come and are not listed here.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    # the doors: a file that cannot become an article
    EMPTY = "empty"  # no text at all
    BINARY = "binary"  # an image, an archive of another kind, a program
    UNDECODABLE = "undecodable"  # text in no encoding we can read
    BAD_JSON = "bad_json"  # named or sent as JSON, and not JSON
    NO_TEXT = "no_text"  # text without a single letter
    NO_FILE = "no_file"  # a multipart upload without a file part
    BAD_ARCHIVE = "bad_archive"  # an archive that cannot be read, or an encrypted member
    TOO_MANY_MEMBERS = "too_many_members"  # an archive over the members limit (AKHBAR_MAX_ARCHIVE_MEMBERS)
    # any stage
    TOO_LARGE = "too_large"  # over the door's size limit, or a record Kafka will never take
    BAD_RECORD = "bad_record"  # a topic record that is not an article record
    STAGE_ERROR = "stage_error"  # the stage's step raised on this article
    STAGE_TIMEOUT = "stage_timeout"  # the step ran past its time budget (AKHBAR_STAGE_BUDGET_SECONDS)
    REJECTED_BY_KAFKA = "rejected_by_kafka"  # Kafka refused the record for good (invalid, not authorised)
    # the indexer
    REVISION_TARGET_MISSING = "revision_target_missing"  # a dedup revision whose article never arrived
