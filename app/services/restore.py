"""Putting a verified backup in place of the desk (docs/security-model.md).

A backup brings back an older audit log, older passwords and accounts disabled since, so a
restore is an administrator's act and stays visible. In order, nothing changed before the
last step:
1. the backup opens with the password of one of its accounts, is copied beside the desk
   and the copy verified (so a backup on a read-only drive restores too);
2. a backup of another desk is refused unless asked for explicitly;
3. the desk being replaced, when it still opens, is signed into by one of its
   administrators; when there is none to sign into (a lost PC, a damaged file), the
   backup's account must be one of the backup's administrators;
   the backup's authority key (the root of its role grants) must be the replaced desk's,
   or, when there is no desk to compare with or the backup is of another desk, the one
   whose fingerprint the administrator gives from the recovery sheet: anyone with the
   data key could give a backup an authority of their own, and with it any role;
4. the copy is made to carry what the replaced desk knew: accounts disabled there are
   disabled in it and their keys removed, roles taken away there are taken away in it (a
   grant signed by the restoring administrator), and the restore is recorded in its audit
   log with how many events of the replaced desk it does not hold;
5. the replaced desk is set aside (renamed, never deleted), the copy renamed into place.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app import clock, crypto, file_ops, files, keyfile
from app.desk_places import check_desk_folder
from app.domain.roles import Role
from app.errors import (
    AccessDenied,
    DatabaseMissing,
    EncryptionProfileError,
    FileBusy,
    GrantsDamaged,
    HavreError,
    KeyFileError,
    NotAHavreDatabase,
    StorageError,
    ValidationError,
    WrongCredentials,
)
from app.i18n import _, ngettext
from app.instance_lock import DeskLock
from app.services import audit, audit_log, auth, grants
from app.services.backup import BackupDamaged, verify_with_key
from app.services.database import open_desk_database, upgrade_copies
from app.services.desk import companion_files
from app.services.grants import Grants
from db import engine as db_engine
from db import repositories
from db.models import AuditEvent, DeskRestore

log = logging.getLogger(__name__)

RESTORE_ROLES = (Role.ADMIN,)
# SQLite's journal while the restore is recorded in the copy, and some room left after it.
ROOM_TO_SPARE = 64 * 1024 * 1024


class BackupAuthorityRefused(HavreError):
    def __init__(self, backup: Path, reason: str) -> None:
        super().__init__(
            _("{path} was not restored: {reason} Nothing was changed.").format(
                path=backup.name, reason=reason
            )
        )


class OtherDeskBackup(HavreError):
    def __init__(self, backup: Path) -> None:
        super().__init__(
            _(
                "{path} is a backup of another desk. Nothing was changed. To put another desk "
                "in place of this one, an administrator of this desk must ask for it "
                "explicitly (--other-desk) and confirm."
            ).format(path=backup.name)
        )


@dataclass(frozen=True)
class Restored:
    set_aside: Path | None  # where the replaced desk is kept; None if there was none
    events_missing: int | None  # of the replaced desk's audit log; None if it did not open
    kept_disabled: int  # accounts disabled on the replaced desk, disabled in the backup too
    roles_reduced: int = 0  # accounts given back only the roles the replaced desk left them


@dataclass(frozen=True)
class _Replaced:
    """What the desk being replaced knew, read by one of its administrators."""

    disabled: frozenset[str]
    events: frozenset[tuple[int, str | None]]
    roles: dict[str, frozenset[str]]  # of its active accounts, as their grants give them
    signer: tuple[str, bytes] | None  # the restoring administrator's id and account key
    authority: bytes | None


@dataclass(frozen=True)
class _Backup:
    key_file: keyfile.KeyFile
    slot_id: str
    data_key: bytes
    account_key: bytes | None  # what the slot holds, to match against its grant


def restore(
    backup: Path,
    database: Path,
    user_name: str,
    password: str,
    *,
    backup_user: str | None = None,
    backup_password: str | None = None,
    other_desk: bool = False,
    authority_fingerprint: str | None = None,
) -> Restored:
    """Put the verified `backup` in place of `database`, as the administrator `user_name`
    of that desk; the backup opens with `backup_user` and `backup_password` (the same
    account and password unless given). `authority_fingerprint`, from the recovery sheet
    of the backup's desk, is needed when there is no desk to compare the backup with, or
    the backup is of another desk. Nothing changes if any check fails."""
    if not backup.is_file():
        raise DatabaseMissing(backup)
    if backup.resolve() == database.resolve():
        raise ValidationError(_("The backup is the desk itself."), field="from")
    opened = _open_backup(backup, backup_user or user_name, backup_password or password)
    replaced_id = _desk_id(database)
    if replaced_id is not None and replaced_id != opened.key_file.desk_id and not other_desk:
        raise OtherDeskBackup(backup)
    check_desk_folder(database)
    _check_room(backup, database.parent)
    incoming = database.with_name(f".{database.name}.restoring")
    # An earlier attempt's leftovers, or names someone else made: the copy is made new.
    file_ops.discard(incoming, *companion_files(incoming))
    for leftover in (incoming, keyfile.path_for(incoming)):
        if os.path.lexists(leftover):
            raise FileBusy(leftover)  # still held: the copy cannot be made new
    try:
        try:
            files.copy_to_new_file(backup, incoming)
            files.copy_to_new_file(keyfile.path_for(backup), keyfile.path_for(incoming))
        except OSError as exc:
            raise StorageError(database.parent, exc.strerror or str(exc)) from exc
        # The copy is what is checked, as it landed: the backup itself may sit on a
        # read-only drive, where SQLite cannot open it to check it.
        verify_with_key(incoming, opened.data_key)
        if other_desk or not database.exists():  # checked before signing in anywhere
            _check_authority(backup, opened, None, other_desk, authority_fingerprint)
        replaced = _sign_in(database, user_name, password)
        _check_authority(backup, opened, replaced, other_desk, authority_fingerprint)
        if replaced is None:
            if not _is_admin(incoming, opened):
                raise AccessDenied()
            if not other_desk:
                # The desk no longer opens, but the same desk's data key may still read it:
                # what it knew of disabled accounts and roles is carried over all the same.
                replaced = _read_unopened(database, opened)
        with DeskLock(database):
            missing, kept, reduced = _carry_over(
                incoming, opened, replaced, user_name, backup, other_desk
            )
            verify_with_key(incoming, opened.data_key)
            set_aside = _swap_in(incoming, database)
    finally:
        file_ops.discard(incoming, *companion_files(incoming), *upgrade_copies(incoming))
    return Restored(set_aside, missing, kept, reduced)


def summary(done: Restored) -> str:
    """For people: what the restore left out, and what it carried over."""
    if done.events_missing is None:
        parts = [
            _(
                "There was no desk to replace, or it did not open: what its audit log held "
                "after this backup is unknown."
            )
        ]
    else:
        parts = [
            ngettext(
                "{count} event of the replaced desk's audit log is not in the backup.",
                "{count} events of the replaced desk's audit log are not in the backup.",
                done.events_missing,
            ).format(count=done.events_missing)
        ]
    if done.roles_reduced:
        parts.append(
            ngettext(
                "{count} account keeps only the roles the replaced desk left it.",
                "{count} accounts keep only the roles the replaced desk left them.",
                done.roles_reduced,
            ).format(count=done.roles_reduced)
        )
    if done.kept_disabled:
        parts.append(
            ngettext(
                "{count} account disabled on the replaced desk stays disabled.",
                "{count} accounts disabled on the replaced desk stay disabled.",
                done.kept_disabled,
            ).format(count=done.kept_disabled)
        )
    parts.append(_("The restore is recorded in the audit log."))
    return " ".join(parts)


def _check_authority(
    backup: Path,
    opened: _Backup,
    replaced: _Replaced | None,
    other_desk: bool,
    fingerprint: str | None,
) -> None:
    authority = opened.key_file.authority
    if authority is None:
        if any(slot.authority is not None for slot in opened.key_file.slots):
            raise BackupAuthorityRefused(
                backup,
                _(
                    "its key file names no authority key, though its accounts were made with "
                    "one, so it was changed outside Havre."
                ),
            )
        return  # a backup of a desk made before grants: its roles are its rows
    if replaced is not None and replaced.authority is not None and not other_desk:
        if replaced.authority != authority:
            raise BackupAuthorityRefused(
                backup,
                _(
                    "it names another authority key than this desk's, so it was changed "
                    "outside Havre."
                ),
            )
        return
    if fingerprint is None:
        raise BackupAuthorityRefused(
            backup,
            _(
                "there is no desk here to compare it with, or it is a backup of another desk. "
                "Give the authority fingerprint printed on that desk's recovery sheet "
                "(--authority)."
            ),
        )
    if "".join(fingerprint.split()).upper() != "".join(crypto.fingerprint(authority).split()):
        raise BackupAuthorityRefused(
            backup,
            _(
                "its authority key has the fingerprint {found}, not the one given ({given}). "
                "Check the recovery sheet; a backup whose authority differs was changed "
                "outside Havre."
            ).format(found=crypto.fingerprint(authority), given=fingerprint.strip()),
        )


def _open_backup(backup: Path, user_name: str, password: str) -> _Backup:
    try:
        key_file = keyfile.read(keyfile.path_for(backup))
    except HavreError:
        raise BackupDamaged(backup, _("its key file is missing or damaged")) from None
    slot = key_file.user_slot(user_name)
    try:
        if slot is None:
            raise crypto.UnwrapError
        keys = keyfile.open_slot(key_file, slot, password)
    except (crypto.UnwrapError, keyfile.SealedKeyDamaged):
        raise WrongCredentials() from None
    if slot.authority is not None and slot.authority != key_file.authority:
        raise BackupDamaged(
            backup, _("its key file names another authority key than its accounts were made with")
        )
    return _Backup(key_file, slot.id, keys.data_key, keys.account_key)


def _check_room(backup: Path, folder: Path) -> None:
    """The copy lands beside the desk before anything else: refuse now, not half-way."""
    needed = backup.stat().st_size + keyfile.MAX_BYTES + ROOM_TO_SPARE
    if shutil.disk_usage(folder).free < needed:
        raise StorageError(
            folder,
            _("not enough free space for the backup ({size} MB are needed)").format(
                size=needed // 1_000_000 + 1
            ),
        )


def _desk_id(database: Path) -> str | None:
    """The desk its key file names, if it can be read (the sign-in checks it fully)."""
    try:
        return keyfile.read(keyfile.path_for(database)).desk_id
    except HavreError:
        return None


def _sign_in(database: Path, user_name: str, password: str) -> _Replaced | None:
    """Sign in to the desk being replaced as one of its administrators and read what must
    survive the restore; None when there is no desk, or it no longer opens."""
    if not database.exists():
        return None
    try:
        desk = auth.unlock(database, user_name, password)
    except (KeyFileError, NotAHavreDatabase, EncryptionProfileError, GrantsDamaged):
        log.warning("restore: the desk being replaced does not open")
        return None
    try:
        with desk.guarded(RESTORE_ROLES, "backup.restore") as session:
            users = repositories.all_users(session)
            disabled = frozenset(u.id for u in users if not u.active)
            roles = {u.id: frozenset(desk.roles_of(session, u.id)) for u in users if u.active}
            signer = (desk.user.id, desk.account_key()) if desk.holds_account_key else None
            return _Replaced(disabled, _events(session), roles, signer, desk.authority)
    finally:
        desk.close()  # not locked: a lock event would be missing from the count


def _read_unopened(database: Path, opened: _Backup) -> _Replaced | None:
    """What a desk that no longer opens (its key file spoiled, say) still tells with the
    backup's data key, its authority confirmed by the recovery sheet: its disabled
    accounts, the roles its grants give, its events. None when even that fails."""
    authority = opened.key_file.authority
    try:
        engine = db_engine.open_database(database, bytearray(opened.data_key))
    except db_engine.DatabaseUnavailableError as exc:
        raise FileBusy(database) from exc  # held: what it knew must not be taken as nothing
    except (db_engine.DatabaseKeyError, db_engine.CipherProfileError, SQLAlchemyError, OSError):
        # Another key (rotated since the backup), another format: nothing to read.
        log.warning("restore: the desk being replaced cannot be read either")
        return None
    try:
        with Session(engine) as session:
            desk_row = repositories.the_desk(session)
            if desk_row is None or desk_row.id != opened.key_file.desk_id:
                return None
            users = repositories.all_users(session)
            checked = (
                None
                if authority is None
                else Grants(session, opened.key_file.desk_id, authority, skip_damaged=True)
            )
            roles = {}
            for user in users:
                verified = None if checked is None else checked.verified(user.id)
                if user.active:
                    roles[user.id] = frozenset() if verified is None else verified.roles
            disabled = frozenset(u.id for u in users if not u.active)
            return _Replaced(disabled, _events(session), roles, None, authority)
    except (SQLAlchemyError, HavreError):
        log.warning("restore: the desk being replaced cannot be read either")
        return None
    finally:
        db_engine.close_database(engine)


def _events(session: Session) -> frozenset[tuple[int, str | None]]:
    rows = session.execute(select(AuditEvent.id, AuditEvent.chain_hash))
    return frozenset((event_id, chain_hash) for event_id, chain_hash in rows)


def _is_admin(incoming: Path, opened: _Backup) -> bool:
    """Whether the backup's account is an administrator as the backup's signed grants say
    (app/services/grants.py): a role row anyone with the data key could have written into
    a backup counts for nothing."""
    engine = open_desk_database(incoming, opened.data_key)
    try:
        with Session(engine) as session:
            if opened.key_file.authority is None:  # a backup of a desk made before grants
                return Role.ADMIN.value in repositories.roles_of(session, opened.slot_id)
            return _backup_admin_key(session, opened) is not None
    finally:
        db_engine.close_database(engine)


def _backup_admin_key(session: Session, opened: _Backup) -> bytes | None:
    """The account key of the backup's account if its grant in the backup makes it an
    administrator and names the key its slot holds; None otherwise."""
    authority = opened.key_file.authority
    if authority is None or opened.account_key is None:
        return None
    verified = Grants(session, opened.key_file.desk_id, authority).verified(opened.slot_id)
    held = crypto.signing_public(opened.account_key)
    if verified is None or Role.ADMIN.value not in verified.roles or verified.account_key != held:
        return None
    return opened.account_key


def _carry_over(
    incoming: Path,
    opened: _Backup,
    replaced: _Replaced | None,
    user_name: str,
    backup: Path,
    other_desk: bool,
) -> tuple[int | None, int, int]:
    """Disable in the copy the accounts disabled on the replaced desk, take away the roles
    it took away, and record the restore in its audit log; returns (events missing,
    accounts kept disabled, accounts whose roles were reduced)."""
    engine = open_desk_database(incoming, opened.data_key)
    try:
        with Session(engine) as session, session.begin():
            # What the restore records is signed by an administrator's key valid in the
            # backup, as any event of a signed-in account is (app/services/audit.py).
            signer = _restore_signer(session, opened, replaced)
            if signer is not None:
                session.info[audit.SIGNER] = signer
            missing = None if replaced is None else len(replaced.events - _events(session))
            users = repositories.all_users(session)
            kept = [
                user
                for user in users
                if replaced is not None and user.id in replaced.disabled and user.active
            ]
            for user in kept:
                user.active = False
            kept_ids = [user.id for user in kept]
            reduced = (
                []
                if replaced is None or other_desk or signer is None
                else _carry_roles(session, opened, replaced, signer)
            )
            desk_row = repositories.the_desk(session)
            record = DeskRestore(
                restored_at=clock.now(),
                restored_by=user_name[:64],
                backup_name=backup.name[:255],
                backup_desk_code=desk_row.code if desk_row else "",
                backup_head=repositories.last_audit_event_id(session),
                replaced_head=None
                if replaced is None
                else max((i for i, _h in replaced.events), default=0),
                events_missing=missing,
                kept_disabled=len(kept),
                other_desk=other_desk,
            )
            session.add(record)
            session.flush()
            audit.record(
                session,
                audit.BACKUP_RESTORED,
                None if signer is None else signer[0],
                target_type="restore",
                target_id=audit_log.restore_digest(record),
            )
    finally:
        db_engine.close_database(engine)
    if kept_ids or reduced:
        key_path = keyfile.path_for(incoming)
        key_file = keyfile.verify(key_path, opened.data_key)
        for user_id in kept_ids:
            key_file = key_file.without_slot(user_id)
        for user_id, counsellor in reduced:
            slot = key_file.slot_by_id(user_id)
            if slot is not None and not counsellor:  # the notes key goes with the role
                key_file = key_file.with_slot(
                    keyfile.with_notes_key(key_file.desk_id, slot, None, None)
                )
        keyfile.write(key_path, key_file, opened.data_key)
    return missing, len(kept_ids), len(reduced)


def _restore_signer(
    session: Session, opened: _Backup, replaced: _Replaced | None
) -> tuple[str, bytes] | None:
    """An administrator's id and account key valid in the backup: the backup's account's,
    else the restoring administrator's (if that key changed since the backup, what it signs
    is not valid there: grants give no role, events show as rewritten)."""
    own = _backup_admin_key(session, opened)
    if own is not None:
        return opened.slot_id, own
    return None if replaced is None else replaced.signer


def _carry_roles(
    session: Session, opened: _Backup, replaced: _Replaced, signer: tuple[str, bytes]
) -> list[tuple[str, bool]]:
    """Grant, in the copy, each account the backup makes more of than the replaced desk did
    only the roles both give it (none to an account disabled, or one the replaced desk
    does not list: accounts are never deleted, so it was renamed there to escape this).
    The grant names the key of the account's latest valid grant, so deleting a newer row
    of the backup, valid or not, brings nothing back; it is signed by `signer` (a grant
    that is not valid gives the account no role at all until an administrator grants one:
    never more than it had). Returns (account, still a counsellor) for each active
    account reduced."""
    authority = opened.key_file.authority
    if authority is None:
        return []
    checked = Grants(session, opened.key_file.desk_id, authority)
    reduced = []
    for user in repositories.all_users(session):
        latest_grant = checked.latest_valid(user.id)
        if latest_grant is None:
            continue  # no valid grant: no role to bring back
        latest = latest_grant.account_key
        verified = checked.verified(user.id)
        held = frozenset() if verified is None else verified.roles
        now_held = replaced.roles.get(user.id, frozenset()) if user.active else frozenset()
        if verified is not None and held <= now_held:
            continue
        kept = held & now_held
        repositories.replace_roles(session, user.id, set(kept))
        grants.record(
            session,
            opened.key_file.desk_id,
            user.id,
            latest,
            kept,
            granted_by=signer[0],
            signing_key=signer[1],
        )
        if user.active:
            reduced.append((user.id, Role.COUNSELLOR.value in kept))
    return reduced


def _swap_in(incoming: Path, database: Path) -> Path | None:
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    set_aside = database.with_name(f"{database.name}.before-restore-{stamp}")
    kept = database.exists()
    moves = []
    if kept:
        sources = (database, *companion_files(database))
        moves = [
            (source, moved)
            for source, moved in zip(sources, (set_aside, *companion_files(set_aside)), strict=True)
            if source.exists()
        ]
    moves += [(incoming, database), (keyfile.path_for(incoming), keyfile.path_for(database))]
    # All or none: a rename that fails puts the replaced desk back where it was.
    file_ops.replace_together(moves)
    return set_aside if kept else None
