"""Checking the audit chain: recompute every hash in order and say where it first breaks.

A changed event breaks the chain at that event; a removed or moved one breaks it at the
event that follows (its `previous` no longer matches), and leaves a gap in the numbers.
Events removed from the end leave the chain whole: the head recorded outside the database
(the key file) is what shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from db.audit_chain import GENESIS, event_hash


@dataclass(frozen=True)
class ChainEvent:
    id: int
    occurred_at: datetime
    user_id: str | None
    action: str
    target_type: str | None
    target_id: str | None
    outcome: str
    chain_hash: str | None
    signature: bytes | None = None


@dataclass(frozen=True)
class Signatures:
    """What the accounts' signatures say of the events."""

    signed: int
    # Events of an account without its signature once signing had begun, other than those
    # made outside a signed-in session: rewritten by someone else.
    unsigned: tuple[int, ...]
    # Events whose signature is not one of their account's keys: rewritten.
    forged: tuple[int, ...]


def check_signatures(
    events: list[ChainEvent],
    keys_of: Callable[[str], set[bytes]],
    valid: Callable[[bytes, bytes, bytes], bool],
    made_unsigned: frozenset[tuple[str, str]],
    signing_from: int | None,
) -> Signatures:
    """Check each event's signature against the keys its account was granted
    (`valid(public key, message, signature)` checks one). Every event from where the desk
    began signing on must carry one, but the `made_unsigned` (action, outcome) recorded
    outside a signed-in session, and those only without an account. Signing began at the
    number `signing_from` (counted by position, since times can be rewritten), or at the
    first validly signed event if that comes earlier: an event marking a later start,
    added by someone with an account of their own, moves nothing back."""
    verdicts = {event.id: _signed_validly(event, keys_of, valid) for event in events}
    first_signed = next((i for i, ok in verdicts.items() if ok), None)
    starts = [n for n in (signing_from, first_signed) if n is not None]
    start = min(starts) if signing_from is not None and starts else None
    signed, unsigned, forged = 0, [], []
    for event in events:
        if event.chain_hash is None:
            continue
        if event.signature is None:
            due = start is not None and event.id >= start
            allowed = event.user_id is None and (event.action, event.outcome) in made_unsigned
            if due and not allowed:
                unsigned.append(event.id)
        elif verdicts[event.id]:
            signed += 1
        else:
            forged.append(event.id)
    return Signatures(signed, tuple(unsigned), tuple(forged))


def _signed_validly(
    event: ChainEvent,
    keys_of: Callable[[str], set[bytes]],
    valid: Callable[[bytes, bytes, bytes], bool],
) -> bool:
    if event.signature is None or event.chain_hash is None or event.user_id is None:
        return False
    message = event.chain_hash.encode()
    return any(valid(key, message, event.signature) for key in keys_of(event.user_id))


@dataclass(frozen=True)
class ChainBreak:
    position: int  # 1-based place in the log, in the order of the event numbers
    event_id: int | None
    kind: str  # "changed" (this event or one before it moved or went), "truncated"


@dataclass(frozen=True)
class ChainHead:
    event_id: int
    chain_hash: str


def first_break(events: list[ChainEvent], anchor: ChainHead | None) -> ChainBreak | None:
    """None when the whole log is intact and reaches the anchor; else the first break."""
    previous = GENESIS
    expected_id: int | None = None
    for position, event in enumerate(events, start=1):
        recomputed = event_hash(
            previous,
            event.occurred_at,
            event.user_id,
            event.action,
            event.target_type,
            event.target_id,
            event.outcome,
        )
        gap = expected_id is not None and event.id != expected_id
        if gap or event.chain_hash != recomputed:
            return ChainBreak(position, event.id, "changed")
        previous, expected_id = recomputed, event.id + 1
    if anchor is not None:
        at = next((e for e in events if e.id == anchor.event_id), None)
        if at is None or at.chain_hash != anchor.chain_hash:
            return ChainBreak(len(events) + 1, anchor.event_id, "truncated")
    return None
