"""Whether Elasticsearch takes the indexer's writes, as the indexer last found it.

The bulk writer reports what it meets (an outage, a blocked or closed index, 429s) and "" once
writes go through again; `/ready` and `akhbar status` show the last problem until then.
"""

from __future__ import annotations

from elasticsearch import AsyncElasticsearch


class Availability:
    def __init__(self, es: AsyncElasticsearch, url: str) -> None:
        self._es = es
        self._url = url
        self.problem = "Elasticsearch not contacted yet"

    def report(self, problem: str) -> None:
        self.problem = problem

    async def readiness(self) -> str | None:
        """Why the indexer cannot write now, or None."""
        if not self.problem:
            return None
        if self.problem.startswith("Elasticsearch does not answer"):
            try:  # it may be back before the next write finds out
                await self._es.cluster.health()
            except Exception as exc:
                return f"Elasticsearch at {self._url} does not answer: {exc}"
            return None
        return self.problem
