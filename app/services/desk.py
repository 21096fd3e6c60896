"""Creating a desk: the encrypted database, its first accounts, its signing key and the key
file with the recovery copy. Either everything is created or nothing is left on disk."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from app import clock, crypto, file_ops, keyfile
from app.desk_places import check_desk_folder
from app.domain import municipalities, passwords, validation
from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.errors import DatabaseExists, ValidationError
from app.i18n import LANGUAGE_CODES, _
from app.instance_lock import DeskLock
from app.services import audit, desk_settings, directory, grants, protocols
from app.services.database import open_desk_database, sqlite_files
from db import engine as db_engine
from db.models import Desk, DeskAgeIdentity, DeskSigningKey, User, UserRole

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeskSetup:
    database: Path
    desk_name: str
    desk_code: str
    organisation: str
    nis_code: str
    network_name: str
    language: str
    admin: NewAccount
    is_demo: bool = False
    other_accounts: tuple[NewAccount, ...] = ()


@dataclass(frozen=True)
class CreatedDesk:
    database: Path
    key_file: Path
    desk_id: str
    recovery_key: str
    authority_fingerprint: str  # printed on the recovery sheet


def working_desk_setup(
    database: Path, desk_name: str, desk_code: str, admin: NewAccount, language: str = "en"
) -> DeskSetup:
    """A Saint-Gilles desk with one administrator: the throwaway desks of the self-check,
    the benchmark and the screenshots."""
    return DeskSetup(
        database=database,
        desk_name=desk_name,
        desk_code=desk_code,
        organisation="Havre",
        nis_code="21013",
        network_name="",
        language=language,
        admin=admin,
    )


def check_setup(setup: DeskSetup) -> DeskSetup:
    """The set-up with every field checked and cleaned; raises `ValidationError` otherwise."""
    if setup.language not in LANGUAGE_CODES:
        raise ValidationError(_("Choose one of the languages fr, nl, en or de."), field="language")
    municipalities.municipality(setup.nis_code)
    admin = check_account(setup.admin)
    if Role.ADMIN not in admin.roles:
        admin = replace(admin, roles=admin.roles | {Role.ADMIN})
    accounts = (admin, *(check_account(a) for a in setup.other_accounts))
    names = [crypto.normalize_user_name(a.user_name) for a in accounts]
    if len(set(names)) != len(names):
        raise ValidationError(_("Two accounts have the same user name."), field="user_name")
    return replace(
        setup,
        database=setup.database.expanduser().absolute(),
        desk_name=validation.clean_text(setup.desk_name, "desk_name", _("The desk name"), 120),
        desk_code=validation.desk_code(setup.desk_code),
        organisation=validation.clean_text(
            setup.organisation, "organisation", _("The organisation"), 160
        ),
        nis_code=setup.nis_code.strip(),
        network_name=validation.clean_text(
            setup.network_name, "network_name", _("The network name"), 120, required=False
        ),
        admin=accounts[0],
        other_accounts=accounts[1:],
    )


def check_account(account: NewAccount) -> NewAccount:
    user_name = validation.user_name(account.user_name)
    display_name = validation.clean_text(
        account.display_name or user_name, "display_name", _("The full name"), 120
    )
    if not account.roles:
        raise ValidationError(_("Give the account at least one role."), field="roles")
    passwords.check_new_password(account.password, user_name)
    return replace(account, user_name=user_name, display_name=display_name)


def create_desk(setup: DeskSetup, kdf: crypto.KdfParams | None = None) -> CreatedDesk:
    """Create the desk described by `setup`. `kdf` overrides the calibration (tests)."""
    setup = check_setup(setup)
    database = setup.database
    key_path = keyfile.path_for(database)
    check_desk_folder(database)
    if database.exists() or key_path.exists():
        raise DatabaseExists(database)
    params = kdf or crypto.calibrate_kdf()
    data_key = crypto.new_data_key()
    notes_key = crypto.new_data_key()
    recovery_key = crypto.new_recovery_key()
    desk_id = str(uuid.uuid4())
    # The desk's authority signs the first grants; only the recovery slot holds it, so that
    # no account can sign grants but as an administrator (app/services/grants.py).
    authority = crypto.new_signing_key()
    account_keys = [crypto.new_signing_key() for _ in (setup.admin, *setup.other_accounts)]
    leftovers = [database, *companion_files(database)]
    lock = DeskLock(database)
    try:
        with lock:
            user_ids = _fill_database(setup, desk_id, data_key, params, authority, account_keys)
            key_file = replace(keyfile.new_key_file(desk_id), authority=authority.public_raw)
            for account, user_id, account_key in zip(
                (setup.admin, *setup.other_accounts), user_ids, account_keys, strict=True
            ):
                keys = keyfile.SlotKeys(
                    data_key,
                    notes_key if Role.COUNSELLOR in account.roles else None,
                    account_key.private_raw,
                )
                key_file = key_file.with_slot(
                    keyfile.make_user_slot(
                        key_file, user_id, account.user_name, account.password, keys, params
                    )
                )
            # The recovery slot holds the notes key too, so that it is never lost with
            # the last counsellor's password.
            recovery_keys = keyfile.SlotKeys(data_key, notes_key, authority.private_raw)
            key_file = key_file.with_slot(
                keyfile.make_recovery_slot(key_file, recovery_key, recovery_keys, params)
            )
            keyfile.write(key_path, key_file, data_key)
    except BaseException:
        file_ops.discard(*leftovers, lock.path)
        raise
    log.info("desk created (id %s)", desk_id)
    return CreatedDesk(
        database, key_path, desk_id, recovery_key, crypto.fingerprint(authority.public_raw)
    )


def companion_files(database: Path) -> tuple[Path, ...]:
    """The files that belong with a desk's database and go wherever it goes: its key file,
    and what SQLite keeps beside it while it is open (write-ahead log, shared memory,
    rollback journal). Not its lock file (app/instance_lock.py): that belongs to the Havre
    holding the desk open."""
    return (keyfile.path_for(database), *sqlite_files(database))


def _fill_database(
    setup: DeskSetup,
    desk_id: str,
    data_key: bytes,
    params: crypto.KdfParams,
    authority: crypto.SigningKey,
    account_keys: list[crypto.SigningKey],
) -> list[str]:
    engine = open_desk_database(setup.database, data_key, create=True)
    now = clock.now()
    signing_key = crypto.new_signing_key()
    age_identity = crypto.new_age_identity()
    user_ids: list[str] = []
    try:
        with Session(engine) as session, session.begin():
            session.add(
                Desk(
                    id=desk_id,
                    name=setup.desk_name,
                    code=setup.desk_code,
                    organisation=setup.organisation,
                    nis_code=setup.nis_code,
                    network_name=setup.network_name or None,
                    language=setup.language,
                    is_demo=setup.is_demo,
                    created_at=now,
                )
            )
            session.add(
                DeskSigningKey(
                    desk_id=desk_id,
                    algorithm="ed25519",
                    private_key=signing_key.private_raw,
                    public_key=signing_key.public_raw,
                    created_at=now,
                )
            )
            session.add(
                DeskAgeIdentity(
                    identity=age_identity.secret,
                    recipient=age_identity.recipient,
                    created_at=now,
                )
            )
            desk_settings.store_kdf_params(session, params)
            directory.install_seed(session, setup.language, now)
            protocols.install_bundled(session)
            for account, account_key in zip(
                (setup.admin, *setup.other_accounts), account_keys, strict=True
            ):
                user_id = add_user_row(session, account, now, must_change_password=False)
                user_ids.append(user_id)
                grants.record(
                    session,
                    desk_id,
                    user_id,
                    account_key.public_raw,
                    {role.value for role in account.roles},
                    granted_by=None,
                    signing_key=authority.private_raw,
                )
            admin_id = user_ids[0]
            # The set-up is the first administrator's act, signed with their account key.
            session.info[audit.SIGNER] = (admin_id, account_keys[0].private_raw)
            audit.record(
                session, audit.DESK_CREATED, admin_id, target_type="desk", target_id=desk_id
            )
            for user_id in user_ids:
                audit.record(
                    session, audit.ACCOUNT_CREATED, admin_id, target_type="user", target_id=user_id
                )
    finally:
        db_engine.close_database(engine)
    return user_ids


def add_user_row(
    session: Session,
    account: NewAccount,
    now: datetime,
    *,
    must_change_password: bool,
    user_id: str | None = None,
) -> str:
    user_id = user_id or str(uuid.uuid4())
    session.add(
        User(
            id=user_id,
            user_name=account.user_name,
            name_key=crypto.normalize_user_name(account.user_name),
            display_name=account.display_name,
            active=True,
            must_change_password=must_change_password,
            created_at=now,
            password_changed_at=now,
            last_login_at=None,
        )
    )
    session.flush()
    session.add_all(UserRole(user_id=user_id, role=role.value) for role in account.roles)
    return user_id
