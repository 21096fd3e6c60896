"""A second independent review played the insider again (a reception account holding the
data key: any row, any key file whose MAC it recomputes, its own password and account key)
against the protections of issue 19, and found these open. Each test is the attack as it
was found; it must now be refused or named by `audit verify`."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app import clock, crypto, keyfile
from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.domain.sessions import SessionForm
from app.errors import GrantsDamaged, KeyFileTampered
from app.services import (
    accounts,
    audit,
    audit_anchor,
    audit_log,
    auth,
    backup,
    grants,
    key_rotation,
    notes_access,
    restore,
    sessions,
)
from app.services.database import open_desk_database
from app.services.open_desk import OpenDesk
from db import engine as db_engine
from db.audit_chain import event_hash
from db.models import AuditEvent, User
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, DeskFixture
from tests.counts_support import intake_on

pytestmark = pytest.mark.dates


def ids(admin: OpenDesk) -> dict[str, str]:
    return {u.user_name: u.id for u in accounts.list_users(admin)}


def verified_by_admin(desk: DeskFixture, given: audit_anchor.Anchor | None = None) -> object:
    admin = desk.unlock()
    try:
        return audit_log.verify(admin, given)
    finally:
        admin.close()


def test_a_demoting_grant_moved_to_another_account_is_named(desk: DeskFixture) -> None:
    """Rita moved the grant that demoted her onto another account: her older admin grant
    was the newest again, and the digest the log kept (of the signature only) still
    matched."""
    admin = desk.unlock()
    users = ids(admin)
    accounts.set_roles(admin, users["rita"], frozenset({Role.RECEPTION, Role.ADMIN}))
    accounts.set_roles(admin, users["rita"], frozenset({Role.RECEPTION}))
    accounts.set_roles(admin, users["carl"], frozenset({Role.COUNSELLOR}))
    anchor = audit_anchor.make(admin)
    auth.lock(admin)
    rita = desk.unlock("rita", STAFF_PASSWORD)
    with rita.transaction() as session:
        demotion = session.execute(
            text("SELECT max(id) FROM role_grant WHERE user_id = :u"), {"u": users["rita"]}
        ).scalar_one()
        session.execute(
            text("UPDATE role_grant SET user_id = :c WHERE id = :g"),
            {"c": users["carl"], "g": demotion},
        )
    rita.close()

    report = verified_by_admin(desk, anchor)
    assert isinstance(report, audit_log.ChainReport)
    assert not report.intact and report.grants_changed


def test_a_disabled_account_put_back_by_hand_has_no_role_and_no_new_key(
    desk: DeskFixture, tmp_path: Path
) -> None:
    """Disabling only cleared a row flag: rita's old slot put back and the flag set again
    gave her old roles, and a rotation sealed the new data key to her."""
    key_path = keyfile.path_for(desk.database)
    admin = desk.unlock()
    rita_id = ids(admin)["rita"]
    accounts.set_roles(admin, rita_id, frozenset({Role.RECEPTION, Role.COORDINATOR}))
    old = keyfile.read(key_path)
    accounts.disable_user(admin, rita_id)
    [shown] = [u for u in accounts.list_users(admin) if u.id == rita_id]
    assert shown.roles == frozenset({Role.RECEPTION, Role.COORDINATOR})  # what enabling gives
    admin.close()

    slot = old.slot_by_id(rita_id)
    assert slot is not None
    data_key = keyfile.open_slot(old, slot, STAFF_PASSWORD).data_key
    engine = open_desk_database(desk.database, bytearray(data_key))
    try:
        with Session(engine) as session, session.begin():
            session.execute(text("UPDATE user SET active = 1 WHERE id = :u"), {"u": rita_id})
    finally:
        db_engine.close_database(engine)
    keyfile.write(key_path, keyfile.verify(key_path, data_key).with_slot(slot), data_key)

    back = desk.unlock("rita", STAFF_PASSWORD)
    assert back.user.roles == frozenset()
    back.close()
    usb = tmp_path / "usb"
    usb.mkdir()
    done = key_rotation.rotate(desk.database, "admin", ADMIN_PASSWORD, usb)
    assert done.unconfirmed == 1
    assert keyfile.read(key_path).slot_by_id(rita_id) is None

    # Enabled again by an administrator, the account gets back the roles it held.
    admin = desk.unlock()
    try:
        with admin.transaction() as session:
            session.execute(text("UPDATE user SET active = 0 WHERE id = :u"), {"u": rita_id})
        enabled = accounts.enable_user(admin, rita_id, "violet orchard ember 93")
    finally:
        admin.close()
    assert enabled.roles == frozenset({Role.RECEPTION, Role.COORDINATOR})


def test_a_notes_key_given_by_a_former_counsellor_is_not_used(desk: DeskFixture) -> None:
    """Rita had been a counsellor for a moment (never given the notes key); she sealed a
    notes key of her own to carl's slot and a waiting counsellor's, signed with her key."""
    admin = desk.unlock()
    rita_id = ids(admin)["rita"]
    accounts.set_roles(admin, rita_id, frozenset({Role.RECEPTION, Role.COUNSELLOR}))
    accounts.set_roles(admin, rita_id, frozenset({Role.RECEPTION}))
    nina = accounts.add_user(
        admin, NewAccount("nina", "Nina", frozenset({Role.COUNSELLOR}), STAFF_PASSWORD)
    )
    admin.close()
    rita = desk.unlock("rita", STAFF_PASSWORD)
    planted = crypto.new_data_key()
    data_key, path = rita.data_key(), rita.key_file_path
    key_file = keyfile.verify(path, data_key)
    for slot in (key_file.user_slot("carl"), key_file.slot_by_id(nina.id)):
        assert slot is not None
        key_file = key_file.with_slot(
            keyfile.with_notes_key(key_file.desk_id, slot, planted, rita.account_key())
        )
    keyfile.write(path, key_file, data_key)
    rita.close()

    for name in ("carl", "nina"):
        opened = desk.unlock(name, STAFF_PASSWORD)
        try:
            assert not opened.holds_notes_key  # not used: the counsellor waits for it again
            with opened.transaction() as session:
                refused = session.scalars(
                    select(AuditEvent.target_id).where(AuditEvent.action == audit.NOTES_KEY_REFUSED)
                ).all()
            assert opened.user.id in refused
        finally:
            opened.close()
    assert isinstance(verified_by_admin(desk), audit_log.ChainReport)


def test_a_notes_key_given_by_a_colleague_who_left_since_still_opens(
    desk: DeskFixture, admin_desk: OpenDesk
) -> None:
    """The other side of the rule above: a counsellor signs the key again at sign-in, so the
    colleague who gave it may leave without stranding anyone."""
    users = ids(admin_desk)
    nina = accounts.add_user(
        admin_desk, NewAccount("nina", "Nina", frozenset({Role.COUNSELLOR}), STAFF_PASSWORD)
    )
    carl = desk.unlock("carl", STAFF_PASSWORD)
    notes_access.give(carl, nina.id)
    carl.close()
    desk.unlock("nina", STAFF_PASSWORD).close()  # signs it with her own key
    accounts.set_roles(admin_desk, users["carl"], frozenset({Role.RECEPTION}))
    again = desk.unlock("nina", STAFF_PASSWORD)
    try:
        assert again.holds_notes_key
    finally:
        again.close()


def backup_with_an_authority_of_ritas(desk: DeskFixture, usb: Path) -> tuple[Path, str]:
    """Rita's backup on the stick: an authority of hers grants carl's account rita's key, and
    her own slot of the backup, which her password opens, is made again to bind it."""
    admin = desk.unlock()
    saved = backup.make_backup(admin, usb / "SG-backup.havre").database
    auth.lock(admin)
    rita = desk.unlock("rita", STAFF_PASSWORD)
    data_key, rita_key, rita_id = rita.data_key(), rita.account_key(), rita.user.id
    rita.close()
    fake = crypto.new_signing_key()
    engine = open_desk_database(saved, bytearray(data_key))
    try:
        with Session(engine) as session, session.begin():
            carl_id = session.scalar(select(User.id).where(User.user_name == "carl"))
            assert carl_id is not None
            grants.record(
                session,
                desk.created.desk_id,
                carl_id,
                crypto.signing_public(rita_key),
                {"counsellor", "admin"},
                granted_by=None,
                signing_key=fake.private_raw,
            )
    finally:
        db_engine.close_database(engine)
    path = keyfile.path_for(saved)
    forged = replace(keyfile.verify(path, data_key), authority=fake.public_raw)
    keys = keyfile.SlotKeys(data_key, None, rita_key)
    params = forged.slots[0].kdf
    own = keyfile.make_user_slot(forged, rita_id, "rita", STAFF_PASSWORD, keys, params)
    keyfile.write(path, forged.with_slot(own), data_key)
    return saved, crypto.fingerprint(fake.public_raw)


def test_a_backup_given_an_authority_of_the_insiders_is_not_restored(
    desk: DeskFixture, tmp_path: Path
) -> None:
    """The restore signed, with the administrator's real key, a grant binding carl's account
    to rita's key; a slot of hers for carl then got the notes key from a colleague."""
    usb = tmp_path / "usb"
    usb.mkdir()
    saved, fake_sheet = backup_with_an_authority_of_ritas(desk, usb)
    before = keyfile.path_for(desk.database).read_bytes()
    # The administrator's own slot in the backup binds the real authority...
    with pytest.raises(backup.BackupDamaged, match="another authority key"):
        restore.restore(saved, desk.database, "admin", ADMIN_PASSWORD)
    # ...and opened through rita's slot, the backup's authority is not the desk's.
    with pytest.raises(restore.BackupAuthorityRefused, match="another authority key"):
        restore.restore(
            saved,
            desk.database,
            "admin",
            ADMIN_PASSWORD,
            backup_user="rita",
            backup_password=STAFF_PASSWORD,
        )
    assert keyfile.path_for(desk.database).read_bytes() == before
    # With no desk to compare it with, the recovery sheet's fingerprint decides.
    keyfile.path_for(desk.database).unlink()
    with pytest.raises(restore.BackupAuthorityRefused, match="not the one given"):
        restore.restore(
            saved,
            desk.database,
            "rita",
            STAFF_PASSWORD,
            authority_fingerprint=desk.created.authority_fingerprint,
        )
    assert fake_sheet != desk.created.authority_fingerprint


