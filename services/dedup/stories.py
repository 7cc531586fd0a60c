"""Which live articles make up each story, derived from the dedup tables.

An article's `Seen.cluster_id` is the story it joined when it was decided; a merge never rewrites it
but adds a link from the absorbed story to the one it became part of (`links`, a changelog-backed
table, with the article that caused the merge). Following links gives every article's story now.
From those two tables this class derives, and keeps up to date, the members of each story, so that a
merge can revise every member of the absorbed story, copies included, and the same merge found again
(the article re-delivered after a crash) can revise them again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping

from services.dedup.records import ClusterLink, Seen


class Stories:
    def __init__(self, articles: Mapping[str, Seen], links: MutableMapping[str, ClusterLink]) -> None:
        self.links = links
        self._members: dict[str, set[str]] = {}  # story an article joined -> the article ids
        self._absorbed: dict[str, list[str]] = {}  # story -> stories linked straight into it
        self._caused: dict[str, list[str]] = {}  # article -> stories it linked into others
        self._size: dict[str, int] = {}  # current story -> live articles in it
        for story, link in links.items():
            self._absorbed.setdefault(link.root, []).append(story)
            self._caused.setdefault(link.cause, []).append(story)
        for article_id, seen in articles.items():
            self.add(article_id, seen.cluster_id)

    def root(self, story: str) -> str:
        while (link := self.links.get(story)) is not None:
            story = link.root
        return story

    def size(self, story: str) -> int:
        return self._size.get(self.root(story), 0)

    def add(self, article_id: str, story: str) -> None:
        self._members.setdefault(story, set()).add(article_id)
        root = self.root(story)
        self._size[root] = self._size.get(root, 0) + 1

    def merge(self, absorbed: str, into: str, cause: str) -> None:
        """Make the story `absorbed` (a current story) part of the current story `into`."""
        self.links[absorbed] = ClusterLink(root=into, cause=cause)
        self._absorbed.setdefault(into, []).append(absorbed)
        self._caused.setdefault(cause, []).append(absorbed)
        self._size[into] = self._size.get(into, 0) + self._size.pop(absorbed, 0)

    def absorbed_by(self, cause: str) -> list[str]:
        """The stories that merges caused by this article made part of another one."""
        return self._caused.get(cause, [])

    def members(self, story: str) -> Iterator[str]:
        """Every live article that joined this story or a story linked into it, however deep."""
        pending = [story]
        while pending:
            current = pending.pop()
            yield from sorted(self._members.get(current, ()))
            pending.extend(self._absorbed.get(current, ()))
