"""Rotating the data key (docs/security-model.md), after a suspected compromise or a
departure: the whole database is re-encrypted under a new random key, and every active
account and the recovery key receive the new key without anyone typing their password.

That works because each slot has an X25519 public key (app/keyfile.py): the new data key is
sealed to it, and only the slot's password opens the private half. Slots of disabled
accounts are dropped. Order, each step checked before the next:
1. the admin's password is checked and a verified backup is made with the old key;
2. the database is exported under the new key beside the desk, with the new key file; in
   that copy the desk's signing key is replaced (the old one signs the key-change
   statement, then is wiped) and the rotation audited; then both files are verified (the
   key file's MAC, SQLCipher's page check, SQLite's integrity check);
3. the desk is closed and the pair swapped in (app/rotation_swap.py).
What the rotation records is in the copy before the swap: whatever stops the swap halfway
(a key file held by another program, a crash), the database that is swapped in already
says it was re-keyed, and the next sign-in puts its key file beside it.

Whoever copied the old data key could also have copied the signing key: the desks and the
network that trust this desk follow the change through its public key file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from app import clock, crypto, files, keyfile, rotation_swap
from app.domain.roles import Role
from app.errors import KeyFileTampered, StorageError
from app.i18n import _
from app.progress import Progress
from app.services import audit, auth, backup, keys
from app.services.open_desk import OpenDesk
from db import engine as db_engine
from db import repositories

ROTATION_ROLES = (Role.ADMIN,)


@dataclass(frozen=True)
class RotationDone:
    backup: backup.BackupMade
    accounts: int  # active accounts given the new key
    dropped: int  # slots of disabled accounts removed
    # Active accounts whose slot's public key their granted account key did not sign: the
    # new key is not sealed to a key someone may have put there; their password is reset.
    unconfirmed: int = 0


def rotate(
    database: Path,
    user_name: str,
    password: str,
    backup_target: Path,
    progress: Progress | None = None,
) -> RotationDone:
    """Rotate the data key of the desk at `database` as the admin `user_name`; the backup
    goes to `backup_target`, a .havre file or a folder. It shows progress but cannot be
    cancelled: once begun, stopping halfway would leave more to clean up than finishing."""
    progress = progress or Progress()
    desk = auth.unlock(database, user_name, password)
    try:
        # No transaction spans the rotation (the desk is closed halfway): the role is
        # checked before the backup is written, and again as the staging reads what it
        # re-seals. A refusal is recorded as a refused rotation.
        with desk.guarded(ROTATION_ROLES, "key.rotate"):
            pass
        if backup_target.is_dir():
            backup_target = backup_target / backup_name(desk.desk.code, clock.today())
        made = backup.make_backup(desk, backup_target, progress=progress)
        new_key = crypto.KeyHolder(crypto.new_data_key())
        # The rotation is the administrator's act: its event is signed with their account
        # key.
        signer = bytearray(desk.account_key()) if desk.holds_account_key else None
        try:
            progress.phase(_("Re-encrypting the desk under the new key…"), total=3)
            progress.step(1, 3)  # the backup is made
            accounts, dropped, unconfirmed = _stage(desk, new_key, signer)
        except BaseException as exc:
            rotation_swap.clear_staged(database)
            if isinstance(exc, OSError):
                raise StorageError(database.parent, exc.strerror or str(exc)) from exc
            raise
        finally:
            new_key.wipe()  # the swap needs no key
            if signer is not None:
                crypto.wipe(signer)
    finally:
        desk.close()
    try:
        progress.phase(_("Putting the re-encrypted desk in place…"), total=3)
        progress.step(2, 3)
        rotation_swap.swap_in(database)
    except OSError as exc:
        raise StorageError(database.parent, exc.strerror or str(exc)) from exc
    progress.step(3, 3)
    return RotationDone(made, accounts, dropped, unconfirmed)


def backup_name(desk_code: str, day: date) -> str:
    return f"{desk_code}-before-key-rotation-{day.isoformat()}{backup.SUFFIX}"


def _stage(
    desk: OpenDesk, new_key: crypto.KeyHolder, signer: bytearray | None
) -> tuple[int, int, int]:
    """Write the database re-encrypted under `new_key` and its key file, record the
    rotation in it (signed with `signer`, the administrator's account key), and verify
    both."""
    staged = rotation_swap.staged_database(desk.database)
    rotation_swap.clear_staged(desk.database)  # no leftover, nor a name someone else made
    key_file = keyfile.verify(desk.key_file_path, desk.data_key())
    with desk.guarded(ROTATION_ROLES, "key.rotate") as session:
        active = {user.id for user in repositories.all_users(session) if user.active}
        confirmed = _confirmed_slots(desk, session, key_file)
    kept = [
        s for s in key_file.slots if s.id in confirmed and (s.kind == "recovery" or s.id in active)
    ]
    unconfirmed = len([s for s in key_file.slots if s.id in active and s.id not in confirmed])
    key = bytes(new_key)
    rotated = replace(
        key_file,
        slots=tuple(keyfile.with_rotated_data_key(key_file.desk_id, s, key) for s in kept),
    )
    files.create_empty_file(staged)  # made new, for SQLite to fill: never through a link
    with desk.driver_connection() as raw:
        db_engine.export_copy(raw, staged, new_key)
    keyfile.write(rotation_swap.staged_key_file(desk.database), rotated, key)
    _record(staged, new_key, desk.user.id, None if signer is None else bytes(signer))
    backup.verify_with_key(staged, key)
    accounts = len(kept) - (1 if key_file.recovery_slot() else 0)
    return accounts, len(key_file.slots) - len(kept) - unconfirmed, unconfirmed


def _confirmed_slots(desk: OpenDesk, session: Session, key_file: keyfile.KeyFile) -> set[str]:
    """The slots the new key may be sealed to: those whose public key is signed by the
    account key their grant names (the authority, for the recovery slot). Every slot, on a
    desk made before grants. A recovery slot that fails is a key file altered outside
    Havre, and so is one removed: the rotation stops before anything changes."""
    if desk.authority is None:
        return {s.id for s in key_file.slots}
    if key_file.recovery_slot() is None:
        raise KeyFileTampered(desk.key_file_path)  # the recovery slot was removed
    checked = desk.grants(session)
    confirmed = set()
    for slot in key_file.slots:
        if slot.kind == "recovery":
            if not keyfile.vouched(key_file.desk_id, slot, desk.authority):
                raise KeyFileTampered(desk.key_file_path)
            confirmed.add(slot.id)
            continue
        verified = checked.verified(slot.id)
        if (
            verified is not None
            and verified.roles  # a disabled account's latest grant gives none
            and keyfile.vouched(key_file.desk_id, slot, verified.account_key)
        ):
            confirmed.add(slot.id)
    return confirmed


def _record(
    staged: Path, new_key: crypto.KeyHolder, user_id: str, account_key: bytes | None
) -> None:
    """In the re-encrypted copy: the desk's signing key replaced, the rotation audited."""
    engine = db_engine.open_database(staged, new_key)
    signer = {} if account_key is None else {audit.SIGNER: (user_id, account_key)}
    try:
        with Session(engine, info=signer) as session, session.begin():
            keys.replace_signing_key(session)
            audit.record(session, audit.KEY_ROTATED, user_id, target_type="desk")
    finally:
        db_engine.close_database(engine)
