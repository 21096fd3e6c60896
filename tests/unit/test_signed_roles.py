"""Roles no insider can forge (issue 19, point 3), written as the insider who found them
open: a reception account that holds the data key inserted a `user_role` row (counsellor)
through its own connection, was offered the counselling notes key, and read a note.

Each attack uses only what a reception account holds: the data key (so any row of the
database and a key file whose MAC it can recompute) and its own password."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from app import crypto, keyfile
from app.domain.accounts import NewAccount
from app.domain.cases import CaseQuery
from app.domain.roles import Role
from app.domain.sessions import SessionForm
from app.errors import AccessDenied, AuthorityChanged, NotesKeyMissing, ValidationError
from app.services import (
    accounts,
    audit,
    audit_log,
    auth,
    cases,
    grants,
    notes_access,
    sessions,
)
from app.services.open_desk import OpenDesk
from db.models import AuditEvent, RoleGrant
from tests.audit_support import rechain
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, DeskFixture
from tests.counts_support import intake_on

pytestmark = pytest.mark.dates

NOTE = "Note-for-counsellors-only-7731"


def a_note(desk: DeskFixture, counsellor: OpenDesk, reception: OpenDesk) -> str:
    case_id = intake_on(reception, datetime(2026, 10, 2).date())
    held = datetime(2026, 10, 2, 11, tzinfo=UTC)
    return sessions.add_session(counsellor, case_id, SessionForm(held, notes=NOTE)).id


def insert_role_row(reception: OpenDesk, role: str) -> None:
    with reception.transaction() as session:
        session.execute(
            text("INSERT INTO user_role (user_id, role) VALUES (:user, :role)"),
            {"user": reception.user.id, "role": role},
        )


def test_a_role_row_nobody_signed_gives_nothing(
    desk: DeskFixture, reception: OpenDesk, counsellor: OpenDesk
) -> None:
    session_id = a_note(desk, counsellor, reception)
    insert_role_row(reception, "counsellor")
    insert_role_row(reception, "admin")
    # Not in the counsellor's list of colleagues waiting for the notes key...
    assert notes_access.waiting(counsellor) == []
    # ...nor given it if asked for by id...
    with pytest.raises(ValidationError, match="Only an active counsellor"):
        notes_access.give(counsellor, reception.user.id)
    # ...nor any right of the roles it wrote, now or at its next sign-in.
    with pytest.raises(AccessDenied):
        accounts.list_users(reception)
    again = desk.unlock("rita", STAFF_PASSWORD)
    try:
        assert again.user.roles == frozenset({Role.RECEPTION})
        with pytest.raises((AccessDenied, NotesKeyMissing)):
            sessions.session_form(again, session_id)
    finally:
        again.close()


def test_a_grant_signed_with_the_insiders_own_key_gives_nothing(
    desk: DeskFixture, reception: OpenDesk, counsellor: OpenDesk, admin_desk: OpenDesk
) -> None:
    own_key = reception.account_key()
    admin_id = admin_desk.user.id
    for granted_by in (reception.user.id, admin_id, None):
        with reception.transaction() as session:
            grants.record(
                session,
                reception.desk.id,
                reception.user.id,
                crypto.signing_public(own_key),
                {"reception", "counsellor", "admin"},
                granted_by=granted_by,
                signing_key=own_key,
            )
        assert notes_access.waiting(counsellor) == []
        with pytest.raises(AccessDenied):
            accounts.list_users(reception)
    # A forged latest grant takes the insider's own rights away: it cannot even do its job.
    with pytest.raises(AccessDenied):
        cases.find_case_ids(reception, CaseQuery())


def test_a_grant_copied_from_an_administrator_gives_nothing(
    reception: OpenDesk, admin_desk: OpenDesk
) -> None:
    """The insider copies the admin's valid grant (signature included) onto itself."""
    with reception.transaction() as session:
        genuine = session.scalars(
            select(RoleGrant).where(RoleGrant.user_id == admin_desk.user.id)
        ).first()
        assert genuine is not None
        session.add(
            RoleGrant(
                user_id=reception.user.id,
                account_key=genuine.account_key,
                roles=genuine.roles,
                granted_by=genuine.granted_by,
                granted_at=genuine.granted_at,
                signature=genuine.signature,
            )
        )
    with pytest.raises(AccessDenied):
        accounts.list_users(reception)


def test_replacing_the_authority_locks_everyone_else_out_with_the_reason(
    desk: DeskFixture, reception: OpenDesk
) -> None:
    """The insider makes an authority of its own, signs itself every role, and rewrites the
    key file (whose MAC the data key makes): the other accounts' slots bind the real one."""
    data_key = reception.data_key()
    fake = crypto.new_signing_key()
    with reception.transaction() as session:
        grants.record(
            session,
            reception.desk.id,
            reception.user.id,
            crypto.signing_public(reception.account_key()),
            {"reception", "counsellor", "admin"},
            granted_by=None,
            signing_key=fake.private_raw,
        )
    key_path = keyfile.path_for(desk.database)
    forged = replace(keyfile.verify(key_path, data_key), authority=fake.public_raw)
    keyfile.write(key_path, forged, data_key)
    for name, password in (("carl", STAFF_PASSWORD), ("admin", ADMIN_PASSWORD)):
        with pytest.raises(AuthorityChanged, match="another authority key"):
            auth.unlock(desk.database, name, password)


