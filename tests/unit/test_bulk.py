"""How the indexer cuts a batch into bulk requests, and which item errors it holds instead of refusing."""

from __future__ import annotations

from services.indexer import bulk
from services.indexer.bulk import Outcome, Write


def write(article_id: str, size: int, version: int | None = None) -> Write:
    return Write(article_id, {"body": "x"}, version, source=None, size=size)


def test_bulk_requests_stay_under_the_byte_limit() -> None:
    writes = [write(str(i), 400) for i in range(10)]
    chunks = list(bulk.chunks(writes, limit=1000))
    assert [len(c) for c in chunks] == [2, 2, 2, 2, 2]
    assert [w.article_id for c in chunks for w in c] == [str(i) for i in range(10)]


def test_a_document_larger_than_the_limit_goes_alone() -> None:
    chunks = list(bulk.chunks([write("a", 10), write("big", 5000), write("b", 10)], limit=1000))
    assert [[w.article_id for w in c] for c in chunks] == [["a"], ["big"], ["b"]]


def item(article_id: str, status: int, error_type: str | None = None) -> dict[str, object]:
    result: dict[str, object] = {"_id": article_id, "status": status}
    if error_type:
        result["error"] = {"type": error_type, "reason": f"{error_type} reason"}
    return {"index": result}


def test_blocks_and_overload_are_held_and_a_bad_document_is_refused() -> None:
    pending = {
        i: write(i, 1, version=1 if i == "old" else None) for i in ("ok", "old", "blocked", "busy", "bad")
    }
    items = [
        item("ok", 201),
        item("old", 409, "version_conflict_engine_exception"),
        item("blocked", 403, "cluster_block_exception"),
        item("busy", 429, "es_rejected_execution_exception"),
        item("bad", 400, "document_parsing_exception"),
    ]
    outcome = Outcome()
    problem, retry = bulk._sort_items(items, pending, outcome)
    assert sorted(retry) == ["blocked", "busy"]
    assert "cluster_block_exception reason" in problem
    assert [w.article_id for w in outcome.written] == ["ok"]
    assert [w.article_id for w in outcome.stale] == ["old"]
    assert [(w.article_id, reason) for w, reason, _ in outcome.refused] == [
        ("bad", "document_parsing_exception")
    ]


def test_a_document_over_the_nodes_indexing_pressure_limit_is_refused_not_held() -> None:
    reason = (
        "rejected execution of primary operation [coordinating_and_primary_bytes=11416488, replica_bytes=0, "
        "all_bytes=11416488, primary_operation_bytes=65665088, max_primary_bytes=53687091]"
    )
    busy = reason.replace("65665088", "1000")
    pending = {"huge": write("huge", 1), "small": write("small", 1)}
    items = [
        {
            "index": {
                "_id": "huge",
                "status": 429,
                "error": {"type": "es_rejected_execution_exception", "reason": reason},
            }
        },
        {
            "index": {
                "_id": "small",
                "status": 429,
                "error": {"type": "es_rejected_execution_exception", "reason": busy},
            }
        },
    ]
    outcome = Outcome()
    _, retry = bulk._sort_items(items, pending, outcome)
    assert list(retry) == ["small"]
    assert [(w.article_id, r) for w, r, _ in outcome.refused] == [("huge", "too_large")]