def test_an_account_renamed_before_a_restore_gets_no_role_back(
    desk: DeskFixture, tmp_path: Path
) -> None:
    """Rita renamed her own row on the desk about to be replaced, so that the restore did
    not know her and gave her back the counsellor role the backup held."""
    usb = tmp_path / "usb"
    usb.mkdir()
    admin = desk.unlock()
    carl = desk.unlock("carl", STAFF_PASSWORD)
    rita_id = ids(admin)["rita"]
    accounts.set_roles(admin, rita_id, frozenset({Role.RECEPTION, Role.COUNSELLOR}))
    notes_access.give(carl, rita_id)
    carl.close()
    saved = backup.make_backup(admin, usb / "SG-backup.havre").database
    accounts.set_roles(admin, rita_id, frozenset({Role.RECEPTION}))
    auth.lock(admin)
    rita = desk.unlock("rita", STAFF_PASSWORD)
    with rita.driver_connection() as raw:
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute(
            "UPDATE user SET id = 'gone-' || id, name_key = 'zz' || name_key WHERE id = ?",
            (rita_id,),
        )
        raw.commit()
    rita.close()

    done = restore.restore(saved, desk.database, "admin", ADMIN_PASSWORD)
    assert done.roles_reduced >= 1
    back = desk.unlock("rita", STAFF_PASSWORD)
    try:
        assert Role.COUNSELLOR not in back.user.roles and not back.holds_notes_key
    finally:
        back.close()