def test_role_changes_are_signed_audited_and_shown_to_the_counsellor(
    desk: DeskFixture, admin_desk: OpenDesk, counsellor: OpenDesk
) -> None:
    rita = next(u for u in accounts.list_users(admin_desk) if u.user_name == "rita")
    accounts.set_roles(admin_desk, rita.id, frozenset({Role.RECEPTION, Role.COUNSELLOR}))
    [asking] = notes_access.waiting(counsellor)
    assert asking.user.id == rita.id
    assert asking.granted_by == "Ada Admin" and asking.granted_at is not None
    with counsellor.transaction() as session:
        changed = session.scalars(
            select(AuditEvent.target_id).where(AuditEvent.action == audit.ACCOUNT_ROLES)
        ).all()
        verified = grants.Grants(session, counsellor.desk.id, counsellor.authority or b"").verified(
            rita.id
        )
    assert changed == [rita.id]
    assert verified is not None and verified.roles == {"reception", "counsellor"}
    assert verified.granted_by == admin_desk.user.id
    # A new administrator's grants hold, signed by the first one's certified key.
    bea = accounts.add_user(
        admin_desk, NewAccount("bea", "Bea", frozenset({Role.ADMIN}), ADMIN_PASSWORD)
    )
    accounts.change_own_password(
        auth.unlock(desk.database, "bea", ADMIN_PASSWORD), ADMIN_PASSWORD, "new " + ADMIN_PASSWORD
    )
    second = auth.unlock(desk.database, "bea", "new " + ADMIN_PASSWORD)
    try:
        assert second.user.roles == frozenset({Role.ADMIN})
        accounts.set_roles(second, rita.id, frozenset({Role.RECEPTION}))
        assert notes_access.waiting(counsellor) == []
    finally:
        second.close()
    assert bea.id


def test_a_recovery_reset_keeps_the_roles_signed(desk: DeskFixture) -> None:
    accounts.reset_password_with_recovery_key(
        desk.database, desk.created.recovery_key, "carl", "violet orchard ember 93"
    )
    accounts.reset_password_with_recovery_key(
        desk.database, desk.created.recovery_key, "admin", "violet orchard ember 94"
    )
    carl = auth.unlock(desk.database, "carl", "violet orchard ember 93")
    admin = auth.unlock(desk.database, "admin", "violet orchard ember 94")
    try:
        assert carl.user.roles == frozenset({Role.COUNSELLOR})
        assert admin.user.roles == frozenset({Role.ADMIN})
        assert admin.account_key()  # a new key, granted by the authority: it can grant
        accounts.list_users(admin)
    finally:
        carl.close()
        admin.close()


def make_legacy(desk: DeskFixture) -> None:
    """Put the desk back as Havre made it before grants: no authority, no account keys,
    no grants (the slots made again with the same passwords, as the old Havre did)."""
    admin = desk.unlock()
    carl = desk.unlock("carl", STAFF_PASSWORD)
    data_key, notes_key = admin.data_key(), carl.notes_key()
    users = {u.user_name: u.id for u in accounts.list_users(admin)}
    params = keyfile.read(keyfile.path_for(desk.database)).slots[0].kdf
    with admin.transaction() as session:
        session.execute(text("DELETE FROM role_grant"))
        # Nor were events signed then (the triggers that keep the log are put back as
        # they were).
        triggers = session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        ).all()
        for name, _sql in triggers:
            session.execute(text(f"DROP TRIGGER {name}"))
        session.execute(text("UPDATE audit_event SET signature = NULL"))
        # The set-up's grants are its first events: without them the log starts later.
        session.execute(text("DELETE FROM audit_event WHERE action = 'account.grant'"))
        rechain(session)
        for _name, sql in triggers:
            session.execute(text(sql))
    admin.close()
    carl.close()
    key_path = keyfile.path_for(desk.database)
    old = keyfile.KeyFile(keyfile.read(key_path).desk_id, keyfile.read(key_path).name_salt, ())
    for name, password, notes in (
        ("admin", ADMIN_PASSWORD, None),
        ("rita", STAFF_PASSWORD, None),
        ("carl", STAFF_PASSWORD, notes_key),
    ):
        keys = keyfile.SlotKeys(data_key, notes)
        old = old.with_slot(keyfile.make_user_slot(old, users[name], name, password, keys, params))
    recovery = keyfile.SlotKeys(data_key, notes_key)
    old = old.with_slot(
        keyfile.make_recovery_slot(old, desk.created.recovery_key, recovery, params)
    )
    keyfile.write(key_path, old, data_key)


