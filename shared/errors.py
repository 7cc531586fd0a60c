"""The exceptions Akhbar raises on purpose. Each carries a short `reason` code for the DLQ.

AkhbarError
├── RejectedInput        a file or upload is not an article (empty, binary, undecodable, ...)
│   └── NotAnArticle     the parser's own, with its typed reason (services/ingest/parsing.py)
├── EngineNotReady       Kafka or Elasticsearch did not come up in time (local set-up)
├── MissingResource      a packaged data file is absent from the installation (shared/resources)
└── ForeignCluster       `akhbar reset` was pointed at engines it did not start (akhbar/reset.py)
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


class EngineNotReady(AkhbarError):
    reason = "engine_not_ready"
