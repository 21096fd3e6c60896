"""Audit events: who did what, when, with what outcome. Ids and codes only, never case data.

Each event is chained to the one before it (db/audit_chain.py); the database refuses any
change or deletion of a chained event (triggers of migration 0009). An event recorded by a
signed-in account is signed with its account key over its chain hash, so that rewriting
it, or any event before it, shows to `audit verify` (app/services/audit_log.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app import clock, crypto
from app.errors import AuditLogDamaged
from db import repositories
from db.audit_chain import GENESIS, event_hash
from db.models import AuditEvent

LOGIN = "auth.login"
LOGIN_FAILED = "auth.login_failed"
LOCK = "auth.lock"
DESK_CREATED = "desk.create"
ACCOUNT_CREATED = "account.create"
ACCOUNT_ROLES = "account.roles"
ACCOUNT_DISABLED = "account.disable"
ACCOUNT_ENABLED = "account.enable"
PASSWORD_CHANGED = "account.password_change"
PASSWORD_RESET = "account.password_reset"
SETTINGS_CHANGED = "settings.change"
ACCESS_DENIED = "access.denied"
INTAKE_RECORDED = "case.intake"
CASE_VIEWED = "case.view"
DUPLICATE_SHOWN = "case.duplicate_shown"
CASE_EDITED = "case.edit"
CONSENT_RECORDED = "consent.record"
CONSENT_WITHDRAWN = "consent.withdraw"
SESSION_RECORDED = "session.record"
NOTES_READ = "session.notes_read"
NOTES_ACCESS_GIVEN = "account.notes_access"
REFERRAL_RECORDED = "referral.record"
REFERRAL_OVERRIDE = "referral.consent_override"
REFERRAL_STATUS = "referral.status"
DIRECTORY_EDITED = "directory.edit"
DIRECTORY_VERIFIED = "directory.verify"
DIRECTORY_PACK_EXPORTED = "directory.pack_export"
DIRECTORY_PACK_IMPORTED = "directory.pack_import"
KEY_TRUSTED = "key.trust"
BROCHURE_REVIEWED = "brochure.review"
HANDOUT_RECORDED = "print.handout"
ACTIVITY_RECORDED = "activity.record"
ACTIVITY_EDITED = "activity.edit"
ACTIVITY_DELETED = "activity.delete"
ACTIVITY_LIST_EDITED = "activity.list_edit"
ACTIVITY_LIST_RETIRED = "activity.list_retire"
ACTIVITY_LIST_RESTORED = "activity.list_restore"
HOUSING_EDITED = "housing.edit"
COUNTS_VIEWED = "counts.view"
COUNTS_EXPORTED = "counts.export"
COUNTS_IMPORTED = "counts.import"
COUNTS_REFUSED = "counts.import_refused"
COUNTS_PUBLISHED = "counts.publish"
RECIPIENT_SET = "key.recipient"
AUDIT_VIEWED = "audit.view"
AUDIT_VERIFIED = "audit.verify"
AUDIT_EXPORTED = "audit.export"
AUDIT_ANCHORED = "audit.anchor"
RECONTACT_VIEWED = "recontact.list"
RECONTACT_PLANNED = "recontact.plan"
RECONTACT_ATTEMPT = "recontact.attempt"
RECONTACT_CLOSED = "recontact.close"
APPOINTMENTS_VIEWED = "appointment.list"
APPOINTMENT_RECORDED = "appointment.record"
APPOINTMENT_CANCELLED = "appointment.cancel"
PROTOCOL_EDITED = "protocol.edit"
PROTOCOLS_USED = "protocol.use"
REFERENT_EDITED = "referent.edit"
PARTNERSHIP_EDITED = "partnership.edit"
ATTENDANCE_EDITED = "activity.attendance"
BACKUP_MADE = "backup.make"
BACKUP_RESTORED = "backup.restore"
RETENTION_PURGED = "retention.purge"
IDENTITY_FORGOTTEN = "retention.forget_identity"
KEY_ROTATED = "key.rotate"
AUTHORITY_MADE = "account.authority"
GRANT_SIGNED = "account.grant"
NOTES_KEY_REFUSED = "account.notes_key_refused"

# Where a signed-in desk's transaction keeps (user id, account key) for `record` to sign.
SIGNER = "havre.signer"

OK = "ok"
DENIED = "denied"
FAILED = "failed"


def record(
    session: Session,
    action: str,
    user_id: str | None,
    *,
    target_type: str | None = None,
    target_id: str | None = None,
    outcome: str = OK,
    at: datetime | None = None,
) -> None:
    occurred_at = at or clock.now()
    previous = repositories.last_audit_hash(session) or GENESIS
    if not isinstance(previous, str):
        raise AuditLogDamaged()  # a head of another type, written outside Havre
    chain_hash = event_hash(previous, occurred_at, user_id, action, target_type, target_id, outcome)
    repositories.add_audit_event(
        session,
        AuditEvent(
            occurred_at=occurred_at,
            user_id=user_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            outcome=outcome,
            chain_hash=chain_hash,
            signature=_signature(session, user_id, chain_hash),
        ),
    )


def _signature(session: Session, user_id: str | None, chain_hash: str) -> bytes | None:
    """The signed-in account's signature over the event's chain hash, for its own events
    (the transaction of a signed-in desk carries its account key: app/services/open_desk)."""
    signer = session.info.get(SIGNER)
    if user_id is None or signer is None or signer[0] != user_id:
        return None
    return crypto.sign(signer[1], chain_hash.encode())
