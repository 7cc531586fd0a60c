"""What the dedup state keeps per article and per merged story, as changelog-backed table values."""

from __future__ import annotations

import faust


class Seen(faust.Record, include_metadata=False, serializer="json"):
    """One earlier article: one changelog message when first seen, a tombstone when it expires."""

    seq: int  # position in the sequencer's total order: "earlier" means a smaller seq
    first_seen: float  # epoch seconds, for expiry
    digest: str
    cluster_id: str  # its story when it was decided; merges since then are in the links table
    copy_of: str | None = None  # the head of its copy group, when it is an exact or near copy
    length: int = 0  # characters in the body, for the share of it that later articles overlap
    # The rest is kept for copy-group heads only: a later article is a copy of a head, never of a copy.
    signature: str = ""  # packed MinHash values, for the LSH index that proposes candidates
    shingles: str = ""  # packed distinct 5-gram hashes, on which a candidate is decided near or not
    # packed (fingerprint, start, end) of its passages: the spans let a later article that shares
    # them revise this one's verdict
    passages: str = ""


class ClusterLink(faust.Record, include_metadata=False, serializer="json"):
    """A story that was found to be part of an earlier one."""

    root: str
