"""The notes key (docs/security-model.md): counselling notes are encrypted once more, with a
key sealed only into the slots of counsellors (and the recovery slot). Whoever holds just
the data key, a reception account with outside tools for instance, cannot read them."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import select

from app import clock, crypto, keyfile
from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.domain.sessions import SessionForm
from app.errors import (
    AccessDenied,
    KeyFileTampered,
    NotesKeyMissing,
    ValidationError,
    WrongCredentials,
)
from app.services import accounts, audit, auth, intake, notes_access, sessions
from app.services.open_desk import OpenDesk
from db import engine as db_engine
from db.models import AuditEvent, ListeningSession
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, DeskFixture
from tests.factories import named_intake

NOTES = "Fears the weekend; her sister in Forest can host her."
NEW_PASSWORD = "lantern harbour willow 58"


def _session_with_notes(desk: DeskFixture, counsellor: OpenDesk) -> str:
    reception = desk.unlock("rita", STAFF_PASSWORD)
    try:
        case_id = intake.record_intake(reception, named_intake()).case_id
    finally:
        reception.close()
    form = SessionForm(held_at=clock.now(), notes=NOTES)
    return sessions.add_session(counsellor, case_id, form).id


def _slot(desk: DeskFixture, user_id: str) -> keyfile.Slot:
    slot = keyfile.read(keyfile.path_for(desk.database)).slot_by_id(user_id)
    assert slot is not None
    return slot


def _new_counsellor(admin: OpenDesk) -> str:
    account = NewAccount("nina", "Nina Nieuw", frozenset({Role.COUNSELLOR}), NEW_PASSWORD)
    return accounts.add_user(admin, account).id


def test_the_data_key_alone_does_not_open_the_notes(
    desk: DeskFixture, counsellor: OpenDesk
) -> None:
    session_id = _session_with_notes(desk, counsellor)
    key_file = keyfile.read(keyfile.path_for(desk.database))
    reception_slot = key_file.user_slot("rita")
    assert reception_slot is not None
    reception_keys = keyfile.open_slot(key_file, reception_slot, STAFF_PASSWORD)
    assert reception_keys.notes_key is None

    # What reception can do outside Havre: open the database with the data key, read rows.
    engine = db_engine.open_database(desk.database, reception_keys.data_key)
    with engine.connect() as connection:
        stored = connection.execute(
            select(ListeningSession.sealed_notes).where(ListeningSession.id == session_id)
        ).scalar_one()
    db_engine.close_database(engine)
    assert stored is not None and NOTES.encode() not in stored
    with pytest.raises(crypto.UnwrapError):
        crypto.decrypt_text(reception_keys.data_key, stored, sessions.notes_context(session_id))

    assert sessions.session_form(counsellor, session_id).notes == NOTES
    # Notes copied onto another session's row do not open there.
    with pytest.raises(crypto.UnwrapError):
        crypto.decrypt_text(counsellor.notes_key(), stored, sessions.notes_context("other"))


def test_only_counsellor_and_recovery_slots_hold_the_notes_key(desk: DeskFixture) -> None:
    key_file = keyfile.read(keyfile.path_for(desk.database))
    holders = {
        slot.kind if slot.kind == "recovery" else slot.name_hash
        for slot in key_file.slots
        if slot.sealed_notes_key is not None
    }
    carl = crypto.name_hash(key_file.name_salt, "carl")
    assert holders == {carl, "recovery"}
    for user, password in (("admin", ADMIN_PASSWORD), ("rita", STAFF_PASSWORD)):
        opened = desk.unlock(user, password)
        try:
            assert not opened.holds_notes_key
            with pytest.raises(NotesKeyMissing):
                opened.notes_key()
        finally:
            opened.close()


def test_a_counsellor_added_by_an_admin_waits_for_a_colleague(
    desk: DeskFixture, admin_desk: OpenDesk, counsellor: OpenDesk
) -> None:
    session_id = _session_with_notes(desk, counsellor)
    nina_id = _new_counsellor(admin_desk)
    assert _slot(desk, nina_id).sealed_notes_key is None

    nina = auth.unlock(desk.database, "nina", NEW_PASSWORD)
    try:
        with pytest.raises(NotesKeyMissing, match="colleague counsellor"):
            sessions.session_form(nina, session_id)
        with pytest.raises(NotesKeyMissing):
            notes_access.give(nina, nina_id)  # she holds no key to give
    finally:
        nina.close()

    assert [w.user.user_name for w in notes_access.waiting(counsellor)] == ["nina"]
    assert notes_access.waiting(admin_desk) == []
    notes_access.give(counsellor, nina_id)
    assert notes_access.waiting(counsellor) == []
    nina = auth.unlock(desk.database, "nina", NEW_PASSWORD)
    try:
        assert sessions.session_form(nina, session_id).notes == NOTES
    finally:
        nina.close()
    with counsellor.transaction() as session:
        given = session.scalars(
            select(AuditEvent).where(AuditEvent.action == audit.NOTES_ACCESS_GIVEN)
        ).all()
    assert [(e.user_id, e.target_id) for e in given] == [(counsellor.user.id, nina_id)]


def test_the_notes_key_goes_with_the_counsellor_role(
    desk: DeskFixture, admin_desk: OpenDesk, counsellor: OpenDesk
) -> None:
    rita = next(u for u in accounts.list_users(admin_desk) if u.user_name == "rita")
    with pytest.raises(AccessDenied):
        notes_access.give(admin_desk, rita.id)
    with pytest.raises(ValidationError):
        notes_access.give(counsellor, rita.id)  # not a counsellor
    assert _slot(desk, rita.id).sealed_notes_key is None

    carl_id = counsellor.user.id
    accounts.set_roles(admin_desk, carl_id, frozenset({Role.RECEPTION}))
    assert _slot(desk, carl_id).sealed_notes_key is None
    accounts.set_roles(admin_desk, carl_id, frozenset({Role.COUNSELLOR}))
    assert _slot(desk, carl_id).sealed_notes_key is None  # the admin cannot give it back
    assert [w.user.id for w in notes_access.waiting(counsellor)] == [carl_id]


def test_a_new_password_or_a_recovery_reset_keeps_the_notes_readable(
    desk: DeskFixture, counsellor: OpenDesk
) -> None:
    session_id = _session_with_notes(desk, counsellor)
    accounts.change_own_password(counsellor, STAFF_PASSWORD, NEW_PASSWORD)
    again = auth.unlock(desk.database, "carl", NEW_PASSWORD)
    try:
        assert sessions.session_form(again, session_id).notes == NOTES
    finally:
        again.close()

    accounts.reset_password_with_recovery_key(
        desk.database, desk.created.recovery_key, "carl", STAFF_PASSWORD
    )
    reset = auth.unlock(desk.database, "carl", STAFF_PASSWORD)
    try:
        assert sessions.session_form(reset, session_id).notes == NOTES
    finally:
        reset.close()


def test_a_sealed_key_opens_only_for_its_recipient() -> None:
    alice, mallory = crypto.new_exchange_key(), crypto.new_exchange_key()
    key = crypto.new_data_key()
    sealed = crypto.seal(alice.public_raw, key, b"slot alice")
    assert crypto.open_sealed(alice, sealed, b"slot alice") == key
    for recipient, context in ((mallory, b"slot alice"), (alice, b"slot mallory")):
        with pytest.raises(crypto.UnwrapError):
            crypto.open_sealed(recipient, sealed, context)
    with pytest.raises(crypto.UnwrapError):
        crypto.open_sealed(alice, sealed[:-1], b"slot alice")
    assert crypto.seal(alice.public_raw, key, b"x") != crypto.seal(alice.public_raw, key, b"x")


def test_an_altered_sealed_notes_key_is_reported_as_a_changed_key_file(desk: DeskFixture) -> None:
    path = keyfile.path_for(desk.database)
    document = json.loads(path.read_text())
    carl = next(s for s in document["slots"] if s["sealed_notes_key"] and s["kind"] == "user")
    sealed = bytearray(base64.b64decode(carl["sealed_notes_key"]))
    sealed[-1] ^= 1
    carl["sealed_notes_key"] = base64.b64encode(bytes(sealed)).decode()
    path.write_text(json.dumps(document))
    with pytest.raises(KeyFileTampered):
        desk.unlock("carl", STAFF_PASSWORD)
    with pytest.raises(WrongCredentials):  # a wrong password is still only that
        desk.unlock("carl", "not the password at all 1")
