"""A third independent review played the insider (a reception account holding the data key:
any row, any key file or backup it can re-MAC, its own password and account key) against the
fixes of the second, and found these open, or found a legitimate flow the fixes broke. Each
test is the attack or the flow as it was found."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app import clock, crypto, keyfile
from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.domain.sessions import SessionForm
from app.errors import (
    AccountDisabled,
    AuditLogDamaged,
    GrantsDamaged,
    NotesUnreadable,
    ValidationError,
    WrongCredentials,
)
from app.services import (
    accounts,
    audit_log,
    auth,
    backup,
    key_rotation,
    notes_access,
    restore,
    sessions,
)
from app.services.database import open_desk_database
from db import engine as db_engine
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, DeskFixture
from tests.counts_support import intake_on
from tests.unit.test_signed_roles import make_legacy

pytestmark = pytest.mark.dates

NEW_PASSWORD = "violet orchard ember 93"


def ids(desk: DeskFixture) -> dict[str, str]:
    admin = desk.unlock()
    try:
        return {u.user_name: u.id for u in accounts.list_users(admin)}
    finally:
        admin.close()


def sql(database: Path, data_key: bytes, statement: str, **params: object) -> None:
    engine = open_desk_database(database, bytearray(data_key))
    try:
        with Session(engine) as session, session.begin():
            session.execute(text(statement), params)
    finally:
        db_engine.close_database(engine)


def ritas_key_and_slot(desk: DeskFixture) -> tuple[bytes, keyfile.Slot]:
    rita = desk.unlock("rita", STAFF_PASSWORD)
    try:
        data_key = rita.data_key()
    finally:
        rita.close()
    slot = keyfile.read(keyfile.path_for(desk.database)).user_slot("rita")
    assert slot is not None
    return data_key, slot


def put_back(desk: DeskFixture, data_key: bytes, slot: keyfile.Slot, user_id: str) -> None:
    """Rita active again by her row, and her old slot back in the key file."""
    sql(desk.database, data_key, "UPDATE user SET active = 1 WHERE id = :u", u=user_id)
    path = keyfile.path_for(desk.database)
    keyfile.write(path, keyfile.verify(path, data_key).with_slot(slot), data_key)


def ritas_roles(desk: DeskFixture) -> frozenset[Role]:
    back = desk.unlock("rita", STAFF_PASSWORD)
    try:
        return back.user.roles
    finally:
        back.close()


def a_bad_newest_grant(database: Path, data_key: bytes, user_id: str) -> bytes:
    """Of the right types, so not damaged: it only makes the latest grant invalid. Returns
    the key it names, to delete it by."""
    key = os.urandom(32)
    sql(
        database,
        data_key,
        "INSERT INTO role_grant (user_id, account_key, roles, granted_by, granted_at, signature)"
        " VALUES (:u, :k, 'reception', NULL, :at, :s)",
        u=user_id,
        k=key,
        at=clock.now().replace(tzinfo=None).isoformat(sep=" "),
        s=os.urandom(64),
    )
    return key


def delete_newest_grant(database: Path, data_key: bytes, user_id: str) -> None:
    sql(
        database,
        data_key,
        "DELETE FROM role_grant WHERE id = (SELECT max(id) FROM role_grant WHERE user_id = :u)",
        u=user_id,
    )


def test_an_account_whose_name_was_swapped_is_not_acted_on(desk: DeskFixture) -> None:
    """Rita swapped names with a new colleague: the administrator promoting "nina" signed
    the counsellor role to rita's account, and carl gave "nina" the notes key."""
    admin = desk.unlock()
    nina = accounts.add_user(
        admin, NewAccount("nina", "Nina", frozenset({Role.RECEPTION}), STAFF_PASSWORD)
    )
    rita_id = ids(desk)["rita"]
    with admin.transaction() as session:
        for user_id, name in ((rita_id, "tmp"), (nina.id, "rita"), (rita_id, "nina")):
            session.execute(
                text(
                    "UPDATE user SET user_name = :n, name_key = :n, display_name = :n WHERE id = :u"
                ),
                {"n": name, "u": user_id},
            )
    with pytest.raises(ValidationError, match="changed outside Havre"):
        accounts.set_roles(admin, rita_id, frozenset({Role.RECEPTION, Role.COUNSELLOR}))
    with pytest.raises(ValidationError, match="changed outside Havre"):
        accounts.disable_user(admin, nina.id)  # the dismissal of "rita"
    admin.close()
    # Had the role been granted anyway, no counsellor would be offered or give the key.
    carl = desk.unlock("carl", STAFF_PASSWORD)
    try:
        assert [w.user.id for w in notes_access.waiting(carl)] == []
        with pytest.raises(ValidationError):
            notes_access.give(carl, rita_id)
    finally:
        carl.close()


