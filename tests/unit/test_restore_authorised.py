"""Restores are authorised and visible (issue 19, point 2), written as the attackers who
found them open: a desk replaced by another desk's backup through that desk's reception
account, a reception account restoring its own desk, a departed colleague bringing their
account back, and an insider editing the record of a restore afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from app import keyfile
from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.errors import AccessDenied, AccountDisabled, WrongCredentials
from app.services import accounts, audit_log, auth, backup, intake, notes_access, restore
from app.services.database import open_desk_database
from app.services.desk import create_desk
from db import engine as db_engine
from tests.conftest import ADMIN_PASSWORD, FAST_KDF, STAFF_PASSWORD, DeskFixture, desk_setup
from tests.factories import named_intake

pytestmark = pytest.mark.dates


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def backup_of(database: Path, folder: Path, name: str) -> Path:
    admin = auth.unlock(database, "admin", ADMIN_PASSWORD)
    try:
        return backup.make_backup(admin, folder / name).database
    finally:
        auth.lock(admin)


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


@pytest.fixture
def other_desk(tmp_path: Path, usb: Path) -> tuple[Path, str]:
    """A backup of desk ES, whose accounts have the same names and passwords as SG's, and
    the authority fingerprint on ES's recovery sheet."""
    other = tmp_path / "es" / "desk.havre"
    other.parent.mkdir()
    created = create_desk(desk_setup(other, desk_code="ES", nis_code="62032"), kdf=FAST_KDF)
    return backup_of(other, usb, "ES-backup.havre"), created.authority_fingerprint


def test_another_desks_backup_is_refused_without_asking_for_it(
    desk: DeskFixture, other_desk: tuple[Path, str]
) -> None:
    other_desk_backup, es_sheet = other_desk
    folder = desk.database.parent
    # The finding: the other desk's reception account replaced this desk.
    with pytest.raises(restore.OtherDeskBackup):
        restore.restore(other_desk_backup, desk.database, "rita", STAFF_PASSWORD)
    with pytest.raises(AccessDenied):
        restore.restore(
            other_desk_backup,
            desk.database,
            "rita",
            STAFF_PASSWORD,
            other_desk=True,
            authority_fingerprint=es_sheet,
        )
    before = snapshot(folder)
    with pytest.raises(restore.OtherDeskBackup, match="backup of another desk"):
        restore.restore(other_desk_backup, desk.database, "admin", ADMIN_PASSWORD)
    assert snapshot(folder) == before
    # Another desk's backup cannot be compared with this desk: its own recovery sheet
    # says which authority its roles must come from.
    for sheet in (None, desk.created.authority_fingerprint):
        with pytest.raises(restore.BackupAuthorityRefused, match="recovery sheet"):
            restore.restore(
                other_desk_backup,
                desk.database,
                "admin",
                ADMIN_PASSWORD,
                other_desk=True,
                authority_fingerprint=sheet,
            )
    assert snapshot(folder) == before

    done = restore.restore(
        other_desk_backup,
        desk.database,
        "admin",
        ADMIN_PASSWORD,
        other_desk=True,
        authority_fingerprint=es_sheet.lower(),
    )
    admin = desk.unlock()
    try:
        assert admin.desk.code == "ES"
        report = audit_log.verify(admin)
    finally:
        admin.close()
    assert report.intact
    [seen] = report.restores
    assert seen.other_desk and seen.backup_desk_code == "ES" and seen.restored_by == "admin"
    assert done.events_missing is not None and done.events_missing > 0
    assert "a backup of another desk, ES" in report.message


def test_a_reception_account_cannot_restore_its_own_desk(desk: DeskFixture, usb: Path) -> None:
    saved = backup_of(desk.database, usb, "SG-backup.havre")
    before = snapshot(desk.database.parent)
    with pytest.raises(AccessDenied):
        restore.restore(saved, desk.database, "rita", STAFF_PASSWORD)
    # Everything but the sign-in, which the desk audits, is as it was.
    assert snapshot(desk.database.parent).keys() == before.keys()
    assert (desk.database.parent / "desk.havre.keys").read_bytes() == before["desk.havre.keys"]


def test_a_departed_colleague_stays_out_after_a_restore(desk: DeskFixture, usb: Path) -> None:
    admin = desk.unlock()
    accounts.add_user(admin, NewAccount("lea", "Lea Left", frozenset({Role.ADMIN}), STAFF_PASSWORD))
    admin.close()
    saved = backup_of(desk.database, usb, "SG-backup.havre")  # Lea is active in it
    reception = desk.unlock("rita", STAFF_PASSWORD)
    intake.record_intake(reception, named_intake("After the backup"))
    auth.lock(reception)
    admin = desk.unlock()
    leaver = next(u.id for u in accounts.list_users(admin) if u.user_name == "lea")
    accounts.disable_user(admin, leaver)
    auth.lock(admin)

    # The finding: Lea restored the older backup and was active again.
    with pytest.raises(WrongCredentials):
        restore.restore(saved, desk.database, "lea", STAFF_PASSWORD)

    done = restore.restore(saved, desk.database, "admin", ADMIN_PASSWORD)
    assert done.kept_disabled == 1
    assert done.events_missing is not None and done.events_missing >= 5
    assert keyfile.read(keyfile.path_for(desk.database)).user_slot("lea") is None
    with pytest.raises(WrongCredentials):
        auth.unlock(desk.database, "lea", STAFF_PASSWORD)
    admin = desk.unlock()
    try:
        lea = next(u for u in accounts.list_users(admin) if u.user_name == "lea")
        assert not lea.active
        report = audit_log.verify(admin)
    finally:
        admin.close()
    assert report.intact
    [seen] = report.restores
    assert seen.events_missing == done.events_missing and seen.kept_disabled == 1
    assert f"{done.events_missing} events of the replaced desk's audit log are not in it" in (
        report.message
    )
    assert "SG-backup.havre" in report.message


