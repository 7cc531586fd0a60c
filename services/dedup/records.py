"""What the dedup state keeps per article and per merged story, as changelog-backed table values."""

from __future__ import annotations

import faust


class Seen(faust.Record, include_metadata=False, serializer="json"):
    """One earlier article: one changelog message when first seen, a tombstone when it expires.

    A copy (exact or near) keeps only what names it and its head; the head of a copy group also keeps
    its fingerprints, since later articles are compared with heads only.
    """

    seq: int  # position in the sequencer's total order: "earlier" means a smaller seq
    first_seen: float  # epoch seconds, for expiry
    digest: str
    cluster_id: str  # its story when it was decided; merges since then are in the links table
    copy_of: str | None = None  # the head of its copy group, when it is an exact or near copy
    status: str = ""  # a copy's relation to its head: exact or near
    similarity: float | None = None  # a copy's Jaccard similarity with its head (1.0 when exact)
    length: int = 0  # characters in the body, for the share of it that later articles overlap
    signature: str = ""  # heads: packed MinHash values, for the LSH index
    shingles: str = ""  # heads: packed 5-gram hashes in text order, on which copies and passages are measured
    # heads: packed (fingerprint, start, end) of its passages; the spans let a later article that
    # shares them revise this one's verdict
    passages: str = ""


class ClusterLink(faust.Record, include_metadata=False, serializer="json"):
    """A story that was found to be part of another one, and the article that found it."""

    root: str
    cause: str = ""
