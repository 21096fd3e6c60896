"""Desk settings that matter for security live inside the encrypted database."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app import crypto
from app.domain import recontact
from app.domain.roles import EVERY_ROLE, Role
from app.errors import ValidationError
from app.i18n import _
from app.services import audit
from app.services.open_desk import OpenDesk
from db import repositories

IDLE_LOCK_MINUTES = "lock.idle_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 5
MIN_IDLE_LOCK_MINUTES = 2
MAX_IDLE_LOCK_MINUTES = 15

_KDF_MEMORY = "kdf.memory_kib"
_KDF_TIME = "kdf.time_cost"
_KDF_PARALLELISM = "kdf.parallelism"


BACKUP_REMINDER_DAYS = "backup.reminder_days"
DEFAULT_BACKUP_REMINDER_DAYS = 7
MIN_BACKUP_REMINDER_DAYS = 1
MAX_BACKUP_REMINDER_DAYS = 90


def idle_lock_minutes(desk: OpenDesk) -> int:
    with desk.guarded(EVERY_ROLE, "settings.read") as session:
        return _whole_number(session, IDLE_LOCK_MINUTES, DEFAULT_IDLE_LOCK_MINUTES)


def set_idle_lock_minutes(desk: OpenDesk, minutes: int) -> None:
    with desk.guarded(Role.ADMIN, "settings.idle_lock") as session:
        if not MIN_IDLE_LOCK_MINUTES <= minutes <= MAX_IDLE_LOCK_MINUTES:
            raise ValidationError(
                _("The idle lock must be between {low} and {high} minutes.").format(
                    low=MIN_IDLE_LOCK_MINUTES, high=MAX_IDLE_LOCK_MINUTES
                ),
                field="idle_lock_minutes",
            )
        _store(session, desk, IDLE_LOCK_MINUTES, minutes)


def backup_reminder_days(desk: OpenDesk) -> int:
    with desk.guarded(EVERY_ROLE, "settings.read") as session:
        return backup_reminder_days_in(session)


def backup_reminder_days_in(session: Session) -> int:
    """Inside the transaction of a service that checked its own role."""
    return _whole_number(session, BACKUP_REMINDER_DAYS, DEFAULT_BACKUP_REMINDER_DAYS)


def set_backup_reminder_days(desk: OpenDesk, days: int) -> None:
    with desk.guarded(Role.ADMIN, "settings.backup_reminder") as session:
        if not MIN_BACKUP_REMINDER_DAYS <= days <= MAX_BACKUP_REMINDER_DAYS:
            raise ValidationError(
                _("The reminder must be between {low} and {high} days.").format(
                    low=MIN_BACKUP_REMINDER_DAYS, high=MAX_BACKUP_REMINDER_DAYS
                ),
                field="reminder_days",
            )
        _store(session, desk, BACKUP_REMINDER_DAYS, days)


RECONTACT_MAX_ATTEMPTS = "recontact.max_attempts"


def recontact_max_attempts(desk: OpenDesk) -> int:
    """Failed attempts (no answer, unsafe to talk) after which a call-back is closed."""
    with desk.guarded(EVERY_ROLE, "settings.read") as session:
        return recontact_max_attempts_in(session)


def recontact_max_attempts_in(session: Session) -> int:
    """Inside the transaction of a service that checked its own role."""
    return _whole_number(session, RECONTACT_MAX_ATTEMPTS, recontact.DEFAULT_MAX_ATTEMPTS)


def set_recontact_max_attempts(desk: OpenDesk, attempts: int) -> None:
    with desk.guarded(Role.ADMIN, "settings.recontact_attempts") as session:
        _store(session, desk, RECONTACT_MAX_ATTEMPTS, recontact.validate_max_attempts(attempts))


def _whole_number(session: Session, key: str, default: int) -> int:
    value = repositories.setting(session, key)
    return int(value) if value else default


def _store(session: Session, desk: OpenDesk, key: str, value: int) -> None:
    """Save a setting the caller has checked, audited."""
    repositories.put_setting(session, key, str(value))
    audit.record(
        session, audit.SETTINGS_CHANGED, desk.user.id, target_type="setting", target_id=key
    )


def store_kdf_params(session: Session, params: crypto.KdfParams) -> None:
    """The cost calibrated on this PC at set-up, reused for every new password."""
    repositories.put_setting(session, _KDF_MEMORY, str(params.memory_kib))
    repositories.put_setting(session, _KDF_TIME, str(params.time_cost))
    repositories.put_setting(session, _KDF_PARALLELISM, str(params.parallelism))


def kdf_params(session: Session) -> crypto.KdfParams:
    memory = repositories.setting(session, _KDF_MEMORY)
    time_cost = repositories.setting(session, _KDF_TIME)
    parallelism = repositories.setting(session, _KDF_PARALLELISM)
    if memory is None or time_cost is None or parallelism is None:
        return crypto.calibrate_kdf()
    return crypto.KdfParams(int(memory), int(time_cost), int(parallelism))