def test_a_desk_that_does_not_open_is_replaced_only_by_a_backup_administrator(
    desk: DeskFixture, usb: Path
) -> None:
    saved = backup_of(desk.database, usb, "SG-backup.havre")
    keyfile.path_for(desk.database).unlink()  # the desk no longer opens, nor reads
    desk.database.write_bytes(b"\0" * 4096)
    sheet = desk.created.authority_fingerprint
    with pytest.raises(AccessDenied):
        restore.restore(saved, desk.database, "rita", STAFF_PASSWORD, authority_fingerprint=sheet)
    with pytest.raises(restore.BackupAuthorityRefused, match="--authority"):
        restore.restore(saved, desk.database, "admin", ADMIN_PASSWORD)
    done = restore.restore(
        saved, desk.database, "admin", ADMIN_PASSWORD, authority_fingerprint=sheet
    )
    assert done.events_missing is None
    admin = desk.unlock()
    try:
        report = audit_log.verify(admin)
    finally:
        admin.close()
    assert "did not open" in report.message


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        ("UPDATE desk_restore SET events_missing = 0", "was changed after it was made"),
        # Found by the review: deleting the record hid the restore altogether.
        ("DELETE FROM desk_restore", "whose record is gone"),
    ],
)
def test_the_record_of_a_restore_cannot_be_edited_unseen(
    desk: DeskFixture, usb: Path, change: str, shown: str
) -> None:
    """An insider holding the data key rewrites the record to hide the missing events."""
    saved = backup_of(desk.database, usb, "SG-backup.havre")
    reception = desk.unlock("rita", STAFF_PASSWORD)
    intake.record_intake(reception, named_intake("Hidden"))
    auth.lock(reception)
    restore.restore(saved, desk.database, "admin", ADMIN_PASSWORD)
    admin = desk.unlock()
    try:
        with admin.transaction() as session:
            session.execute(text(change))
        report = audit_log.verify(admin)
    finally:
        admin.close()
    assert not report.intact
    assert shown in report.message


def test_a_disabled_account_of_the_replaced_desk_cannot_authorise(
    desk: DeskFixture, usb: Path
) -> None:
    admin = desk.unlock()
    second = accounts.add_user(
        admin, NewAccount("bea", "Bea Admin", frozenset({Role.ADMIN}), STAFF_PASSWORD)
    )
    accounts.disable_user(admin, second.id)
    admin.close()
    saved = backup_of(desk.database, usb, "SG-backup.havre")
    with pytest.raises((WrongCredentials, AccountDisabled)):
        restore.restore(saved, desk.database, "bea", STAFF_PASSWORD)


def test_a_role_row_written_into_a_backup_authorises_nothing(desk: DeskFixture, usb: Path) -> None:
    """Found by the review: reception, holding the data key, wrote itself an admin role row
    into a backup, removed the desk's key file so that the desk no longer opened, and
    restored the backup as the backup's "administrator"."""
    saved = backup_of(desk.database, usb, "SG-backup.havre")
    rita = desk.unlock("rita", STAFF_PASSWORD)
    data_key = bytearray(rita.data_key())
    rita_id = rita.user.id
    rita.close()
    engine = open_desk_database(saved, data_key)
    try:
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO user_role (user_id, role) VALUES (:user, 'admin')"),
                {"user": rita_id},
            )
    finally:
        db_engine.close_database(engine)
    keyfile.path_for(desk.database).unlink()
    with pytest.raises(AccessDenied):
        restore.restore(
            saved,
            desk.database,
            "rita",
            STAFF_PASSWORD,
            authority_fingerprint=desk.created.authority_fingerprint,
        )
    assert not keyfile.path_for(desk.database).exists()  # nothing was put in place


def test_a_role_taken_away_after_the_backup_stays_taken_away(desk: DeskFixture, usb: Path) -> None:
    """Found by the review: rita, a counsellor when the backup was made and reception only
    since, was a counsellor again, with the notes key, after the restore."""
    admin = desk.unlock()
    carl = desk.unlock("carl", STAFF_PASSWORD)
    rita_id = next(u.id for u in accounts.list_users(admin) if u.user_name == "rita")
    accounts.set_roles(admin, rita_id, frozenset({Role.RECEPTION, Role.COUNSELLOR}))
    notes_access.give(carl, rita_id)
    carl.close()
    auth.lock(admin)
    saved = backup_of(desk.database, usb, "SG-backup.havre")
    admin = desk.unlock()
    accounts.set_roles(admin, rita_id, frozenset({Role.RECEPTION}))
    auth.lock(admin)

    done = restore.restore(saved, desk.database, "admin", ADMIN_PASSWORD)

    assert done.roles_reduced == 1
    assert "1 account keeps only the roles the replaced desk left it" in restore.summary(done)
    rita = desk.unlock("rita", STAFF_PASSWORD)
    try:
        assert rita.user.roles == frozenset({Role.RECEPTION}) and not rita.holds_notes_key
    finally:
        rita.close()
    slot = keyfile.read(keyfile.path_for(desk.database)).slot_by_id(rita_id)
    assert slot is not None and slot.sealed_notes_key is None
    admin = desk.unlock()
    try:
        assert audit_log.verify(admin).intact
    finally:
        admin.close()