def test_a_restore_keeps_a_disabled_account_without_a_role(
    desk: DeskFixture, tmp_path: Path
) -> None:
    """Kept disabled by its row and slot only: rita set the row and put her slot back."""
    users = ids(desk)
    admin = desk.unlock()
    accounts.set_roles(admin, users["rita"], frozenset({Role.RECEPTION, Role.COORDINATOR}))
    admin.close()
    data_key, rita_slot = ritas_key_and_slot(desk)
    admin = desk.unlock()
    saved = backup.make_backup(admin, tmp_path / "SG-backup.havre").database
    accounts.disable_user(admin, users["rita"])
    admin.close()

    assert restore.restore(saved, desk.database, "admin", ADMIN_PASSWORD).kept_disabled == 1
    put_back(desk, data_key, rita_slot, users["rita"])
    assert ritas_roles(desk) == frozenset()
    usb = tmp_path / "usb"
    usb.mkdir()
    assert key_rotation.rotate(desk.database, "admin", ADMIN_PASSWORD, usb).unconfirmed == 1


def test_a_bad_newest_grant_in_a_backup_brings_no_role_back(
    desk: DeskFixture, tmp_path: Path
) -> None:
    users = ids(desk)
    admin = desk.unlock()
    accounts.set_roles(admin, users["rita"], frozenset({Role.RECEPTION, Role.ADMIN}))
    saved = backup.make_backup(admin, tmp_path / "SG-backup.havre").database
    accounts.set_roles(admin, users["rita"], frozenset({Role.RECEPTION}))
    admin.close()
    data_key, _slot = ritas_key_and_slot(desk)
    a_bad_newest_grant(saved, data_key, users["rita"])

    restore.restore(saved, desk.database, "admin", ADMIN_PASSWORD)
    delete_newest_grant(desk.database, data_key, users["rita"])
    assert Role.ADMIN not in ritas_roles(desk)


def test_disabling_after_a_bad_newest_grant_still_takes_every_role(desk: DeskFixture) -> None:
    users = ids(desk)
    admin = desk.unlock()
    accounts.set_roles(admin, users["rita"], frozenset({Role.RECEPTION, Role.COORDINATOR}))
    admin.close()
    data_key, rita_slot = ritas_key_and_slot(desk)
    bad = a_bad_newest_grant(desk.database, data_key, users["rita"])
    admin = desk.unlock()
    accounts.disable_user(admin, users["rita"])
    admin.close()
    sql(desk.database, data_key, "DELETE FROM role_grant WHERE account_key = :k", k=bad)
    put_back(desk, data_key, rita_slot, users["rita"])
    assert ritas_roles(desk) == frozenset()


