"""Accounts: list, add, roles, disable/enable, and passwords (own change, reset with the
recovery key). Changing a password re-wraps only that account's copy of the data key;
disabling an account deletes its copy, so the password no longer opens anything."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.orm import Session

from app import clock, crypto, keyfile
from app.domain import passwords
from app.domain.accounts import NewAccount, UserInfo
from app.domain.codes import read_codes
from app.domain.roles import Role
from app.errors import (
    AuthorityChanged,
    KeyFileMismatch,
    KeyFileTampered,
    TooManyAttempts,
    ValidationError,
    WrongCredentials,
)
from app.i18n import _
from app.services import audit, desk_settings, dto, grants
from app.services.attempts import AttemptLog
from app.services.auth import check_database_file
from app.services.database import open_desk_database
from app.services.desk import add_user_row, check_account
from app.services.open_desk import OpenDesk
from db import engine as db_engine
from db import repositories
from db.models import User

_RECOVERY_ATTEMPTS_NAME = "recovery key"


def list_users(desk: OpenDesk) -> list[UserInfo]:
    with desk.guarded(Role.ADMIN, "account.list") as session:
        # The roles a valid grant gives: a role row nobody signed is not shown as held. A
        # disabled account shows those it held, which enabling it gives back.
        checked = None if desk.authority is None else desk.grants(session)
        return [
            dto.user_info(
                u,
                set(checked.last_held_roles(u.id))
                if checked is not None and not u.active
                else desk.roles_of(session, u.id),
            )
            for u in repositories.all_users(session)
        ]


def add_user(desk: OpenDesk, account: NewAccount, user_id: str | None = None) -> UserInfo:
    """A new account whose first password is set by the admin and changed at first sign-in;
    `user_id` is the id its form made (a fresh one if none)."""
    with desk.guarded(Role.ADMIN, "account.create") as session:
        account = check_account(account)
        data_key = desk.data_key()
        if user_id is not None and repositories.user_by_id(session, user_id) is not None:
            # The form saved again, its first answer lost to a lock: the account exists with
            # the password typed then, which the form cannot show (it never keeps one).
            raise ValidationError(
                _(
                    "This account was added by an earlier save, with the first password "
                    "typed then. Choose it in the list; reset its password if that one is "
                    "not known."
                ),
                field="user_name",
            )
        if repositories.user_by_name_key(session, crypto.normalize_user_name(account.user_name)):
            raise ValidationError(
                _("There is already an account named {name}.").format(name=account.user_name),
                field="user_name",
            )
        user_id = add_user_row(
            session, account, clock.now(), must_change_password=True, user_id=user_id
        )
        notes_key = _notes_key_to_give(desk, account.roles)
        account_key = crypto.new_signing_key()
        _install_password(
            desk.key_file_path,
            keyfile.SlotKeys(data_key, notes_key, account_key.private_raw),
            session,
            user_id,
            account.user_name,
            account.password,
        )
        _grant(desk, session, user_id, account_key.public_raw, account.roles)
        audit.record(
            session, audit.ACCOUNT_CREATED, desk.user.id, target_type="user", target_id=user_id
        )
        user = repositories.user_by_id(session, user_id)
        assert user is not None
        return dto.load_user_info(session, user)


def set_roles(desk: OpenDesk, user_id: str, roles: frozenset[Role]) -> UserInfo:
    """Change the roles; the notes key goes with the counsellor role: taken away with it, and
    given with it when the admin is a counsellor (otherwise a counsellor gives it later)."""
    with desk.guarded(Role.ADMIN, "account.roles") as session:
        if not roles:
            raise ValidationError(_("Give the account at least one role."), field="roles")
        data_key = desk.data_key()
        user = _user(session, user_id)
        _check_name(desk, user)
        if Role.ADMIN not in roles:
            _keep_an_admin(desk, session, user)
        repositories.replace_roles(session, user_id, {role.value for role in roles})
        account_key = _account_key_of(desk, session, user_id)
        _notes_access_follows_roles(desk, data_key, account_key, user_id, roles)
        _grant(desk, session, user_id, account_key, roles)
        audit.record(
            session, audit.ACCOUNT_ROLES, desk.user.id, target_type="user", target_id=user_id
        )
        return dto.user_info(user, {role.value for role in roles})


def disable_user(desk: OpenDesk, user_id: str) -> UserInfo:
    """Disable the account and delete its copy of the data key."""
    with desk.guarded(Role.ADMIN, "account.disable") as session:
        if user_id == desk.user.id:
            raise ValidationError(_("You cannot disable your own account."), field="user")
        data_key = desk.data_key()
        user = _user(session, user_id)
        _check_name(desk, user)
        _keep_an_admin(desk, session, user)
        user.active = False
        if desk.authority is not None:
            # A grant of no role: the active flag is a row anyone with the data key could
            # set again, the signed grant is not (nor its slot, put back from an old file).
            # It names the key of the latest valid grant, so that deleting a newer row,
            # valid or not, brings nothing back.
            latest = desk.grants(session).latest_valid(user_id)
            if latest is not None:
                _grant(desk, session, user_id, latest.account_key, ())
        key_path = desk.key_file_path
        key_file = keyfile.verify(key_path, data_key)
        keyfile.write(key_path, key_file.without_slot(user_id), data_key)
        audit.record(
            session, audit.ACCOUNT_DISABLED, desk.user.id, target_type="user", target_id=user_id
        )
        return dto.load_user_info(session, user)


def enable_user(desk: OpenDesk, user_id: str, new_password: str) -> UserInfo:
    """Enable the account again with a password the admin gives; it is changed at sign-in."""
    with desk.guarded(Role.ADMIN, "account.enable") as session:
        data_key = desk.data_key()
        user = _user(session, user_id)
        if user.active:
            raise ValidationError(_("This account is already enabled."), field="user")
        passwords.check_new_password(new_password, user.user_name)
        user.active = True
        user.must_change_password = True
        held = (
            desk.grants(session).last_held_roles(user.id)
            if desk.authority is not None
            else repositories.roles_of(session, user.id)
        )
        roles = read_codes(Role, held)
        notes_key = _notes_key_to_give(desk, roles)
        # Its key went with its slot when it was disabled: a new one, granted again.
        account_key = crypto.new_signing_key()
        _install_password(
            desk.key_file_path,
            keyfile.SlotKeys(data_key, notes_key, account_key.private_raw),
            session,
            user.id,
            user.user_name,
            new_password,
        )
        _grant(desk, session, user.id, account_key.public_raw, roles)
        audit.record(
            session, audit.ACCOUNT_ENABLED, desk.user.id, target_type="user", target_id=user_id
        )
        return dto.load_user_info(session, user)


def change_own_password(desk: OpenDesk, current_password: str, new_password: str) -> None:
    """Re-wrap the signed-in user's copy of the data key under a new password."""
    confirm_own_password(desk, current_password)
    key_path = desk.key_file_path
    data_key = desk.data_key()
    if new_password == current_password:
        raise ValidationError(
            _("Choose a new password different from the current one."), field="password"
        )
    with desk.transaction() as session:
        user = _user(session, desk.user.id)
        passwords.check_new_password(new_password, user.user_name)
        notes_key = desk.notes_key() if desk.holds_notes_key else None
        account_key = desk.account_key() if desk.authority is not None else None
        _install_password(
            key_path,
            keyfile.SlotKeys(data_key, notes_key, account_key),
            session,
            user.id,
            user.user_name,
            new_password,
        )
        user.must_change_password = False
        audit.record(
            session, audit.PASSWORD_CHANGED, desk.user.id, target_type="user", target_id=user.id
        )


