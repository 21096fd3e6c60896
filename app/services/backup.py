"""Backup and restore (docs/security-model.md): a backup is itself a Havre desk, the database
encrypted with the same data key plus a copy of its key file, so it opens with the same
passwords and the same recovery key. Nothing is trusted before it is checked: a backup is
verified when it is made, and again before a restore replaces anything.

- backup: `sqlcipher_export` into a new encrypted file beside the target, key file copied,
  both verified (the key file's MAC, SQLCipher's page check, SQLite's integrity check, the
  desk's identity), then renamed into place;
- restore: app/services/restore.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app import clock, file_ops, keyfile
from app.domain.roles import Role
from app.errors import (
    DatabaseTooNew,
    FileBusy,
    HavreError,
    KeyFileTampered,
    StorageError,
    TargetExists,
    ValidationError,
)
from app.files import check_writable_folder, copy_to_new_file, create_empty_file
from app.i18n import _
from app.progress import Progress
from app.services import audit, desk_settings
from app.services.open_desk import OpenDesk
from db import engine as db_engine
from db import migrate, repositories

BACKUP_ROLES = (Role.ADMIN,)
SUFFIX = ".havre"
LAST_BACKUP = "backup.last_at"


class BackupDamaged(HavreError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            _(
                "{path} is not a sound backup ({reason}). Nothing was changed; use another backup."
            ).format(path=path.name, reason=reason)
        )
        self.reason = reason


@dataclass(frozen=True)
class BackupMade:
    database: Path
    key_file: Path
    bytes: int


def default_name(desk: OpenDesk, day: date) -> str:
    return name_for(desk.desk.code, day)


def name_for(desk_code: str, day: date) -> str:
    """The name a backup made on `day` of the desk `desk_code` is given: CODE-backup-DATE.havre."""
    return f"{desk_code}-backup-{day.isoformat()}{SUFFIX}"


def make_backup(
    desk: OpenDesk, target: Path, *, replace: bool = False, progress: Progress | None = None
) -> BackupMade:
    """Write a verified backup of the open desk to `target` (a .havre file name). Each step
    is one long call that cannot be interrupted: it shows progress, without Cancel."""
    # The copy is read on a connection of its own, while this transaction holds the write
    # lock: the role is checked, the desk copied and the backup recorded as one.
    with desk.guarded(BACKUP_ROLES, "backup.make") as session:
        progress = progress or Progress()
        if target.suffix != SUFFIX:
            raise ValidationError(
                _("A backup must end in {suffix}.").format(suffix=SUFFIX), field="target"
            )
        if target.resolve() == desk.database.resolve():
            raise ValidationError(_("A backup cannot replace the desk itself."), field="target")
        key_target = keyfile.path_for(target)
        for path in (target, key_target):
            if path.exists() and not replace:
                raise TargetExists(path)
        check_writable_folder(target.parent)
        partial = target.with_name(f".{target.name}.partial")
        partial_keys = keyfile.path_for(partial)
        file_ops.discard(partial, partial_keys)  # an earlier attempt's
        data_key = desk.data_key()
        try:
            progress.phase(_("Copying the desk into the backup…"), total=2)
            # Made new here, for SQLite to fill: a link put at its name since the clean-up
            # above is refused, not written through.
            create_empty_file(partial)
            with desk.driver_connection() as raw:
                db_engine.export_copy(raw, partial, data_key)
            copy_to_new_file(desk.key_file_path, partial_keys)
            progress.phase(_("Checking the backup…"), total=2)
            progress.step(1, 2)
            verify_with_key(partial, data_key)
            progress.step(2, 2)
            file_ops.replace_together(((partial, target), (partial_keys, key_target)))
        except OSError as exc:
            raise StorageError(target.parent, exc.strerror or str(exc)) from exc
        finally:
            file_ops.discard(partial, partial_keys)
        repositories.put_setting(session, LAST_BACKUP, clock.now().isoformat())
        audit.record(session, audit.BACKUP_MADE, desk.user.id, target_type="file")
    return BackupMade(target, key_target, target.stat().st_size)


def verify_with_key(database: Path, data_key: bytes) -> None:
    """The backup at `database` opens with `data_key` and passes every check."""
    try:
        key_file = keyfile.verify(keyfile.path_for(database), data_key)
    except KeyFileTampered:
        raise BackupDamaged(database, _("its key file does not match")) from None
    try:
        engine = db_engine.open_database(database, data_key)
    except (db_engine.DatabaseKeyError, db_engine.CipherProfileError):
        raise BackupDamaged(database, _("it does not open with its key")) from None
    except db_engine.DatabaseUnavailableError as exc:
        raise FileBusy(database) from exc
    try:
        _check_integrity(database, engine, key_file.desk_id)
    finally:
        db_engine.close_database(engine)


def _check_integrity(database: Path, engine: Engine, desk_id: str) -> None:
    try:
        _run_checks(database, engine, desk_id)
    except DBAPIError:  # a page so damaged that SQLite stops reading
        raise BackupDamaged(database, _("damaged database structure")) from None


def _run_checks(database: Path, engine: Engine, desk_id: str) -> None:
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA cipher_integrity_check").all()
        if pages:
            raise BackupDamaged(database, _("damaged encrypted pages"))
        result = connection.exec_driver_sql("PRAGMA integrity_check").all()
        if [tuple(row) for row in result] != [("ok",)]:
            raise BackupDamaged(database, _("damaged database structure"))
        found = connection.exec_driver_sql("SELECT id FROM desk").scalar()
        if found != desk_id:
            raise BackupDamaged(database, _("its key file belongs to another desk"))
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    # A backup from a newer Havre must not replace a desk this Havre could then not open.
    if revision not in migrate.known_revisions():
        raise DatabaseTooNew(database)


def days_since_backup(desk: OpenDesk, now: datetime | None = None) -> int | None:
    """Days since the last backup; None when there never was one."""
    with desk.guarded(BACKUP_ROLES, "backup.reminder") as session:
        return _days_since(session, now)


def backup_overdue(desk: OpenDesk, now: datetime | None = None) -> bool:
    with desk.guarded(BACKUP_ROLES, "backup.reminder") as session:
        days = _days_since(session, now)
        return days is None or days > desk_settings.backup_reminder_days_in(session)


def _days_since(session: Session, now: datetime | None) -> int | None:
    last = repositories.setting(session, LAST_BACKUP)
    if last is None:
        return None
    return ((now or clock.now()) - datetime.fromisoformat(last)).days
