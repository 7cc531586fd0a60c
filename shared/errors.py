"""The exceptions Akhbar raises on purpose. Each carries a short `reason` code for the DLQ.

AkhbarError
├── RejectedInput      a dropped file is not an article (empty, binary, undecodable, ...)
├── EnrichmentError    a stage could not annotate an article
└── EngineNotReady     Kafka or Elasticsearch did not come up in time (local set-up)
"""

from __future__ import annotations


class AkhbarError(Exception):
    reason = "error"

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class RejectedInput(AkhbarError):
    reason = "rejected"


class EnrichmentError(AkhbarError):
    reason = "enrichment_failed"


class EngineNotReady(AkhbarError):
    reason = "engine_not_ready"