def confirm_own_password(desk: OpenDesk, password: str) -> None:
    """Refuse unless `password` opens the signed-in user's slot: asked again before a
    change that matters (a new password, a key rotation)."""
    key_path = desk.key_file_path
    key_file = keyfile.verify(key_path, desk.data_key())
    slot = key_file.slot_by_id(desk.user.id)
    try:
        if slot is None:
            raise crypto.UnwrapError
        keyfile.open_slot(key_file, slot, password)
    except crypto.UnwrapError:
        raise ValidationError(
            _("The current password is not correct."), field="current_password"
        ) from None
    except keyfile.SealedKeyDamaged:
        raise KeyFileTampered(key_path) from None


def reset_password(desk: OpenDesk, user_id: str, recovery_key: str, new_password: str) -> None:
    """An admin resets someone's password; the sealed recovery key must be presented."""
    with desk.guarded(Role.ADMIN, "account.password_reset") as session:
        data_key = desk.data_key()
        recovered = _open_recovery_slot(desk.database, recovery_key)
        if not crypto.macs_equal(recovered.data_key, data_key):
            raise WrongCredentials()
        user = _user(session, user_id)
        _refuse_disabled(user)
        passwords.check_new_password(new_password, user.user_name)
        roles = desk.roles_of(session, user.id)
        keys, account_public = _keys_for(recovered, roles)
        _install_password(desk.key_file_path, keys, session, user.id, user.user_name, new_password)
        if account_public is not None:
            _grant(desk, session, user.id, account_public, roles)
            if user.id == desk.user.id and keys.account_key is not None:
                desk.use_account_key(keys.account_key)  # its own new key, granted just now
        user.must_change_password = user.id != desk.user.id
        audit.record(
            session, audit.PASSWORD_RESET, desk.user.id, target_type="user", target_id=user.id
        )