def test_a_spoiled_key_file_does_not_strip_a_restore_of_what_it_carries_over(
    desk: DeskFixture, tmp_path: Path
) -> None:
    users = ids(desk)
    admin = desk.unlock()
    accounts.set_roles(admin, users["rita"], frozenset({Role.RECEPTION, Role.ADMIN}))
    saved = backup.make_backup(admin, tmp_path / "SG-backup.havre").database
    accounts.set_roles(admin, users["rita"], frozenset({Role.RECEPTION}))
    accounts.disable_user(admin, users["rita"])
    admin.close()
    path = keyfile.path_for(desk.database)
    document = json.loads(path.read_text())
    document["mac"] = "A" * 43 + "="
    path.write_text(json.dumps(document))

    done = restore.restore(
        saved,
        desk.database,
        "admin",
        ADMIN_PASSWORD,
        authority_fingerprint=desk.created.authority_fingerprint,
    )
    assert done.kept_disabled == 1 and done.events_missing is not None
    with pytest.raises((AccountDisabled, WrongCredentials)):
        desk.unlock("rita", STAFF_PASSWORD)


def test_a_backup_stripped_of_its_authority_is_refused(desk: DeskFixture, tmp_path: Path) -> None:
    admin = desk.unlock()
    saved = backup.make_backup(admin, tmp_path / "SG-backup.havre").database
    admin.close()
    data_key, _slot = ritas_key_and_slot(desk)
    path = keyfile.path_for(saved)
    current = keyfile.verify(path, data_key)
    stripped = keyfile.KeyFile(current.desk_id, current.name_salt, current.slots)
    # Her own slot made again without an authority; the others she cannot remake.
    rita = stripped.user_slot("rita")
    assert rita is not None
    keys = keyfile.SlotKeys(data_key, None)
    own = keyfile.make_user_slot(stripped, rita.id, "rita", STAFF_PASSWORD, keys, rita.kdf)
    keyfile.write(path, stripped.with_slot(own), data_key)
    keyfile.path_for(desk.database).unlink()
    with pytest.raises(restore.BackupAuthorityRefused, match="names no authority"):
        restore.restore(saved, desk.database, "rita", STAFF_PASSWORD)


def test_a_notes_key_planted_while_an_older_desk_gets_its_authority_is_not_used(
    desk: DeskFixture,
) -> None:
    """Carl's slot, from before grants, is not yet certified when the authority is made:
    the authority signs the notes keys already given, and a key planted after is refused."""
    make_legacy(desk)
    desk.unlock().close()  # the administrator's sign-in makes the authority
    data_key, _slot = ritas_key_and_slot(desk)
    path = keyfile.path_for(desk.database)
    key_file = keyfile.verify(path, data_key)
    carl = key_file.user_slot("carl")
    assert carl is not None and not carl.certified
    planted = keyfile.with_notes_key(key_file.desk_id, carl, crypto.new_data_key(), None)
    keyfile.write(path, key_file.with_slot(planted), data_key)
    opened = desk.unlock("carl", STAFF_PASSWORD)
    try:
        assert not opened.holds_notes_key
    finally:
        opened.close()


def test_a_counsellor_keeps_the_notes_key_given_by_one_who_reset_their_password(
    desk: DeskFixture, admin_desk: object
) -> None:
    users = ids(desk)
    admin = desk.unlock()
    nina = accounts.add_user(
        admin, NewAccount("nina", "Nina", frozenset({Role.COUNSELLOR}), STAFF_PASSWORD)
    )
    admin.close()
    carl = desk.unlock("carl", STAFF_PASSWORD)
    notes_access.give(carl, nina.id)
    carl.close()
    accounts.reset_password_with_recovery_key(
        desk.database, desk.created.recovery_key, "carl", NEW_PASSWORD
    )
    opened = desk.unlock("nina", STAFF_PASSWORD)
    try:
        assert opened.holds_notes_key
    finally:
        opened.close()
    assert users["carl"]


def test_an_administrator_who_resets_their_own_password_keeps_their_rights(
    desk: DeskFixture,
) -> None:
    admin = desk.unlock()
    try:
        accounts.reset_password(admin, admin.user.id, desk.created.recovery_key, NEW_PASSWORD)
        assert accounts.list_users(admin)
    finally:
        admin.close()


