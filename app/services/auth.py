"""Unlocking and locking a desk.

Unlock: the key file gives the signed-in user's wrapped copy of the data key; unwrapping it
with the password is the password check. Then the key file's MAC is verified, the database
is checked and migrated, and the account must be active. Failures are throttled with a
delay that grows after three attempts and survives restarts.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from app import clock, crypto, desk_places, keyfile, machine_facts, rotation_swap
from app.desk_places import check_desk_folder
from app.domain.roles import Role
from app.errors import (
    AccountDisabled,
    AuthorityChanged,
    DatabaseMissing,
    DeskNotReachable,
    HavreError,
    KeyFileMismatch,
    KeyFileTampered,
    NotAHavreDatabase,
    TooManyAttempts,
    WrongCredentials,
)
from app.services import audit, audit_log, authority, dto, grants
from app.services.attempts import AttemptLog, FailedAttempt
from app.services.database import open_desk_database
from app.services.open_desk import OpenDesk
from db import engine as db_engine
from db import repositories

log = logging.getLogger(__name__)


def unlock(database: Path, user_name: str, password: str, now: float | None = None) -> OpenDesk:
    moment = clock.now().timestamp() if now is None else now
    check_database_file(database)
    rotation_swap.finish_interrupted(database)
    key_file = keyfile.read(keyfile.path_for(database))
    attempts = AttemptLog(database)
    name_hash = crypto.name_hash(key_file.name_salt, user_name)
    wait = attempts.seconds_to_wait(name_hash, moment)
    if wait > 0:
        raise TooManyAttempts(wait)
    slot = key_file.user_slot(user_name)
    try:
        if slot is None:
            # Spend the same time as a real attempt: timing must not reveal which names exist.
            _derive_like(key_file)
            raise crypto.UnwrapError
        keys = keyfile.open_slot(key_file, slot, password)
    except crypto.UnwrapError:
        attempts.record_failure(name_hash, slot.id if slot else None, moment)
        log.info("unlock refused: wrong credentials")
        raise WrongCredentials() from None
    except keyfile.SealedKeyDamaged:
        raise KeyFileTampered(keyfile.path_for(database)) from None
    if slot.authority is not None and slot.authority != key_file.authority:
        # The slot opened, so its authority is the one it was made with.
        raise AuthorityChanged(keyfile.path_for(database))
    secrets = [bytearray(k) if k is not None else None for k in (keys.notes_key, keys.account_key)]
    key = crypto.KeyHolder(keys.data_key)
    try:
        desk = open_as(database, key, slot, *secrets)
    except BaseException:
        key.wipe()
        for secret in secrets:
            if secret is not None:
                crypto.wipe(secret)
        raise
    try:
        if desk.authority is None and desk.user.has(Role.ADMIN):
            try:
                authority.establish(desk)
            except HavreError:
                # A read-only key file, say: the desk stays as it was, tried again next time.
                log.exception("unlock: the desk's authority could not be made")
        signs_now = desk.holds_account_key and not slot.certified
        if slot.sealed_data_key is not None or slot.authority != desk.authority or signs_now:
            _settle_slot(desk, slot, password)
        elif desk.holds_notes_key and desk.holds_account_key:
            _sign_own_notes_key(desk, slot)
        _record_login(desk, attempts.succeeded(name_hash))
    except BaseException:
        desk.close()
        raise
    return desk


def _settle_slot(desk: OpenDesk, slot: keyfile.Slot, password: str) -> None:
    """Wrap this slot again under the password, now that it was typed: the key a rotation
    sealed to it is wrapped directly (the old data key leaves the key file), and a slot made
    before the desk had an authority, or before slots signed their keys, binds and signs
    them from now on. It keeps only what the desk let this account hold: a notes key or an
    account key refused at sign-in is not sealed again."""
    key_path = keyfile.path_for(desk.database)
    data_key = desk.data_key()
    keys = keyfile.SlotKeys(
        data_key,
        desk.notes_key() if desk.holds_notes_key else None,
        desk.account_key() if desk.holds_account_key else None,
    )
    try:
        current = keyfile.verify(key_path, data_key)
        settled = keyfile.rewrapped(current, slot, password, keys)
        keyfile.write(key_path, current.with_slot(settled), data_key)
    except HavreError:
        # A read-only key file keeps the slot as it is, which opens as well: next sign-in.
        log.exception("unlock: the slot could not be rewritten")


def _sign_own_notes_key(desk: OpenDesk, slot: keyfile.Slot) -> None:
    """Sign the notes key of this slot with the account's own key, if a colleague gave it:
    it then stays valid when that colleague is no longer a counsellor."""
    own = crypto.signing_public(desk.account_key())
    if keyfile.notes_key_given_by(desk.desk.id, slot, {own}):
        return
    key_path = keyfile.path_for(desk.database)
    data_key = desk.data_key()
    try:
        current = keyfile.verify(key_path, data_key)
        now = current.slot_by_id(slot.id)
        if now is None or now.sealed_notes_key != slot.sealed_notes_key:
            return  # changed since it was opened: left for the next sign-in
        signed = keyfile.with_notes_signature(current.desk_id, now, desk.account_key())
        keyfile.write(key_path, current.with_slot(signed), data_key)
    except HavreError:
        log.exception("unlock: the notes key could not be signed again")


def check_database_file(database: Path) -> None:
    """Refuse, before anything is read or written, a desk that is not there, is not a
    database, or sits where it may not live (app/desk_places.py)."""
    try:
        if not database.is_file():
            raise DatabaseMissing(database)
        if database.stat().st_size == 0:
            raise NotAHavreDatabase(database)
    except PermissionError as refused:
        group = desk_places.SHARED_GROUP[machine_facts.this_system()]
        raise DeskNotReachable(database, group) from refused
    # SQLite writes its journal beside the database, even to read: a read-only folder would
    # otherwise show as a damaged database.
    check_desk_folder(database)


def _derive_like(key_file: keyfile.KeyFile) -> None:
    reference = key_file.recovery_slot() or (key_file.slots[0] if key_file.slots else None)
    if reference is not None:
        crypto.derive_key("", reference.salt, reference.kdf)


def open_as(
    database: Path,
    key: crypto.KeyHolder,
    slot: keyfile.Slot,
    notes_key: bytearray | None,
    account_key: bytearray | None = None,
) -> OpenDesk:
    """Open the desk with its data key for the account of `slot` (the slot just opened);
    the account must be active. Its roles are those its signed grant gives
    (app/services/grants.py) once the desk has an authority. The notes key is kept only for
    someone who is a counsellor now, and only if a counsellor of now, or the authority, gave
    it: one that someone else sealed to the slot is not used (the counsellor waits for it
    again), since notes written under it would be theirs to read."""
    user_id = slot.id
    key_file = keyfile.verify(keyfile.path_for(database), bytes(key))
    engine = open_desk_database(database, key)
    try:
        with Session(engine) as session, session.begin():
            desk_row = repositories.the_desk(session)
            if desk_row is None or desk_row.id != key_file.desk_id:
                raise KeyFileMismatch(keyfile.path_for(database))
            user = repositories.user_by_id(session, user_id)
            active = user is not None and user.active
            if user is not None and active:
                desk_info = dto.desk_info(desk_row)
                user_info = dto.load_user_info(session, user)
                if key_file.authority is not None:
                    checked = grants.Grants(session, desk_row.id, key_file.authority)
                    verified = checked.verified(user_id)
                    # The grant's roles go only to whoever holds the account key it names:
                    # a slot remade by hand under another password opens no role.
                    holds_key = (
                        verified is not None
                        and account_key is not None
                        and crypto.signing_public(bytes(account_key)) == verified.account_key
                    )
                    roles = set(verified.roles) if holds_key and verified is not None else set()
                    user_info = dto.user_info(user, roles)
                    if account_key is not None and not holds_key:
                        crypto.wipe(account_key)
                        account_key = None
                    # The slot as it was opened, not as the file is now: checked and used
                    # must be the same.
                    if notes_key is not None and not keyfile.notes_key_given_by(
                        desk_row.id, slot, checked.notes_givers(session)
                    ):
                        log.warning("unlock: a notes key nobody entitled gave was not used")
                        crypto.wipe(notes_key)
                        notes_key = None
                        audit.record(
                            session,
                            audit.NOTES_KEY_REFUSED,
                            None,  # no signed-in session yet: the account is the target
                            target_type="user",
                            target_id=user_id,
                            outcome=audit.DENIED,
                        )
            else:
                audit.record(
                    session,
                    audit.LOGIN,
                    None,  # no signed-in session: the account refused is the target
                    target_type="user",
                    target_id=user_id if user else None,
                    outcome=audit.DENIED,
                )
        if not active:
            raise AccountDisabled()
    except BaseException:
        db_engine.close_database(engine)
        raise
    if notes_key is not None and not user_info.has(Role.COUNSELLOR):
        crypto.wipe(notes_key)
        notes_key = None
    return OpenDesk(
        database=database,
        user=user_info,
        desk=desk_info,
        _engine=engine,
        _key=key,
        _notes_key=notes_key,
        authority=key_file.authority,
        _account_key=account_key,
    )


def _record_login(desk: OpenDesk, failures: list[FailedAttempt]) -> None:
    with desk.transaction() as session:
        for failure in failures:
            audit.record(
                session,
                audit.LOGIN_FAILED,
                None,
                target_type="user" if failure.slot_id else None,
                target_id=failure.slot_id,
                outcome=audit.FAILED,
                at=datetime.fromtimestamp(failure.at, UTC),
            )
        audit.record(session, audit.LOGIN, desk.user.id)
        user = repositories.user_by_id(session, desk.user.id)
        if user is not None:
            user.last_login_at = clock.now()


def lock(desk: OpenDesk) -> None:
    """Record the lock, then close the database and drop the key."""
    if not desk.is_open:
        return
    with desk.transaction() as session:
        audit.record(session, audit.LOCK, desk.user.id)
    try:
        audit_log.anchor_head(desk)
    except HavreError:
        # A key file that cannot be written now (read-only folder) must not keep the desk
        # open: the key file keeps the older head, and the next lock writes the new one.
        log.exception("lock: the audit head could not be written to the key file")
    desk.close()