def reset_password_with_recovery_key(
    database: Path, recovery_key: str, user_name: str, new_password: str
) -> None:
    """From the sign-in screen: whoever holds the recovery key sets a new password for an
    account (typically the only administrator, who forgot theirs)."""
    check_database_file(database)
    recovered = _open_recovery_slot(database, recovery_key)
    data_key = bytearray(recovered.data_key)
    key_path = keyfile.path_for(database)
    try:
        key_file = keyfile.verify(key_path, bytes(data_key))
        engine = open_desk_database(database, data_key)
        try:
            with Session(engine) as session, session.begin():
                desk_row = repositories.the_desk(session)
                if desk_row is None or desk_row.id != key_file.desk_id:
                    raise KeyFileMismatch(key_path)
                user = repositories.user_by_name_key(session, crypto.normalize_user_name(user_name))
                if user is None:
                    raise ValidationError(
                        _("There is no account named {name} on this desk.").format(
                            name=user_name.strip()
                        ),
                        field="user_name",
                    )
                _refuse_disabled(user)
                passwords.check_new_password(new_password, user.user_name)
                roles = _roles_granted(session, key_file, user.id)
                keys, account_public = _keys_for(recovered, roles)
                _install_password(key_path, keys, session, user.id, user.user_name, new_password)
                if account_public is not None and recovered.account_key is not None:
                    # No administrator is signed in: the authority, which the recovery
                    # key holds, grants the account its roles again with its new key.
                    grants.record(
                        session,
                        key_file.desk_id,
                        user.id,
                        account_public,
                        roles,
                        granted_by=None,
                        signing_key=recovered.account_key,
                    )
                user.must_change_password = False
                audit.record(
                    session, audit.PASSWORD_RESET, None, target_type="user", target_id=user.id
                )
        finally:
            db_engine.close_database(engine)
    finally:
        crypto.wipe(data_key)


def _open_recovery_slot(database: Path, recovery_key: str) -> keyfile.SlotKeys:
    """The keys of the recovery copy, throttled like a password."""
    normalized = crypto.normalize_recovery_key(recovery_key)
    key_file = keyfile.read(keyfile.path_for(database))
    attempts = AttemptLog(database)
    name_hash = crypto.name_hash(key_file.name_salt, _RECOVERY_ATTEMPTS_NAME)
    now = clock.now().timestamp()
    wait = attempts.seconds_to_wait(name_hash, now)
    if wait > 0:
        raise TooManyAttempts(wait)
    slot = key_file.recovery_slot()
    try:
        if slot is None:
            raise crypto.UnwrapError
        keys = keyfile.open_slot(key_file, slot, normalized)
    except crypto.UnwrapError:
        attempts.record_failure(name_hash, None, now)
        raise ValidationError(
            _("This recovery key does not open this desk."), field="recovery_key"
        ) from None
    except keyfile.SealedKeyDamaged:
        raise KeyFileTampered(keyfile.path_for(database)) from None
    attempts.succeeded(name_hash)
    # The authority the recovery slot holds must be the one the key file names (and the
    # one the slot was made with): a replaced authority gets no grant from the recovery key.
    authority = key_file.authority
    if authority is not None and (
        (slot.authority is not None and slot.authority != authority)
        or keys.account_key is None
        or crypto.signing_public(keys.account_key) != authority
    ):
        raise AuthorityChanged(keyfile.path_for(database))
    if authority is not None and not keyfile.notes_key_given_by(
        key_file.desk_id, slot, {authority}
    ):
        raise KeyFileTampered(keyfile.path_for(database))  # a notes key planted there
    return keys


def _notes_key_to_give(desk: OpenDesk, roles: frozenset[Role]) -> bytes | None:
    """The notes key for an account with `roles`, if it is a counsellor's and the one
    giving it holds the key; otherwise the account waits for a counsellor (notes_access)."""
    if Role.COUNSELLOR in roles and desk.holds_notes_key:
        return desk.notes_key()
    return None


def _notes_access_follows_roles(
    desk: OpenDesk,
    data_key: bytes,
    account_key: bytes | None,
    user_id: str,
    roles: frozenset[Role],
) -> None:
    """Take the notes key from a slot with the counsellor role, or give it with the role when
    the administrator holds it and the slot's public key is the one `account_key` (the
    account's granted key) signed; otherwise the new counsellor waits (notes_access)."""
    key_path = desk.key_file_path
    key_file = keyfile.verify(key_path, data_key)
    slot = key_file.slot_by_id(user_id)
    if slot is None:
        return
    if Role.COUNSELLOR not in roles and slot.sealed_notes_key is not None:
        changed = keyfile.with_notes_key(key_file.desk_id, slot, None, None)
    elif (
        Role.COUNSELLOR in roles
        and slot.sealed_notes_key is None
        and desk.holds_notes_key
        and (account_key is None or keyfile.vouched(key_file.desk_id, slot, account_key))
    ):
        giver_key = desk.account_key() if desk.holds_account_key else None
        changed = keyfile.with_notes_key(key_file.desk_id, slot, desk.notes_key(), giver_key)
    else:
        return
    keyfile.write(key_path, key_file.with_slot(changed), data_key)


