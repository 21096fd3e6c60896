"""Keys sealed only to slots their accounts vouch for (issue 19, points 3 and 10), written
as the insider an independent review played: a reception account, holding the data key
(so it can rewrite any slot of the key file and recompute its MAC) and its own password.

Found open by the review:
- it put its own public key into a waiting counsellor's slot: the counsellor who gave the
  notes key sealed it to the insider;
- it sealed a notes key of its own choosing to a counsellor's slot: notes written under it
  would have been the insider's to read (now the key is not used, and the refusal audited);
- it put its own public key into the recovery slot: a key rotation sealed the new data key
  to it;
- the first administrator's account key was the desk's authority: demoted, it could still
  sign itself any role;
- an inserted admin role row counted as an administrator, so the only real one could
  demote themselves and leave the desk without any.

The sealing format is rebuilt here from its description (an X25519 box over canonical JSON
contexts), apart from the code under attack."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app import crypto, keyfile
from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.errors import KeyFileTampered, ValidationError
from app.services import accounts, audit, grants, key_rotation, notes_access
from app.services.open_desk import OpenDesk
from db.models import AuditEvent
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, DeskFixture

pytestmark = pytest.mark.dates

CLEO_PASSWORD = "amber willow lantern 42"


def context(desk_id: str, slot_id: str, purpose: str) -> bytes:
    statement = {"desk_id": desk_id, "slot_id": slot_id, "purpose": purpose}
    return json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()


def rewrite_slot(desk: DeskFixture, insider: OpenDesk, slot: keyfile.Slot) -> None:
    """What the data key allows: any slot, the file's MAC made again."""
    data_key = insider.data_key()
    key_path = keyfile.path_for(desk.database)
    keyfile.write(key_path, keyfile.verify(key_path, data_key).with_slot(slot), data_key)


def slot_of(desk: DeskFixture, slot_id: str) -> keyfile.Slot:
    slot = keyfile.read(keyfile.path_for(desk.database)).slot_by_id(slot_id)
    assert slot is not None
    return slot


def a_waiting_counsellor(admin_desk: OpenDesk) -> str:
    """An administrator who is not a counsellor adds one: cleo waits for the notes key."""
    cleo = accounts.add_user(
        admin_desk, NewAccount("cleo", "Cleo", frozenset({Role.COUNSELLOR}), CLEO_PASSWORD)
    )
    return cleo.id


@pytest.mark.parametrize("signs_it_too", [False, True])
def test_a_public_key_put_into_a_waiting_counsellors_slot_gets_no_notes_key(
    desk: DeskFixture,
    admin_desk: OpenDesk,
    reception: OpenDesk,
    counsellor: OpenDesk,
    signs_it_too: bool,
) -> None:
    cleo_id = a_waiting_counsellor(admin_desk)
    own = crypto.new_exchange_key()
    forged = replace(slot_of(desk, cleo_id), public_key=own.public_raw)
    if signs_it_too:  # with the insider's own account key, the only one it has
        forged = keyfile.with_exchange_signature(reception.desk.id, forged, reception.account_key())
    rewrite_slot(desk, reception, forged)
    assert [w.user.id for w in notes_access.waiting(counsellor)] == [cleo_id]

    with pytest.raises(KeyFileTampered):
        notes_access.give(counsellor, cleo_id)

    assert slot_of(desk, cleo_id).sealed_notes_key is None  # nothing sealed to the insider


def test_a_stripped_slot_passed_off_as_an_old_one_gets_no_notes_key(
    desk: DeskFixture, admin_desk: OpenDesk, reception: OpenDesk, counsellor: OpenDesk
) -> None:
    cleo_id = a_waiting_counsellor(admin_desk)
    own = crypto.new_exchange_key()
    forged = replace(
        slot_of(desk, cleo_id), public_key=own.public_raw, certified=False, exchange_signature=None
    )
    rewrite_slot(desk, reception, forged)
    with pytest.raises(ValidationError, match="sign in once more"):
        notes_access.give(counsellor, cleo_id)
    assert slot_of(desk, cleo_id).sealed_notes_key is None


def test_the_genuine_waiting_counsellor_is_given_the_key_and_reads_the_notes(
    desk: DeskFixture, admin_desk: OpenDesk, counsellor: OpenDesk
) -> None:
    cleo_id = a_waiting_counsellor(admin_desk)
    notes_access.give(counsellor, cleo_id)
    cleo = desk.unlock("cleo", CLEO_PASSWORD)
    try:
        assert cleo.notes_key() == counsellor.notes_key()
    finally:
        cleo.close()


