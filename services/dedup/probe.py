"""An article on its way to the decider, with its fingerprints in Kafka headers.

The record stays a plain article (any client can read the topic); the fingerprints, computed in
parallel on every partition of the input, ride along as packed headers.
"""

from __future__ import annotations

from faust.types import Message

from services.dedup import codec, minhash
from services.dedup.fingerprints import Fingerprints, fingerprint, pack_passages, unpack_passages
from shared.records import header

DIGEST, SIGNATURE, SHINGLES, PASSAGES = "dedup-digest", "dedup-signature", "dedup-shingles", "dedup-passages"


def to_headers(prints: Fingerprints) -> dict[str, bytes]:
    return {
        DIGEST: prints.digest.encode("ascii"),
        SIGNATURE: codec.pack(prints.signature).encode("ascii"),
        SHINGLES: codec.pack(prints.shingles).encode("ascii"),
        PASSAGES: pack_passages(prints.passages).encode("ascii"),
    }


def from_headers(message: Message) -> Fingerprints:
    digest, signature, shingles, passages = (
        header(message, name) for name in (DIGEST, SIGNATURE, SHINGLES, PASSAGES)
    )
    if digest is None or signature is None or shingles is None or passages is None:
        raise ValueError("a dedup probe without its fingerprint headers")
    return Fingerprints(digest, codec.unpack(signature), codec.unpack(shingles), unpack_passages(passages))


def prints_of(message: Message, body: str) -> Fingerprints:
    """The probe's fingerprints, or the body's again when an older version made them (a probe in
    flight across an upgrade): without shingles, or with sketches of another length, which cannot be
    compared with today's."""
    if header(message, SHINGLES) is None:
        return fingerprint(body)
    prints = from_headers(message)
    return prints if len(prints.signature) == minhash.NUM_PERM else fingerprint(body)