def _keys_for(
    recovered: keyfile.SlotKeys, roles: Iterable[str]
) -> tuple[keyfile.SlotKeys, bytes | None]:
    """What a slot remade with the recovery key holds, and the public half of its new
    account key, to be granted (None on a desk made before grants)."""
    notes_key = recovered.notes_key if Role.COUNSELLOR.value in set(roles) else None
    if recovered.account_key is None:  # a desk made before grants
        return keyfile.SlotKeys(recovered.data_key, notes_key), None
    account_key = crypto.new_signing_key()
    keys = keyfile.SlotKeys(recovered.data_key, notes_key, account_key.private_raw)
    return keys, account_key.public_raw


def _grant(
    desk: OpenDesk,
    session: Session,
    user_id: str,
    account_key: bytes | None,
    roles: Iterable[str],
) -> None:
    """Sign a grant of `roles` to the account, as the administrator signed in."""
    if desk.authority is None or account_key is None:
        return  # a desk made before grants, until an administrator signs in
    grants.record(
        session,
        desk.desk.id,
        user_id,
        account_key,
        {str(role) for role in roles},
        granted_by=desk.user.id,
        signing_key=desk.account_key(),
    )


def _account_key_of(desk: OpenDesk, session: Session, user_id: str) -> bytes | None:
    """The account key its valid grant names. An account without a valid grant is not given
    a new key here: sealed to a slot nobody vouched for, it could go to whoever rewrote the
    slot. A password reset makes the slot, and the key, afresh."""
    if desk.authority is None:
        return None  # a desk made before grants: nothing is signed yet
    verified = desk.grants(session).verified(user_id)
    if verified is None:
        raise ValidationError(
            _(
                "This account has no valid role grant. Reset its password with the recovery "
                "key, then set its roles."
            ),
            field="roles",
        )
    return verified.account_key


def _roles_granted(session: Session, key_file: keyfile.KeyFile, user_id: str) -> set[str]:
    """The roles of the account's latest valid grant (the database's, before grants
    existed): a newer row nobody signed, planted to take an administrator's roles away,
    does not outlive a reset with the recovery key."""
    if key_file.authority is None:
        return repositories.roles_of(session, user_id)
    latest = grants.Grants(session, key_file.desk_id, key_file.authority).latest_valid(user_id)
    return set() if latest is None else set(latest.roles)


def _install_password(
    key_path: Path,
    keys: keyfile.SlotKeys,
    session: Session,
    user_id: str,
    user_name: str,
    password: str,
) -> None:
    """Write (or replace) the account's slot under `password`: its copy of the data key and,
    for a counsellor when it is at hand, the notes key."""
    data_key = keys.data_key
    key_file = keyfile.verify(key_path, data_key)
    slot = keyfile.make_user_slot(
        key_file, user_id, user_name, password, keys, desk_settings.kdf_params(session)
    )
    keyfile.write(key_path, key_file.with_slot(slot), data_key)
    user = _user(session, user_id)
    user.password_changed_at = clock.now()


def _user(session: Session, user_id: str) -> User:
    user = repositories.user_by_id(session, user_id)
    if user is None:
        raise ValidationError(_("This account no longer exists."), field="user")
    return user


def _refuse_disabled(user: User) -> None:
    if not user.active:
        raise ValidationError(
            _("This account is disabled. Enable it again from the accounts page instead."),
            field="user",
        )


def _check_name(desk: OpenDesk, user: User) -> None:
    """Refuse to act on an account whose name is not the one its key slot was made for: the
    insider who swaps names with a colleague would otherwise be granted the colleague's
    role, or have the colleague disabled in their place."""
    key_file = keyfile.verify(desk.key_file_path, desk.data_key())
    if not key_file.bears_name(user.id, user.user_name):
        raise ValidationError(
            _(
                "The name of this account was changed outside Havre: it is not the one its "
                "key was made for. Nothing was changed. Tell the data protection officer."
            ),
            field="user",
        )


def _keep_an_admin(desk: OpenDesk, session: Session, user: User) -> None:
    """Refuse a change that would leave the desk without an active administrator, counting
    only the administrators a valid grant makes (a role row nobody signed is none)."""
    admins = {
        u.id
        for u in repositories.all_users(session)
        if u.active and Role.ADMIN.value in desk.roles_of(session, u.id)
    }
    if user.id in admins and len(admins) <= 1:
        raise ValidationError(
            _("The desk needs at least one active administrator. Make someone else one first."),
            field="roles",
        )