def test_a_removed_recovery_slot_stops_a_rotation(desk: DeskFixture, tmp_path: Path) -> None:
    rita = desk.unlock("rita", STAFF_PASSWORD)
    data_key, path = rita.data_key(), rita.key_file_path
    rita.close()
    keyfile.write(
        path, keyfile.verify(path, data_key).without_slot(keyfile.RECOVERY_SLOT_ID), data_key
    )
    with pytest.raises(KeyFileTampered):
        key_rotation.rotate(desk.database, "admin", ADMIN_PASSWORD, tmp_path)


@pytest.mark.parametrize(
    "action", [audit.PASSWORD_RESET, audit.KEY_ROTATED, audit.ACCOUNT_CREATED, audit.DESK_CREATED]
)
def test_an_unsigned_event_added_in_an_administrators_name_is_named(
    desk: DeskFixture, action: str
) -> None:
    """Events made outside a signed-in session were allowed unsigned whoever they named:
    rita appended some in the administrator's name."""
    admin = desk.unlock()
    admin_id = admin.user.id
    auth.lock(admin)
    rita = desk.unlock("rita", STAFF_PASSWORD)
    with rita.transaction() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
        at = clock.now()
        chain_hash = event_hash(last.chain_hash, at, admin_id, action, "user", admin_id, audit.OK)
        forged = AuditEvent(
            occurred_at=at,
            user_id=admin_id,
            action=action,
            target_type="user",
            target_id=admin_id,
            outcome=audit.OK,
            chain_hash=chain_hash,
            signature=None,
        )
        session.add(forged)
        session.flush()
        head = (forged.id, chain_hash)
    data_key = rita.data_key()
    rita.close()
    path = keyfile.path_for(desk.database)
    keyfile.write(path, replace(keyfile.verify(path, data_key), audit_head=head), data_key)

    report = verified_by_admin(desk)
    assert isinstance(report, audit_log.ChainReport)
    assert not report.intact and head[0] in report.signatures.unsigned


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE role_grant SET granted_at = 'garbage'",
        "UPDATE role_grant SET account_key = 'text'",
        "UPDATE role_grant SET signature = 'text'",
    ],
)
def test_a_grant_row_of_the_wrong_type_is_a_clear_refusal(desk: DeskFixture, change: str) -> None:
    rita = desk.unlock("rita", STAFF_PASSWORD)
    with rita.transaction() as session:
        session.execute(text(change))
    rita.close()
    with pytest.raises(GrantsDamaged, match="changed outside Havre"):
        desk.unlock()


def test_a_counsellor_of_now_still_writes_and_reads_notes(desk: DeskFixture) -> None:
    """What the rules above must not break: the notes of the desk's own counsellor."""
    rita = desk.unlock("rita", STAFF_PASSWORD)
    case_id = intake_on(rita, datetime(2026, 10, 2).date())
    rita.close()
    carl = desk.unlock("carl", STAFF_PASSWORD)
    try:
        held = datetime(2026, 10, 2, 11, tzinfo=UTC)
        saved = sessions.add_session(carl, case_id, SessionForm(held, notes="kept-note-1"))
        assert sessions.session_form(carl, saved.id).notes == "kept-note-1"
    finally:
        carl.close()
