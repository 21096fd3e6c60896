"""What an insider with a SQL tool does to the audit log after changing it: recompute every
chain hash in order, so that the chain alone no longer shows the change (the attacks on the
log in tests/unit share it)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.audit_chain import GENESIS, event_hash
from db.models import AuditEvent


def rechain(
    session: Session, *, strip_from: int | None = None, move_back_from: int | None = None
) -> tuple[int, str] | None:
    """Recompute every event's chain hash in order; from the event `strip_from` on, remove
    the signatures, and from `move_back_from` on, move the times to 2020. Returns the new
    head (event, hash), None for an empty log."""
    previous, head = GENESIS, None
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        if move_back_from is not None and event.id >= move_back_from:
            event.occurred_at = event.occurred_at.replace(year=2020)
        if strip_from is not None and event.id >= strip_from:
            event.signature = None
        event.chain_hash = event_hash(
            previous,
            event.occurred_at,
            event.user_id,
            event.action,
            event.target_type,
            event.target_id,
            event.outcome,
        )
        previous, head = event.chain_hash, (event.id, event.chain_hash)
    return head
