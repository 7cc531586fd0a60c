"""The `ingest.files` record a dead letter of one archive member stands for."""

from __future__ import annotations

from faust.types import Message

from services.ingest.archives import Member


def member_record(message: Message, member: Member) -> Message:
    """The record as the member's dead letter should show it: the member's own bytes, not the
    whole archive's (a rejection without bytes of its own, e.g. a refused archive, shows the file)."""
    if not member.data or member.data == message.value:
        return message
    return Message(
        message.topic,
        message.partition,
        message.offset,
        message.timestamp,
        message.timestamp_type,
        message.headers,
        message.key,
        member.data,
        None,
    )
