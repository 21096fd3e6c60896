"""Anchors of the audit log outside the desk: what shows events removed or rewritten by
someone who holds the data key (and so could rewrite the chain and the key file's copy of
its head).

- Every counts file carries the audit head (event number and chain hash) at its export,
  signed with the desk's key; the network keeps the file.
- An administrator can print or export an anchor (`havre audit anchor`) and keep it away
  from the desk; `havre audit verify --anchor "<anchor>"` checks the log still holds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.domain.roles import Role
from app.errors import ValidationError
from app.i18n import _
from app.services import audit
from app.services.open_desk import OpenDesk
from db import repositories
from db.models import AuditEvent, CountsExport

PREFIX = "HAVRE-AUDIT-ANCHOR"
ANCHOR_ROLES = (Role.ADMIN,)
_ANCHOR = re.compile(rf"{PREFIX} (\S{{1,12}}) (\d{{1,12}}) ([0-9a-f]{{64}}) (\S{{1,40}})")


@dataclass(frozen=True)
class Anchor:
    desk_code: str
    event_id: int
    chain_hash: str
    made_at: datetime

    @property
    def text(self) -> str:
        made = self.made_at.astimezone(UTC).isoformat(timespec="seconds")
        return f"{PREFIX} {self.desk_code} {self.event_id} {self.chain_hash} {made}"


@dataclass(frozen=True)
class ExternalAnchor:
    """The latest point of the log a copy outside the desk holds."""

    event_id: int
    at: datetime
    period: str | None  # a counts file's month; None for an anchor printed or exported
    matches: bool | None  # the log still holds it (None: only the outside copy can tell)


def make(desk: OpenDesk) -> Anchor:
    """The anchor of the log as it is now (then audited: the anchoring is itself an event)."""
    with desk.guarded(ANCHOR_ROLES, "audit.anchor") as session:
        event_id = repositories.last_audit_event_id(session)
        chain_hash = repositories.last_audit_hash(session)
        if chain_hash is None:
            raise ValidationError(_("The audit log is empty."), field="anchor")
        audit.record(
            session,
            audit.AUDIT_ANCHORED,
            desk.user.id,
            target_type="event",
            target_id=str(event_id),
        )
    return Anchor(desk.desk.code, event_id, chain_hash, clock.now().replace(microsecond=0))


def parse(text: str) -> Anchor:
    """An anchor as `make` wrote it; a clear refusal for anything else."""
    found = _ANCHOR.search(" ".join(text.split()))
    try:
        if found is None:
            raise ValueError(text)
        made_at = datetime.fromisoformat(found.group(4))
    except ValueError:
        raise ValidationError(
            _(
                "This is not an audit anchor. Give the whole line Havre printed, starting "
                "with {prefix}."
            ).format(prefix=PREFIX),
            field="anchor",
        ) from None
    return Anchor(found.group(1), int(found.group(2)), found.group(3), made_at)


def holds(session: Session, anchor: Anchor) -> bool:
    """Whether the log still has the anchored event, with the anchored chain hash."""
    found = session.scalar(select(AuditEvent.chain_hash).where(AuditEvent.id == anchor.event_id))
    return found == anchor.chain_hash


def latest_external(session: Session) -> ExternalAnchor | None:
    """The latest of the counts files written and the anchors printed or exported."""
    exported = session.scalars(
        select(CountsExport)
        .where(CountsExport.audit_head.is_not(None))
        .order_by(CountsExport.audit_head.desc())
        .limit(1)
    ).first()
    printed = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == audit.AUDIT_ANCHORED)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    candidates = []
    if exported is not None and exported.audit_head is not None:
        chain_hash = session.scalar(
            select(AuditEvent.chain_hash).where(AuditEvent.id == exported.audit_head)
        )
        matches = exported.audit_head == 0 or chain_hash == exported.audit_hash
        candidates.append(
            ExternalAnchor(exported.audit_head, exported.exported_at, exported.period, matches)
        )
    if printed is not None and printed.target_id and printed.target_id.isdigit():
        candidates.append(ExternalAnchor(int(printed.target_id), printed.occurred_at, None, None))
    return max(candidates, key=lambda a: a.event_id, default=None)
