"""The audit log for the administrator and the data protection officer: read it with
filters, verify its chain, export it as CSV. Reading, verifying and exporting are audited
themselves.

The head of the chain is written into the key file at every lock (`anchor_head`), so that
events removed from the end of the log, which leave the chain itself whole, still show.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock, crypto, keyfile
from app.domain.audit_verification import (
    ChainBreak,
    ChainEvent,
    ChainHead,
    Signatures,
    check_signatures,
    first_break,
)
from app.domain.roles import Role
from app.errors import AuditLogDamaged, TargetExists, ValidationError
from app.files import atomic_write
from app.i18n import _, format_date, ngettext
from app.services import audit, audit_anchor, grants
from app.services.audit_anchor import Anchor, ExternalAnchor
from app.services.open_desk import OpenDesk
from db.models import AuditEvent, CaseFile, DeskRestore, Handout, ListeningSession, Referral, User

AUDIT_ROLES = (Role.ADMIN,)
# Recorded outside a signed-in session, so with no account key at hand.
# The events recorded outside any signed-in account's session, which carry neither an
# account nor a signature: a restore that no administrator's key could sign, a grant made
# by the authority, a reset with the recovery key, refusals at sign-in (the account they
# concern is their target). Every other event since the desk began signing is signed by
# its account: one stripped of its signature, given another action, or added in an
# account's name without its key shows as unsigned.
MADE_UNSIGNED = frozenset(
    {
        (audit.BACKUP_RESTORED, audit.OK),
        (audit.GRANT_SIGNED, audit.OK),
        (audit.PASSWORD_RESET, audit.OK),
        (audit.LOGIN, audit.DENIED),
        (audit.LOGIN_FAILED, audit.FAILED),
        (audit.NOTES_KEY_REFUSED, audit.DENIED),
    }
)
MAX_SHOWN = 5_000


@dataclass(frozen=True)
class AuditEntry:
    id: int
    occurred_at: datetime
    user_name: str  # "" for events without a signed-in user (failed sign-ins)
    action: str
    target_type: str | None
    target_id: str | None
    outcome: str
    # What people know them by: the account's full name; the case code of a case, or of
    # the case a referral, session or hand-out belongs to; an account's full name; a month.
    # "" when the target has no such name (or is gone).
    user_display_name: str = ""
    target_name: str = ""


@dataclass(frozen=True)
class AuditFilter:
    user_id: str | None = None
    action: str | None = None
    first_day: date | None = None
    last_day: date | None = None


@dataclass(frozen=True)
class RestoreSeen:
    """A backup put in place of the desk, as its record and audit event tell it."""

    restored_at: datetime
    restored_by: str
    backup_name: str
    backup_desk_code: str
    events_missing: int | None
    kept_disabled: int
    other_desk: bool
    recorded: bool  # its audit event carries the digest of this record

    @property
    def message(self) -> str:
        day = format_date(self.restored_at)
        if not self.recorded:
            return _(
                "The record of the restore of {day} was changed after it was made. Tell the "
                "data protection officer."
            ).format(day=day)
        if self.events_missing is None:
            missing = _("the desk it replaced did not open, so what it held is unknown")
        else:
            missing = ngettext(
                "{count} event of the replaced desk's audit log is not in it",
                "{count} events of the replaced desk's audit log are not in it",
                self.events_missing,
            ).format(count=self.events_missing)
        kind = _("of another desk") if self.other_desk else _("of this desk")
        return _(
            "Restored on {day} by {name} from {backup} (a backup {kind}, {code}): {missing}."
        ).format(
            day=day,
            name=self.restored_by,
            backup=self.backup_name,
            kind=kind,
            code=self.backup_desk_code,
            missing=missing,
        )


@dataclass(frozen=True)
class ChainReport:
    """What `verify` found, and what it can and cannot prove."""

    events: int
    broken: ChainBreak | None
    restores: tuple[RestoreSeen, ...]
    first: int  # the range of events checked
    last: int
    signatures: Signatures
    external: ExternalAnchor | None
    given: Anchor | None  # an anchor kept outside the desk, to check
    given_held: bool
    # Events of restores whose record (desk_restore) is gone: deleted to hide the restore.
    restores_unrecorded: tuple[int, ...] = ()
    # Events of role grants since deleted or changed (an older role brought back).
    grants_changed: tuple[int, ...] = ()

    @property
    def intact(self) -> bool:
        return (
            self.broken is None
            and not self.signatures.forged
            and not self.signatures.unsigned
            and all(r.recorded for r in self.restores)
            and not self.restores_unrecorded
            and not self.grants_changed
            and (self.external is None or self.external.matches is not False)
            and self.given_held
        )

    @property
    def message(self) -> str:
        lines = [self._chain_message]
        if self.events:
            lines += [self._signatures_message, self._anchor_message]
        if self.given is not None:
            lines.append(self._given_message)
        lines += [r.message for r in self.restores]
        if self.restores_unrecorded:
            lines.append(
                _(
                    "Events {events} record restores whose record is gone: it was deleted to "
                    "hide them. Tell the data protection officer."
                ).format(events=_listed(self.restores_unrecorded))
            )
        if self.grants_changed:
            lines.append(
                _(
                    "Events {events} record role grants that are gone or changed since: a "
                    "role taken away may have been given back. Tell the data protection "
                    "officer."
                ).format(events=_listed(self.grants_changed))
            )
        return "\n".join(line for line in lines if line)

    @property
    def _signatures_message(self) -> str:
        checked = self.signatures
        lines = [
            ngettext(
                "{count} event is signed by the account that caused it.",
                "{count} events are signed by the account that caused them.",
                checked.signed,
            ).format(count=checked.signed)
        ]
        if checked.forged:
            lines.append(
                _(
                    "Events {events} carry a signature that is not their account's: they "
                    "were rewritten. Tell the data protection officer."
                ).format(events=_listed(checked.forged))
            )
        if checked.unsigned:
            lines.append(
                _(
                    "Events {events} carry no signature of their account, though they were "
                    "made in a signed-in session, or had their account taken away: they were "
                    "rewritten. Tell the data protection officer."
                ).format(events=_listed(checked.unsigned))
            )
        return " ".join(lines)

    @property
    def _anchor_message(self) -> str:
        anchor = self.external
        if anchor is None:
            return _(
                "No anchor outside the desk yet: every event is anchored only inside it, "
                "where whoever holds the data key could remove or rewrite events without it "
                "showing. Export a month's counts or print an anchor (havre audit anchor)."
            )
        day = format_date(anchor.at)
        if anchor.matches is False:
            return _(
                "The counts file for {period} exported on {day} carried event {event}, and "
                "the log no longer holds it as it was: it was rewritten. Tell the data "
                "protection officer."
            ).format(period=anchor.period, day=day, event=anchor.event_id)
        if anchor.period is not None:
            source = _(
                "in the counts file for {period} exported on {day}, which the network holds signed"
            ).format(period=anchor.period, day=day)
        else:
            source = _(
                "printed or exported on {day}: compare it with the copy kept outside the desk"
            ).format(day=day)
        after = (
            _(
                "Events {first} to {last} are anchored only inside the desk: whoever holds the "
                "data key could remove or rewrite them without it showing here."
            ).format(first=anchor.event_id + 1, last=self.last)
            if anchor.event_id < self.last
            else ""
        )
        return " ".join(
            part
            for part in (
                _("Last anchor outside the desk: event {event}, {source}.").format(
                    event=anchor.event_id, source=source
                ),
                after,
            )
            if part
        )

    @property
    def _given_message(self) -> str:
        assert self.given is not None
        if self.given_held:
            return _("The anchor you gave (event {event}) is in the log as it was.").format(
                event=self.given.event_id
            )
        return _(
            "The anchor you gave (event {event}) is not in the log as it was: events up to "
            "it were removed or rewritten. Tell the data protection officer."
        ).format(event=self.given.event_id)

    @property
    def _chain_message(self) -> str:
        if self.broken is None:
            return _(
                "The audit log is intact: {count} events verified, events {first} to {last}."
            ).format(count=self.events, first=self.first, last=self.last)
        if self.broken.kind == "truncated":
            return _(
                "The audit log was cut short: the key file recorded event {event} at the last "
                "lock, and the log no longer reaches it. Restore a verified backup and tell "
                "the data protection officer."
            ).format(event=self.broken.event_id)
        return _(
            "The audit log was altered at position {position} (event {event}): an event was "
            "changed there, or one before it was removed or moved. Tell the data protection "
            "officer."
        ).format(position=self.broken.position, event=self.broken.event_id)


def entries(desk: OpenDesk, wanted: AuditFilter) -> list[AuditEntry]:
    """The newest events first that match `wanted`, at most MAX_SHOWN; audited."""
    with desk.guarded(AUDIT_ROLES, "audit.view") as session:
        query = select(AuditEvent, User.user_name, User.display_name).outerjoin(
            User, User.id == AuditEvent.user_id
        )
        if wanted.user_id:
            query = query.where(AuditEvent.user_id == wanted.user_id)
        if wanted.action:
            query = query.where(AuditEvent.action == wanted.action)
        if wanted.first_day:
            query = query.where(AuditEvent.occurred_at >= clock.at(wanted.first_day))
        if wanted.last_day:
            end = clock.at(wanted.last_day + timedelta(days=1))
            query = query.where(AuditEvent.occurred_at < end)
        rows = session.execute(query.order_by(AuditEvent.id.desc()).limit(MAX_SHOWN)).all()
        names = _target_names(session, [event for event, _user, _name in rows])
        found = [
            AuditEntry(
                event.id,
                event.occurred_at,
                user_name or "",
                event.action,
                event.target_type,
                event.target_id,
                event.outcome,
                user_display_name=display_name or "",
                target_name=names.get((event.target_type or "", event.target_id or ""), ""),
            )
            for event, user_name, display_name in rows
        ]
        audit.record(session, audit.AUDIT_VIEWED, desk.user.id)
        return found


# Targets named by the case they belong to: (their id, their case's id).
_CASE_OF = {
    "referral": (Referral.id, Referral.case_id),
    "session": (ListeningSession.id, ListeningSession.case_id),
    "handout": (Handout.id, Handout.case_id),
}
# Targets whose id is already what people read (a month such as 2026-03, a file format).
_READABLE_TARGETS = frozenset({"period", "format"})


def _target_names(session: Session, events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """(target type, target id) -> the name people know it by, for the events shown."""
    wanted: dict[str, set[str]] = {}
    for event in events:
        if event.target_type is not None and event.target_id is not None:
            wanted.setdefault(event.target_type, set()).add(event.target_id)
    names: dict[tuple[str, str], str] = {}
    if wanted.get("user"):
        users = select(User.id, User.display_name).where(User.id.in_(wanted["user"]))
        for user_id, display_name in session.execute(users):
            names[("user", user_id)] = display_name
    if wanted.get("case"):
        cases = select(CaseFile.id, CaseFile.code).where(CaseFile.id.in_(wanted["case"]))
        for case_id, code in session.execute(cases):
            names[("case", case_id)] = code
    for target_type, (own_id, owner_id) in _CASE_OF.items():
        if not wanted.get(target_type):
            continue
        owned = (
            select(own_id, CaseFile.code)
            .join(CaseFile, CaseFile.id == owner_id)
            .where(own_id.in_(wanted[target_type]))
        )
        for target_id, code in session.execute(owned):
            names[(target_type, target_id)] = code
    for target_type in _READABLE_TARGETS:
        for target_id in wanted.get(target_type, set()):
            names[(target_type, target_id)] = target_id
    return names


def actions(desk: OpenDesk) -> list[str]:
    with desk.guarded(AUDIT_ROLES, "audit.view") as session:
        return list(
            session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
        )


def verify(desk: OpenDesk, given: Anchor | None = None) -> ChainReport:
    """Recompute the chain from the first event and check it reaches the head the key file
    recorded; check each event's signature against its account's granted keys; say which
    events an anchor outside the desk covers, and check the one `given`."""
    with desk.guarded(AUDIT_ROLES, "audit.verify") as session:
        anchor = _recorded_head(desk)
        events = _chain_events(session)
        keys = _account_keys(desk, session)
        report = ChainReport(
            len(events),
            first_break(events, anchor),
            _restores(session),
            events[0].id if events else 0,
            events[-1].id if events else 0,
            check_signatures(
                events,
                keys,
                crypto.signature_valid,
                MADE_UNSIGNED,
                _signing_from(desk, session, events),
            ),
            audit_anchor.latest_external(session),
            given,
            given is None or audit_anchor.holds(session, given),
            _restores_unrecorded(session),
            tuple(grants.changed_since_recorded(session, desk.desk.id, _recorded_grants(session))),
        )
        audit.record(
            session,
            audit.AUDIT_VERIFIED,
            desk.user.id,
            outcome=audit.OK if report.intact else audit.FAILED,
        )
    return report


def _restores(session: Session) -> tuple[RestoreSeen, ...]:
    recorded = set(
        session.scalars(
            select(AuditEvent.target_id).where(AuditEvent.action == audit.BACKUP_RESTORED)
        )
    )
    return tuple(
        RestoreSeen(
            row.restored_at,
            row.restored_by,
            row.backup_name,
            row.backup_desk_code,
            row.events_missing,
            row.kept_disabled,
            row.other_desk,
            restore_digest(row) in recorded,
        )
        for row in session.scalars(select(DeskRestore).order_by(DeskRestore.id))
    )


def _recorded_grants(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(
        select(AuditEvent.id, AuditEvent.target_id)
        .where(AuditEvent.action == audit.GRANT_SIGNED)
        .order_by(AuditEvent.id)
    )
    return [(event_id, target) for event_id, target in rows if target is not None]


def _restores_unrecorded(session: Session) -> tuple[int, ...]:
    recorded = {restore_digest(row) for row in session.scalars(select(DeskRestore))}
    events = session.execute(
        select(AuditEvent.id, AuditEvent.target_id)
        .where(AuditEvent.action == audit.BACKUP_RESTORED)
        .order_by(AuditEvent.id)
    )
    return tuple(event_id for event_id, digest in events if digest not in recorded)


def restore_digest(record: DeskRestore) -> str:
    """What the audit event of a restore carries (it fits an event's target): a change to
    the record shows."""
    fields = {
        "id": record.id,
        "restored_at": record.restored_at.isoformat(timespec="seconds"),
        "restored_by": record.restored_by,
        "backup_name": record.backup_name,
        "backup_desk_code": record.backup_desk_code,
        "backup_head": record.backup_head,
        "replaced_head": record.replaced_head,
        "events_missing": record.events_missing,
        "kept_disabled": record.kept_disabled,
        "other_desk": record.other_desk,
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(canonical).hexdigest()[:36]


def _chain_events(session: Session) -> list[ChainEvent]:
    try:
        events = [
            ChainEvent(
                e.id,
                e.occurred_at,
                e.user_id,
                e.action,
                e.target_type,
                e.target_id,
                e.outcome,
                e.chain_hash,
                e.signature,
            )
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]
    except (ValueError, TypeError) as exc:  # a date that is not one, written outside Havre
        raise AuditLogDamaged() from exc
    texts = (str, type(None))
    for event in events:
        values = (event.chain_hash, event.user_id, event.target_id, event.target_type)
        if not all(isinstance(v, texts) for v in values) or not isinstance(
            event.signature, (bytes, type(None))
        ):
            raise AuditLogDamaged()
    return events


def _account_keys(desk: OpenDesk, session: Session) -> Callable[[str], set[bytes]]:
    """The keys each account's valid grants gave it (none on a desk made before grants)."""
    if desk.authority is None:
        return lambda _user_id: set()
    checked = desk.grants(session)
    known: dict[str, set[bytes]] = {}

    def keys_of(user_id: str) -> set[bytes]:
        if user_id not in known:
            known[user_id] = checked.account_keys(user_id)
        return known[user_id]

    return keys_of


def _signing_from(desk: OpenDesk, session: Session, events: list[ChainEvent]) -> int | None:
    """The event from which the desk's accounts sign theirs, by position, not time (an
    insider could move times back): its set-up, signed by its first administrator; for a
    desk made before grants, the making of its authority, signed by an administrator. Only
    an administrator's key makes either, so an insider cannot mark a later start; with
    neither, from the first event."""
    if desk.authority is None:
        return None
    checked = desk.grants(session)
    for start in (audit.DESK_CREATED, audit.AUTHORITY_MADE):
        for event in events:
            if event.action != start or event.user_id is None or event.chain_hash is None:
                continue
            admin_keys = checked.account_keys(event.user_id, Role.ADMIN.value)
            message = event.chain_hash.encode()
            if event.signature is not None and any(
                crypto.signature_valid(key, message, event.signature) for key in admin_keys
            ):
                return event.id
    return events[0].id if events else None


def _listed(events: tuple[int, ...]) -> str:
    shown = ", ".join(str(e) for e in events[:10])
    return shown + (" …" if len(events) > 10 else "")


def _recorded_head(desk: OpenDesk) -> ChainHead | None:
    head = keyfile.verify(desk.key_file_path, desk.data_key()).audit_head
    return None if head is None else ChainHead(*head)


def anchor_head(desk: OpenDesk) -> None:
    """Write the current head of the chain into the key file (at every lock)."""
    with desk.transaction() as session:
        last = session.execute(
            select(AuditEvent.id, AuditEvent.chain_hash).order_by(AuditEvent.id.desc()).limit(1)
        ).first()
    if last is None or last[1] is None:
        return
    data_key = desk.data_key()
    current = keyfile.verify(desk.key_file_path, data_key)
    if current.audit_head != (last[0], last[1]):
        keyfile.write(desk.key_file_path, replace(current, audit_head=(last[0], last[1])), data_key)


CSV_COLUMNS = ("event", "time_utc", "user", "action", "target_type", "target_id", "outcome")


def export_csv(desk: OpenDesk, target: Path, *, replace_file: bool = False) -> int:
    """The whole log as CSV for the data protection officer; the number of events."""
    with desk.guarded(AUDIT_ROLES, "audit.export") as session:
        if target.suffix.lower() != ".csv":
            raise ValidationError(_("The export must be a .csv file."), field="target")
        if target.exists() and not replace_file:
            raise TargetExists(target)
        rows = session.execute(
            select(AuditEvent, User.user_name)
            .outerjoin(User, User.id == AuditEvent.user_id)
            .order_by(AuditEvent.id)
        ).all()
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for event, user_name in rows:
            writer.writerow(
                (
                    event.id,
                    event.occurred_at.astimezone(UTC).isoformat(timespec="seconds"),
                    user_name or "",
                    event.action,
                    event.target_type or "",
                    event.target_id or "",
                    event.outcome,
                )
            )
        atomic_write(target, out.getvalue().encode())
        audit.record(session, audit.AUDIT_EXPORTED, desk.user.id)
    return len(rows)
