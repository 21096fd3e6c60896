"""Backup and restore: a backup is a verified Havre desk that opens with the same
passwords; a restore checks it first, sets the replaced desk aside and changes nothing on
any refusal."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from app import clock
from app.domain.cases import CaseQuery
from app.errors import (
    AccessDenied,
    DatabaseInUse,
    DatabaseTooNew,
    TargetExists,
    ValidationError,
    WrongCredentials,
)
from app.instance_lock import DeskLock
from app.progress import Progress, ProgressState
from app.services import audit_log, auth, backup, cases, desk_settings, intake, restore
from app.services.backup import BackupDamaged
from app.services.open_desk import OpenDesk
from db import engine as db_engine
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, DeskFixture
from tests.factories import named_intake

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates


def test_a_backup_opens_with_the_same_passwords_and_holds_the_cases(
    desk: DeskFixture, tmp_path: Path
) -> None:
    reception = desk.unlock("rita", STAFF_PASSWORD)
    saved = intake.record_intake(reception, named_intake("Backupia"))
    auth.lock(reception)
    admin = desk.unlock()
    assert backup.backup_overdue(admin)  # never backed up
    target = tmp_path / "usb" / "SG-backup.havre"
    target.parent.mkdir()
    seen: list[ProgressState] = []
    made = backup.make_backup(admin, target, progress=Progress(seen.append))
    assert made.database == target and made.key_file.exists() and made.bytes > 0
    # Told how far it is, without Cancel: each step is one call that cannot be interrupted.
    assert len({s.text for s in seen}) == 2 and not any(s.cancellable for s in seen)
    assert (seen[-1].done, seen[-1].total) == (2, 2)
    assert not backup.backup_overdue(admin)
    assert backup.backup_overdue(admin, clock.now() + timedelta(days=8))
    assert target.read_bytes()[:16] != b"SQLite format 3\x00"
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []
    with pytest.raises(TargetExists):
        backup.make_backup(admin, target)
    auth.lock(admin)
    copy = auth.unlock(target, "rita", STAFF_PASSWORD)
    try:
        assert found(copy, "Backupia") == [saved.case_id]
    finally:
        copy.close()


def found(desk: OpenDesk, words: str) -> list[str]:
    return cases.find_case_ids(desk, CaseQuery(words))


def test_only_the_administrator_backs_up(reception: OpenDesk, tmp_path: Path) -> None:
    with pytest.raises(AccessDenied):
        backup.make_backup(reception, tmp_path / "b.havre")
    assert not (tmp_path / "b.havre").exists()


def test_bad_targets_are_refused(admin_desk: OpenDesk, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"must end in \.havre"):
        backup.make_backup(admin_desk, tmp_path / "b.zip")
    with pytest.raises(ValidationError, match="cannot replace the desk"):
        backup.make_backup(admin_desk, admin_desk.database, replace=True)


def made_backup(desk: DeskFixture, folder: Path) -> Path:
    admin = desk.unlock()
    try:
        return backup.make_backup(admin, folder / "SG-backup.havre").database
    finally:
        auth.lock(admin)


def test_restore_puts_the_backup_back_and_keeps_the_replaced_desk(
    desk: DeskFixture, tmp_path: Path
) -> None:
    saved = made_backup(desk, tmp_path)
    reception = desk.unlock("rita", STAFF_PASSWORD)
    intake.record_intake(reception, named_intake("After the backup"))
    auth.lock(reception)
    set_aside = restore.restore(saved, desk.database, "admin", ADMIN_PASSWORD).set_aside
    assert set_aside is not None
    assert set_aside.exists() and set_aside.with_name(set_aside.name + ".keys").exists()
    reception = desk.unlock("rita", STAFF_PASSWORD)
    try:
        assert found(reception, "After") == []
    finally:
        reception.close()
    admin = desk.unlock()
    try:
        report = audit_log.verify(admin)
        assert report.broken is None
        listed = audit_log.entries(admin, audit_log.AuditFilter(action="backup.restore"))
        assert len(listed) == 1
    finally:
        admin.close()
    # The replaced desk is still whole: it holds the contact made after the backup.
    before = auth.unlock(set_aside, "rita", STAFF_PASSWORD)
    try:
        assert len(found(before, "After")) == 1
    finally:
        before.close()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_a_backup_that_fails_a_check_changes_nothing(desk: DeskFixture, tmp_path: Path) -> None:
    saved_folder = tmp_path / "saved"
    saved_folder.mkdir()
    saved = made_backup(desk, saved_folder)
    before = snapshot(desk.database.parent)
    with pytest.raises(WrongCredentials):
        restore.restore(saved, desk.database, "admin", "not the password")
    with pytest.raises(WrongCredentials):
        restore.restore(saved, desk.database, "nobody", ADMIN_PASSWORD)
    damaged = saved_folder / "damaged.havre"
    data = bytearray(saved.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one bit in an encrypted page
    damaged.write_bytes(bytes(data))
    (saved_folder / "damaged.havre.keys").write_bytes(
        saved.with_name(saved.name + ".keys").read_bytes()
    )
    with pytest.raises(BackupDamaged, match=r"damaged encrypted pages|does not open"):
        restore.restore(damaged, desk.database, "admin", ADMIN_PASSWORD)
    no_keys = saved_folder / "alone.havre"
    no_keys.write_bytes(saved.read_bytes())
    with pytest.raises(BackupDamaged, match="key file is missing"):
        restore.restore(no_keys, desk.database, "admin", ADMIN_PASSWORD)
    assert snapshot(desk.database.parent) == before


def test_a_backup_from_a_newer_havre_is_refused(desk: DeskFixture, tmp_path: Path) -> None:
    saved = made_backup(desk, tmp_path)
    admin = desk.unlock()
    data_key = admin.data_key()
    admin.close()
    engine = db_engine.open_database(saved, data_key)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    db_engine.close_database(engine)
    before = snapshot(desk.database.parent)
    with pytest.raises(DatabaseTooNew):
        restore.restore(saved, desk.database, "admin", ADMIN_PASSWORD)
    assert snapshot(desk.database.parent) == before


def test_restore_refuses_a_desk_that_is_open(desk: DeskFixture, tmp_path: Path) -> None:

    saved = made_backup(desk, tmp_path)
    with DeskLock(desk.database), pytest.raises(DatabaseInUse):
        restore.restore(saved, desk.database, "admin", ADMIN_PASSWORD)


def test_the_reminder_is_set_by_the_administrator_within_bounds(
    admin_desk: OpenDesk, reception: OpenDesk
) -> None:
    for days in (0, 91):
        with pytest.raises(ValidationError, match="between 1 and 90 days"):
            desk_settings.set_backup_reminder_days(admin_desk, days)
    with pytest.raises(AccessDenied):
        desk_settings.set_backup_reminder_days(reception, 10)
    desk_settings.set_backup_reminder_days(admin_desk, 10)
    assert desk_settings.backup_reminder_days(admin_desk) == 10
