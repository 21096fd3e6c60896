"""Rotating the data key: a verified backup first, every active account and the recovery key
keep access without their passwords being typed, a disabled account's slot is gone, the old
key opens nothing any more, and a crash at any step leaves a desk that opens."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app import clock, crypto, keyfile, rotation_swap
from app.domain import key_change
from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.domain.sessions import SessionForm
from app.errors import AccessDenied, TargetExists, WrongCredentials
from app.progress import Progress, ProgressState
from app.services import (
    accounts,
    audit_log,
    auth,
    backup,
    cases,
    key_rotation,
    keys,
    sessions,
)
from app.services.backup import BackupDamaged
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, DeskFixture
from tests.counts_support import intake_on

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates

NEW_PASSWORD = "violet orchard ember 93"


def test_key_file_mac_of_files_written_before_rotations_still_verifies(desk: DeskFixture) -> None:
    opened = desk.unlock()
    key_file = keyfile.verify(keyfile.path_for(desk.database), opened.data_key())
    assert all(slot.sealed_data_key is None for slot in key_file.slots)
    assert b"sealed_data_key" not in keyfile.path_for(desk.database).read_bytes()
    opened.close()


@pytest.fixture
def prepared(desk: DeskFixture, tmp_path: Path) -> tuple[str, bytes, Path]:
    """A case with a counsellor's note, a departed account; returns the case, the old key and
    the backup folder."""
    admin = desk.unlock()
    old_key = admin.data_key()
    leaver = accounts.add_user(
        admin, NewAccount("lea", "Lea Left", frozenset({Role.RECEPTION}), STAFF_PASSWORD)
    )
    accounts.disable_user(admin, leaver.id)
    admin.close()
    reception = desk.unlock("rita", STAFF_PASSWORD)
    case_id = intake_on(reception, date(2026, 10, 2))
    reception.close()
    counsellor = desk.unlock("carl", STAFF_PASSWORD)
    held = datetime(2026, 10, 2, 11, tzinfo=UTC)
    saved = sessions.add_session(counsellor, case_id, SessionForm(held, notes="Rotated-note-5521"))
    assert saved.id
    counsellor.close()
    folder = tmp_path / "usb"
    folder.mkdir()
    return case_id, old_key, folder


def leaver_id(desk: DeskFixture) -> str:
    admin = desk.unlock()
    try:
        return next(u.id for u in accounts.list_users(admin) if u.user_name == "lea")
    finally:
        admin.close()


def test_rotation_rekeys_and_every_active_account_keeps_access(
    desk: DeskFixture, prepared: tuple[str, bytes, Path]
) -> None:
    case_id, old_key, folder = prepared
    before = keyfile.read(keyfile.path_for(desk.database))
    assert before.slot_by_id(leaver_id(desk)) is None  # disabling (revoking) removed the slot
    assert before.user_slot("lea") is None
    admin = desk.unlock()
    old_signing = keys.own_public_key(admin)
    admin.close()

    seen: list[ProgressState] = []
    done = key_rotation.rotate(
        desk.database, "admin", ADMIN_PASSWORD, folder, Progress(seen.append)
    )
    assert not any(s.cancellable for s in seen)  # a rotation, once begun, is finished
    assert len({s.text for s in seen}) == 4 and (seen[-1].done, seen[-1].total) == (3, 3)

    assert done.accounts == 3 and done.dropped == 0
    assert done.backup.database.parent == folder
    backup.verify_with_key(done.backup.database, old_key)  # the backup keeps the old key
    with pytest.raises(BackupDamaged):
        backup.verify_with_key(desk.database, old_key)  # the old key opens nothing
    rotated = keyfile.read(keyfile.path_for(desk.database))
    assert all(s.sealed_data_key is not None for s in rotated.slots)
    assert not rotation_swap.staged_database(desk.database).exists()
    assert not rotation_swap.staged_key_file(desk.database).exists()

    counsellor = desk.unlock("carl", STAFF_PASSWORD)
    new_key = counsellor.data_key()
    assert new_key != old_key
    [entry] = [e for e in cases.case_detail(counsellor, case_id).timeline if e.kind == "session"]
    assert sessions.session_form(counsellor, entry.id).notes == "Rotated-note-5521"
    counsellor.close()
    settled = keyfile.read(keyfile.path_for(desk.database))
    carl = next(s for s in settled.slots if s.id == counsellor.user.id)
    assert carl.sealed_data_key is None  # wrapped under the password again at sign-in
    desk.unlock("carl", STAFF_PASSWORD).close()  # and it still opens

    reception = desk.unlock("rita", STAFF_PASSWORD)
    assert cases.case_detail(reception, case_id).id == case_id
    reception.close()
    accounts.reset_password_with_recovery_key(
        desk.database, desk.created.recovery_key, "rita", NEW_PASSWORD
    )
    desk.unlock("rita", NEW_PASSWORD).close()
    with pytest.raises(WrongCredentials):
        desk.unlock("lea", STAFF_PASSWORD)

    admin = desk.unlock()
    # Whoever copied the old data key may hold the signing key too: it is replaced, and
    # the new public key file carries the change signed by the old one.
    new_signing = keys.own_public_key(admin)
    assert new_signing.public_key != old_signing.public_key
    assert key_change.leads_to(
        old_signing.public_key,
        new_signing.public_key,
        new_signing.key_changes,
        crypto.signature_valid,
    )
    report = audit_log.verify(admin)
    assert report.broken is None
    actions = [e.action for e in audit_log.entries(admin, audit_log.AuditFilter())]
    assert "key.rotate" in actions and "backup.make" in actions
    admin.close()


def test_a_disabled_account_left_in_an_older_key_file_is_dropped(
    desk: DeskFixture, prepared: tuple[str, bytes, Path]
) -> None:
    _case, old_key, folder = prepared
    leaver = leaver_id(desk)
    # A key file from before disabling removed slots: put a slot back for the leaver.
    key_file = keyfile.verify(keyfile.path_for(desk.database), old_key)
    keys, cost = keyfile.SlotKeys(old_key, None), key_file.slots[0].kdf
    ghost = keyfile.make_user_slot(key_file, leaver, "lea", STAFF_PASSWORD, keys, cost)
    keyfile.write(keyfile.path_for(desk.database), key_file.with_slot(ghost), old_key)
    done = key_rotation.rotate(desk.database, "admin", ADMIN_PASSWORD, folder)
    assert done.dropped == 1
    assert keyfile.read(keyfile.path_for(desk.database)).slot_by_id(leaver) is None


@pytest.mark.parametrize(
    ("user", "password", "refusal"),
    [
        ("admin", "not the password at all", WrongCredentials),
        ("rita", STAFF_PASSWORD, AccessDenied),
    ],
)
def test_a_refused_rotation_changes_nothing(
    desk: DeskFixture,
    prepared: tuple[str, bytes, Path],
    user: str,
    password: str,
    refusal: type[Exception],
) -> None:
    _case, _old_key, folder = prepared
    before = desk.database.read_bytes(), keyfile.path_for(desk.database).read_bytes()
    with pytest.raises(refusal):
        key_rotation.rotate(desk.database, user, password, folder)
    assert list(folder.iterdir()) == []
    assert keyfile.path_for(desk.database).read_bytes() == before[1]
    desk.unlock().close()


def test_an_existing_backup_is_not_replaced_and_nothing_rotates(
    desk: DeskFixture, prepared: tuple[str, bytes, Path]
) -> None:
    _case, old_key, folder = prepared
    name = key_rotation.backup_name("SG", clock.today())
    (folder / name).write_bytes(b"an older backup")
    with pytest.raises(TargetExists):
        key_rotation.rotate(desk.database, "admin", ADMIN_PASSWORD, folder / name)
    assert (folder / name).read_bytes() == b"an older backup"
    opened = desk.unlock()
    assert opened.data_key() == old_key
    opened.close()


def test_a_crash_between_the_two_renames_is_finished_at_the_next_sign_in(
    desk: DeskFixture, prepared: tuple[str, bytes, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _case, old_key, folder = prepared
    real_replace = Path.replace

    def crash_on_the_key_file(self: Path, target: Path) -> Path:
        if self == rotation_swap.staged_key_file(desk.database):
            raise KeyboardInterrupt  # the process dies here: nothing after runs
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", crash_on_the_key_file)
    with pytest.raises(KeyboardInterrupt):
        key_rotation.rotate(desk.database, "admin", ADMIN_PASSWORD, folder)
    monkeypatch.undo()
    assert rotation_swap.staged_key_file(desk.database).exists()
    opened = desk.unlock("rita", STAFF_PASSWORD)
    assert opened.data_key() != old_key
    opened.close()
    assert not rotation_swap.staged_key_file(desk.database).exists()


def test_a_crash_before_the_swap_leaves_the_old_pair(
    desk: DeskFixture, prepared: tuple[str, bytes, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _case, old_key, folder = prepared

    def crash(_database: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(rotation_swap, "swap_in", crash)
    with pytest.raises(KeyboardInterrupt):
        key_rotation.rotate(desk.database, "admin", ADMIN_PASSWORD, folder)
    monkeypatch.undo()
    assert rotation_swap.staged_database(desk.database).exists()
    opened = desk.unlock("rita", STAFF_PASSWORD)
    assert opened.data_key() == old_key
    opened.close()
    assert not rotation_swap.staged_database(desk.database).exists()
    assert not rotation_swap.staged_key_file(desk.database).exists()
    auth.check_database_file(desk.database)


def test_a_rotation_refused_to_a_non_admin_is_recorded_as_such(
    desk: DeskFixture, prepared: tuple[str, bytes, Path]
) -> None:
    _case, _old_key, folder = prepared
    with pytest.raises(AccessDenied):
        key_rotation.rotate(desk.database, "rita", STAFF_PASSWORD, folder)
    admin = desk.unlock()
    refused = [
        e.target_type
        for e in audit_log.entries(admin, audit_log.AuditFilter())
        if e.action == "access.denied"
    ]
    admin.close()
    assert refused == ["key.rotate"]
