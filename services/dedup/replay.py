"""The dedup stage without Kafka: articles decided in the order given, verdicts kept as the index would.

The same pure parts the service runs (`fingerprint`, then `Decider` over plain dicts instead of Faust
tables), in one process: for tests and for scoring dedup on a corpus. Each article's verdict, and every
revision a later article sends for it, lands in `indexed`, where the newer version wins, as it does in
Elasticsearch (the indexer uses the version as the external version).
"""

from __future__ import annotations

from services.dedup.decider import Decider, Decision, Policy
from services.dedup.fingerprints import fingerprint
from services.dedup.records import ClusterLink, Seen
from services.dedup.verdict import Verdict


class Replay:
    def __init__(self, policy: Policy | None = None) -> None:
        self.articles: dict[str, Seen] = {}
        self.links: dict[str, ClusterLink] = {}
        self.decider = Decider(policy or Policy(), self.articles, self.links)
        self.indexed: dict[str, Verdict] = {}
        self.seq = 0

    def send(self, article_id: str, body: str, now: float = 0.0) -> Decision:
        self.seq += 1
        decision = self.decider.decide(article_id, fingerprint(body), len(body), self.seq, now)
        for target, verdict in [(article_id, decision.verdict), *decision.revised]:
            current = self.indexed.get(target)
            if current is None or verdict.version >= current.version:
                self.indexed[target] = verdict
        return decision