def test_a_desk_made_before_grants_gets_its_authority_at_an_administrators_sign_in(
    desk: DeskFixture,
) -> None:
    make_legacy(desk)
    rita = desk.unlock("rita", STAFF_PASSWORD)  # not an administrator: nothing changes yet
    assert rita.authority is None and rita.user.roles == frozenset({Role.RECEPTION})
    rita.close()
    assert keyfile.read(keyfile.path_for(desk.database)).authority is None

    admin = desk.unlock()
    try:
        assert admin.authority is not None
        assert admin.account_key() and admin.user.roles == frozenset({Role.ADMIN})
        # The authority is a key of its own, held by the recovery key only.
        assert crypto.signing_public(admin.account_key()) != admin.authority
        listed = {u.user_name: u.roles for u in accounts.list_users(admin)}
        assert listed["carl"] == frozenset({Role.COUNSELLOR})
    finally:
        admin.close()
    key_file = keyfile.read(keyfile.path_for(desk.database))
    assert key_file.authority is not None
    assert all(s.sealed_account_key is not None for s in key_file.slots)
    carl = desk.unlock("carl", STAFF_PASSWORD)
    try:
        assert carl.user.roles == frozenset({Role.COUNSELLOR}) and carl.account_key()
    finally:
        carl.close()
    # The log says what it proves: unsigned before the authority, signed since.
    admin = desk.unlock()
    try:
        assert audit_log.verify(admin).intact
    finally:
        admin.close()
    # Carl's slot now binds the authority: replacing it locks him out with the reason.
    carl_slot = keyfile.read(keyfile.path_for(desk.database)).slot_by_id(carl.user.id)
    assert carl_slot is not None and carl_slot.authority == key_file.authority


def test_a_slot_remade_by_hand_under_the_insiders_password_opens_no_role(
    desk: DeskFixture, reception: OpenDesk
) -> None:
    """Found by an independent review: the insider replaced the administrator's slot with
    one of its own password (the data key is all it takes) and signed in as the admin."""
    admin_id = next(u for u in accounts.list_users(desk.unlock()) if u.user_name == "admin").id
    data_key = reception.data_key()
    key_path = keyfile.path_for(desk.database)
    current = keyfile.verify(key_path, data_key)
    params = current.slots[0].kdf
    fake = keyfile.make_user_slot(
        current,
        admin_id,
        "admin",
        "insider chosen secret 99",
        keyfile.SlotKeys(data_key, None),
        params,
    )
    keyfile.write(key_path, current.with_slot(fake), data_key)
    posing = auth.unlock(desk.database, "admin", "insider chosen secret 99")
    try:
        assert posing.user.roles == frozenset()
        with pytest.raises(AccessDenied):
            accounts.list_users(posing)
    finally:
        posing.close()


def test_a_recovery_reset_refuses_an_authority_the_insider_replaced(
    desk: DeskFixture, reception: OpenDesk
) -> None:
    """Found by the review: the insider names its own authority in the key file and seals
    it into the recovery slot; the recovery reset must not then grant in its name."""
    data_key = reception.data_key()
    fake = crypto.new_signing_key()
    key_path = keyfile.path_for(desk.database)
    current = replace(keyfile.verify(key_path, data_key), authority=fake.public_raw)
    recovery = current.recovery_slot()
    assert recovery is not None
    current = current.with_slot(
        keyfile.with_account_key(current.desk_id, recovery, fake.private_raw)
    )
    keyfile.write(key_path, current, data_key)
    with pytest.raises(AuthorityChanged):
        accounts.reset_password_with_recovery_key(
            desk.database, desk.created.recovery_key, "admin", "violet orchard ember 94"
        )


def test_deleting_the_newest_grant_to_bring_back_a_role_shows_at_audit_verify(
    desk: DeskFixture, admin_desk: OpenDesk
) -> None:
    """Found by the review: rita, made a counsellor and then reception again, deleted her
    newest grant: the older one, still valid, made her a counsellor again."""
    rita_id = next(u.id for u in accounts.list_users(admin_desk) if u.user_name == "rita")
    accounts.set_roles(admin_desk, rita_id, frozenset({Role.RECEPTION, Role.COUNSELLOR}))
    accounts.set_roles(admin_desk, rita_id, frozenset({Role.RECEPTION}))
    insider = desk.unlock("rita", STAFF_PASSWORD)
    with insider.transaction() as session:
        newest = session.scalars(
            select(RoleGrant.id).where(RoleGrant.user_id == rita_id).order_by(RoleGrant.id.desc())
        ).first()
        session.execute(text("DELETE FROM role_grant WHERE id = :id"), {"id": newest})
    insider.close()

    report = audit_log.verify(admin_desk)
    assert not report.intact and report.grants_changed
    assert "role grants that are gone or changed" in report.message
