"""Dedup revisions applied to indexed documents: the newest wins, and only `dedup` changes."""

from services.indexer.revisions import newest, revised_document, story_moves
from shared.schema import DedupInfo, DedupRevision, RelatedArticle, SharedPassage


def revision(article_id: str, version: int, status: str = "partial") -> DedupRevision:
    related = [RelatedArticle(article_id="later", overlap=0.2, passages=[SharedPassage(start=3, end=40)])]
    info = DedupInfo(status=status, cluster_id="story", version=version, related=related)
    return DedupRevision(article_id=article_id, dedup=info, cause="later")


def test_the_newest_revision_of_each_article_wins_whatever_the_order() -> None:
    batch = [revision("a", 5), revision("b", 1), revision("a", 9, "unique"), revision("a", 7)]
    chosen = newest(batch)
    assert set(chosen) == {"a", "b"}
    assert chosen["a"].dedup.version == 9 and chosen["a"].dedup.status == "unique"
    assert chosen["b"] is batch[1]


def test_a_revised_document_changes_only_its_verdict_and_when_it_was_indexed() -> None:
    source = {
        "id": "a",
        "body": "نص",
        "persons": ["بشار الأسد"],
        "dedup": {"status": "unique", "cluster_id": "a", "version": 1, "related": []},
        "indexed_at": "2026-01-01T00:00:00.000+00:00",
    }
    document = revised_document(source, revision("a", 9), now=1_800_000_000.0)
    assert {k: v for k, v in document.items() if k not in ("dedup", "indexed_at")} == {
        "id": "a",
        "body": "نص",
        "persons": ["بشار الأسد"],
    }
    assert document["dedup"]["status"] == "partial" and document["dedup"]["version"] == 9
    assert document["dedup"]["related"] == [
        {"article_id": "later", "overlap": 0.2, "passages": [{"start": 3, "end": 40}]}
    ]
    assert document["indexed_at"].startswith("2027-01-15")
    assert source["dedup"]["status"] == "unique"  # the document it was made from is untouched


def test_a_revision_into_another_story_moves_that_story_and_one_in_the_same_story_moves_none() -> None:
    documents = {
        "a": {"dedup": {"cluster_id": "old-story"}},
        "b": {"dedup": {"cluster_id": "story"}},
        "c": {"dedup": None},
    }
    moves = story_moves(documents, [revision("a", 9), revision("b", 9), revision("c", 9), revision("x", 9)])
    assert moves == {"old-story": "story"}