@pytest.mark.parametrize("signature", ["left as it was", "removed", "the insider's"])
def test_a_notes_key_planted_in_a_counsellors_slot_is_not_used(
    desk: DeskFixture, reception: OpenDesk, counsellor: OpenDesk, signature: str
) -> None:
    counsellor_id = counsellor.user.id
    counsellor.close()
    planted = crypto.new_data_key()
    slot = slot_of(desk, counsellor_id)
    notes_context = context(desk.created.desk_id, slot.id, "notes key")
    slot = replace(slot, sealed_notes_key=crypto.seal(slot.public_key, planted, notes_context))
    if signature == "removed":
        slot = replace(slot, notes_signature=None)
    elif signature == "the insider's":
        slot = keyfile.with_notes_key(reception.desk.id, slot, planted, reception.account_key())
    rewrite_slot(desk, reception, slot)

    carl = desk.unlock("carl", STAFF_PASSWORD)
    try:
        # Not used: carl waits for the key again, and the log says why.
        assert not carl.holds_notes_key
        with carl.transaction() as session:
            refused = session.scalars(
                select(AuditEvent.target_id).where(AuditEvent.action == audit.NOTES_KEY_REFUSED)
            ).all()
        assert refused == [counsellor_id]
    finally:
        carl.close()


def test_a_public_key_put_into_the_recovery_slot_stops_a_rotation_before_any_change(
    desk: DeskFixture, reception: OpenDesk, tmp_path: Path
) -> None:
    recovery = slot_of(desk, keyfile.RECOVERY_SLOT_ID)
    own = crypto.new_exchange_key()
    rewrite_slot(desk, reception, replace(recovery, public_key=own.public_raw))
    reception.close()
    before = keyfile.path_for(desk.database).read_bytes()

    with pytest.raises(KeyFileTampered):
        key_rotation.rotate(desk.database, "admin", ADMIN_PASSWORD, tmp_path)

    after = keyfile.read(keyfile.path_for(desk.database)).recovery_slot()
    assert after is not None and after.sealed_data_key is None  # nothing sealed to the insider
    assert keyfile.path_for(desk.database).read_bytes() == before
    desk.unlock().close()  # the desk opens as before


def test_a_rotation_leaves_out_a_counsellors_slot_the_insider_rewrote(
    desk: DeskFixture, reception: OpenDesk, counsellor: OpenDesk, tmp_path: Path
) -> None:
    counsellor_id = counsellor.user.id
    counsellor.close()
    own = crypto.new_exchange_key()
    rewrite_slot(desk, reception, replace(slot_of(desk, counsellor_id), public_key=own.public_raw))
    reception.close()

    done = key_rotation.rotate(desk.database, "admin", ADMIN_PASSWORD, tmp_path)

    assert done.unconfirmed == 1 and done.accounts == 2 and done.dropped == 0
    assert keyfile.read(keyfile.path_for(desk.database)).slot_by_id(counsellor_id) is None
    desk.unlock("rita", STAFF_PASSWORD).close()  # the others open the rotated desk


def test_the_first_administrator_demoted_cannot_sign_itself_a_role(
    desk: DeskFixture, admin_desk: OpenDesk
) -> None:
    bea = accounts.add_user(
        admin_desk, NewAccount("bea", "Bea", frozenset({Role.ADMIN}), ADMIN_PASSWORD)
    )
    second = desk.unlock("bea", ADMIN_PASSWORD)
    try:
        accounts.set_roles(second, admin_desk.user.id, frozenset({Role.RECEPTION}))
    finally:
        second.close()
    assert admin_desk.authority is not None
    own_key = admin_desk.account_key()
    assert crypto.signing_public(own_key) != admin_desk.authority  # never the authority
    with admin_desk.transaction() as session:
        grants.record(
            session,
            admin_desk.desk.id,
            admin_desk.user.id,
            crypto.signing_public(own_key),
            {"admin", "counsellor"},
            granted_by=None,
            signing_key=own_key,
        )
    again = desk.unlock()
    try:
        assert again.user.roles == frozenset()
    finally:
        again.close()
    assert bea.id


def test_an_inserted_admin_row_does_not_let_the_only_administrator_leave(
    reception: OpenDesk, admin_desk: OpenDesk
) -> None:
    with reception.transaction() as session:
        session.execute(
            text("INSERT INTO user_role (user_id, role) VALUES (:user, 'admin')"),
            {"user": reception.user.id},
        )
    with pytest.raises(ValidationError, match="at least one active administrator"):
        accounts.set_roles(admin_desk, admin_desk.user.id, frozenset({Role.RECEPTION}))
    assert admin_desk.user.id in {
        u.id for u in accounts.list_users(admin_desk) if Role.ADMIN in u.roles
    }