def test_a_restore_by_an_administrator_whose_key_changed_since_reduces_validly(
    desk: DeskFixture, tmp_path: Path
) -> None:
    users = ids(desk)
    admin = desk.unlock()
    accounts.set_roles(admin, users["rita"], frozenset({Role.RECEPTION, Role.COORDINATOR}))
    saved = backup.make_backup(admin, tmp_path / "SG-backup.havre").database
    accounts.set_roles(admin, users["rita"], frozenset({Role.RECEPTION}))
    auth.lock(admin)
    accounts.reset_password_with_recovery_key(
        desk.database, desk.created.recovery_key, "admin", NEW_PASSWORD
    )
    done = restore.restore(
        saved, desk.database, "admin", NEW_PASSWORD, backup_password=ADMIN_PASSWORD
    )
    assert done.roles_reduced == 1
    assert ritas_roles(desk) == frozenset({Role.RECEPTION})


def rows_by_hand(desk: DeskFixture, statement: str) -> None:
    rita = desk.unlock("rita", STAFF_PASSWORD)
    try:
        with rita.driver_connection() as connection:
            connection.execute("PRAGMA foreign_keys = OFF")
            connection.execute(statement.replace(":rita", f"'{rita.user.id}'"))
            connection.commit()
    finally:
        rita.close()


def test_a_grant_signed_by_a_blob_is_a_clear_refusal(desk: DeskFixture) -> None:
    rows_by_hand(
        desk,
        "INSERT INTO role_grant (user_id, account_key, roles, granted_by, granted_at, signature)"
        " VALUES (:rita, randomblob(32), 'reception', X'00', '2026-11-17 09:00:00',"
        " randomblob(64))",
    )
    for name in ("carl", "admin"):
        with pytest.raises(GrantsDamaged):
            desk.unlock(name, STAFF_PASSWORD if name == "carl" else ADMIN_PASSWORD)


@pytest.mark.parametrize(
    ("column", "value"),
    [("signature", "'text'"), ("occurred_at", "'garbage'"), ("chain_hash", "x'00'")],
)
def test_an_audit_event_of_the_wrong_type_is_a_clear_refusal_or_a_finding(
    desk: DeskFixture, column: str, value: str
) -> None:
    columns = [
        "occurred_at",
        "user_id",
        "action",
        "target_type",
        "target_id",
        "outcome",
        "chain_hash",
        "signature",
    ]
    values = {c: f"(SELECT {c} FROM audit_event ORDER BY id DESC LIMIT 1)" for c in columns}
    values[column] = value
    rows_by_hand(
        desk,
        f"INSERT INTO audit_event ({', '.join(columns)}) SELECT "
        + ", ".join(values[c] for c in columns),
    )
    try:
        admin = desk.unlock()
    except AuditLogDamaged:
        return  # a head that cannot be read: nothing more can be recorded, said in words
    try:
        try:
            report = audit_log.verify(admin)
        except AuditLogDamaged:
            return
        assert not report.intact
    finally:
        admin.close()


def test_notes_that_do_not_open_with_the_key_are_a_clear_refusal(desk: DeskFixture) -> None:
    rita = desk.unlock("rita", STAFF_PASSWORD)
    case_id = intake_on(rita, datetime(2026, 10, 2).date())
    rita.close()
    carl = desk.unlock("carl", STAFF_PASSWORD)
    try:
        held = datetime(2026, 10, 2, 11, tzinfo=UTC)
        saved = sessions.add_session(carl, case_id, SessionForm(held, notes="first-note"))
        with carl.transaction() as session:
            session.execute(
                text("UPDATE listening_session SET sealed_notes = randomblob(60) WHERE id = :i"),
                {"i": saved.id},
            )
        with pytest.raises(NotesUnreadable, match="changed outside Havre"):
            sessions.session_form(carl, saved.id)
    finally:
        carl.close()
