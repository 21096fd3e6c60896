"""Giving a desk made before role grants its authority key, at an administrator's first
sign-in since (app/services/grants.py).

A new authority key is made and sealed to the recovery slot only; every active account gets
an account key sealed to its slot, its slot's public key signed with it, and a grant of the
roles it holds now, signed by the authority, which also signs the notes keys already given.
From then on a role needs a valid grant. What the database and the key file said at that
moment is taken as true: a role or a slot forged before it would be kept (each account's
slot binds the authority at its owner's next sign-in).
"""

from __future__ import annotations

from dataclasses import replace

from app import crypto, keyfile
from app.domain.roles import Role
from app.services import audit, grants
from app.services.open_desk import OpenDesk
from db import repositories


def establish(desk: OpenDesk) -> None:
    with desk.guarded(Role.ADMIN, "account.authority") as session:
        authority = crypto.new_signing_key()
        data_key = desk.data_key()
        key_file = replace(
            keyfile.verify(desk.key_file_path, data_key), authority=authority.public_raw
        )
        own_key: crypto.SigningKey | None = None
        roles = repositories.roles_by_user(session)
        for user in repositories.all_users(session):
            slot = key_file.slot_by_id(user.id)
            if not user.active or slot is None:
                continue
            account = crypto.new_signing_key()
            if user.id == desk.user.id:
                own_key = account
            slot = _signed(key_file.desk_id, slot, account.private_raw, authority.private_raw)
            key_file = key_file.with_slot(
                keyfile.with_account_key(key_file.desk_id, slot, account.private_raw)
            )
            grants.record(
                session,
                desk.desk.id,
                user.id,
                account.public_raw,
                roles.get(user.id, set()),
                granted_by=None,
                signing_key=authority.private_raw,
            )
        recovery = key_file.recovery_slot()
        if recovery is not None:
            recovery = _signed(
                key_file.desk_id, recovery, authority.private_raw, authority.private_raw
            )
            key_file = key_file.with_slot(
                keyfile.with_account_key(key_file.desk_id, recovery, authority.private_raw)
            )
    # After the grants are committed: a key file naming an authority no grant was signed
    # with would take every role away.
    keyfile.write(desk.key_file_path, key_file, data_key)
    assert own_key is not None  # the administrator is active and signed in through a slot
    desk.take_authority(authority.public_raw, own_key.private_raw)
    with desk.transaction() as session:  # signed with the administrator's new key
        audit.record(session, audit.AUTHORITY_MADE, desk.user.id, target_type="desk")


def _signed(desk_id: str, slot: keyfile.Slot, account_key: bytes, authority: bytes) -> keyfile.Slot:
    """The slot's public key signed by its account key, and the notes key it holds, if any,
    signed by the authority: from now on a notes key nobody entitled gave is not used."""
    slot = keyfile.with_exchange_signature(desk_id, slot, account_key)
    if slot.sealed_notes_key is None:
        return slot
    return keyfile.with_notes_signature(desk_id, slot, authority)
