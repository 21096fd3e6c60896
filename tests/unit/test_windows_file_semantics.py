"""Issue 22, point 3: Windows file semantics. Restore, key rotation, purge, backup, the upgrade
copy and the demo run under files that refuse as Windows does (tests/windows_files.py): each
closes the database before it moves it. An antivirus holding a file for a moment is waited
out, a bounded number of times, and past the bound the failure says so and changes nothing.
No test waits: the sleep is a list that records the delays asked for."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import text

from app import file_ops, keyfile, rotation_swap
from app.domain.cases import CaseQuery
from app.domain.retention import RetentionPeriods
from app.errors import FileBusy, NotAHavreDatabase, StorageError
from app.files import atomic_write
from app.services import auth, backup, cases, demo, intake, key_rotation, restore, retention
from app.services.database import open_desk_database
from db import engine as db_engine
from db.retries import Backoff
from tests.conftest import ADMIN_PASSWORD, FAST_KDF, STAFF_PASSWORD, DeskFixture
from tests.e2e.command_line import havre
from tests.factories import named_intake
from tests.unit.test_backup import made_backup
from tests.unit.test_upgrade_copy import _data_key, _one_revision_back
from tests.windows_files import WindowsFiles


@pytest.fixture
def windows_files(monkeypatch: pytest.MonkeyPatch) -> WindowsFiles:
    """Windows' rules for renaming and deleting files, for one test."""
    return WindowsFiles(monkeypatch)


@pytest.fixture
def file_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the file layer waited, none of them spent."""
    waited: list[float] = []
    monkeypatch.setattr(file_ops, "RETRIES", Backoff(file_ops.RETRIES.delays, waited.append))
    return waited


@pytest.fixture
def open_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the database's first connection waited, none of them spent."""
    waited: list[float] = []
    retries = Backoff(db_engine.OPEN_RETRIES.delays, waited.append)
    monkeypatch.setattr(db_engine, "OPEN_RETRIES", retries)
    return waited


class Antivirus:
    """Holds the files `holds` picks, for their next `times` renames (and deletions, with
    `deletions`): the sharing violation an on-access scan causes on Windows (WinError 32)."""

    def __init__(
        self,
        monkeypatch: pytest.MonkeyPatch,
        holds: Callable[[Path], bool],
        times: int,
        deletions: bool = False,
    ) -> None:
        self.holds, self.left, self.refused = holds, times, 0
        calls = ("replace", "rename") + (("unlink", "remove") if deletions else ())
        for name in calls:
            monkeypatch.setattr(os, name, self._held(getattr(os, name)))

    def _held(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(path: Any, *args: Any, **kwargs: Any) -> Any:
            if self.left and self.holds(Path(os.fsdecode(path))):
                self.left -= 1
                self.refused += 1
                raise PermissionError(13, "being used by another process (WinError 32)", str(path))
            return real(path, *args, **kwargs)

        return call


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _opens(desk: DeskFixture) -> None:
    auth.lock(desk.unlock())


def _after_the_backup(desk: DeskFixture) -> None:
    reception = desk.unlock("rita", STAFF_PASSWORD)
    intake.record_intake(reception, named_intake("After the backup"))
    auth.lock(reception)


def _still_the_replaced_desk(desk: DeskFixture, files: dict[str, bytes]) -> None:
    """The same files as before a restore that failed, the desk's with what was saved after
    the backup (the restore signed in to it), the key file as it was."""
    now = _contents(desk.database.parent)
    assert now.keys() == files.keys()
    key_file = keyfile.path_for(desk.database).name
    assert now[key_file] == files[key_file]
    reception = desk.unlock("rita", STAFF_PASSWORD)
    try:
        assert cases.find_case_ids(reception, CaseQuery("After")) != []
    finally:
        auth.lock(reception)


# The fake refuses as Windows does, and a wrong order meets it.


def test_a_swap_while_the_desk_is_open_is_refused_by_windows_rules(
    desk: DeskFixture, windows_files: WindowsFiles, file_waits: list[float]
) -> None:
    opened = desk.unlock()  # the wrong order: the desk still open (a sign-in first
    try:  # deletes what a rotation left staged, so the pair is staged after it)
        shutil.copyfile(desk.database, rotation_swap.staged_database(desk.database))
        shutil.copyfile(opened.key_file_path, rotation_swap.staged_key_file(desk.database))
        with pytest.raises(FileBusy, match="another program is using it"):
            rotation_swap.swap_in(desk.database)
    finally:
        opened.close()
    assert windows_files.refused and windows_files.refused[0].name.startswith("desk.havre")
    assert file_waits == list(file_ops.RETRIES.delays)  # tried the whole bound, then gave up
    rotation_swap.swap_in(desk.database)  # closed: the same swap goes through
    assert windows_files.refused[-1].name.startswith("desk.havre")
    _opens(desk)


def test_the_fake_sees_a_database_an_engine_holds(
    tmp_path: Path, windows_files: WindowsFiles
) -> None:
    database = tmp_path / "plain.db"
    engine = db_engine.open_database(database, bytes(32))
    try:
        with engine.begin() as connection:  # the WAL is made by a first write
            connection.exec_driver_sql("CREATE TABLE t (x)")
        with pytest.raises(PermissionError):
            database.replace(tmp_path / "moved.db")
        with pytest.raises(PermissionError):
            database.with_name("plain.db-wal").unlink()
    finally:
        db_engine.close_database(engine)
    database.replace(tmp_path / "moved.db")
    assert windows_files.refused == [database, database.with_name("plain.db-wal")]


# Each path under Windows' rules: nothing is moved or deleted while open.


def test_backup_and_restore_under_windows_rules(
    desk: DeskFixture, tmp_path: Path, windows_files: WindowsFiles
) -> None:
    saved = made_backup(desk, tmp_path)
    reception = desk.unlock("rita", STAFF_PASSWORD)
    intake.record_intake(reception, named_intake("After the backup"))
    auth.lock(reception)
    done = restore.restore(saved, desk.database, "admin", ADMIN_PASSWORD)
    assert done.set_aside is not None and done.set_aside.exists()
    _opens(desk)
    assert windows_files.refused == []


def test_restore_from_the_command_line_under_windows_rules(
    desk: DeskFixture, tmp_path: Path, windows_files: WindowsFiles
) -> None:
    saved = made_backup(desk, tmp_path)
    restored = havre(
        "restore",
        "--from",
        str(saved),
        "--db",
        str(desk.database),
        "--user",
        "admin",
        "--password-stdin",
        stdin=ADMIN_PASSWORD + "\n",
    )
    assert restored.returncode == 0, restored.stderr
    assert "before-restore-" in restored.stdout
    assert windows_files.refused == []


def test_key_rotation_under_windows_rules(
    desk: DeskFixture, tmp_path: Path, windows_files: WindowsFiles
) -> None:
    done = key_rotation.rotate(desk.database, "admin", ADMIN_PASSWORD, tmp_path)
    assert done.backup.database.exists()
    assert not rotation_swap.staged_database(desk.database).exists()
    _opens(desk)
    assert windows_files.refused == []


def test_purge_under_windows_rules(desk: DeskFixture, windows_files: WindowsFiles) -> None:
    """The purge moves no file: it folds the WAL into the database, on the open desk."""
    reception = desk.unlock("rita", STAFF_PASSWORD)
    intake.record_intake(reception, named_intake("Purged"))
    auth.lock(reception)
    admin = desk.unlock()
    try:
        retention.set_periods(admin, RetentionPeriods(identity=1, notes=1, case=12))
        retention.purge(admin, date(2030, 1, 1))
    finally:
        admin.close()
    _opens(desk)
    assert windows_files.refused == []


def test_upgrading_an_older_desk_under_windows_rules(
    desk: DeskFixture, windows_files: WindowsFiles
) -> None:
    _one_revision_back(desk.database, _data_key(desk))
    _opens(desk)
    assert len(list(desk.database.parent.glob("*.before-upgrade-*"))) == 2  # and its key file
    assert windows_files.refused == []


def test_a_demo_desk_under_windows_rules(tmp_path: Path, windows_files: WindowsFiles) -> None:
    created = demo.create_demo_desk(tmp_path / "demo.havre", "quiet meadow river 17", FAST_KDF)
    assert created.database.exists()
    assert windows_files.refused == []


# An antivirus holding a file for a moment, then for good.


def test_a_backup_held_for_a_moment_is_made(
    desk: DeskFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_waits: list[float]
) -> None:
    scanner = Antivirus(monkeypatch, lambda path: ".partial" in path.name, times=2)
    made = made_backup(desk, tmp_path)
    assert scanner.refused == 2 and file_waits == list(file_ops.RETRIES.delays[:2])
    assert sorted(p.name for p in tmp_path.iterdir() if "backup" in p.name) == [
        "SG-backup.havre",
        "SG-backup.havre.keys",
    ]
    backup.verify_with_key(made, _data_key(desk))


def test_a_backup_held_for_good_is_not_half_written(
    desk: DeskFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_waits: list[float]
) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    desk_files = _contents(desk.database.parent)
    # The key file's rename fails for good, after the database's went through: the pair is
    # taken back, not left as a backup without its key file.
    Antivirus(monkeypatch, lambda path: path.name.endswith(".partial.keys"), times=1000)
    admin = desk.unlock()
    try:
        with pytest.raises(FileBusy, match="antivirus"):
            backup.make_backup(admin, folder / "SG-backup.havre")
    finally:
        admin.close()
    assert list(folder.iterdir()) == []
    assert len(file_waits) == len(file_ops.RETRIES.delays)
    assert _contents(desk.database.parent).keys() == desk_files.keys()
    _opens(desk)


def test_a_backup_held_for_good_keeps_the_backup_it_was_to_replace(
    desk: DeskFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_waits: list[float]
) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    target = made_backup(desk, folder)
    before = _contents(folder)
    Antivirus(monkeypatch, lambda path: path.name.endswith(".partial.keys"), times=1000)
    admin = desk.unlock()
    try:
        with pytest.raises(FileBusy):
            backup.make_backup(admin, target, replace=True)
    finally:
        admin.close()
    assert _contents(folder) == before


def test_a_restore_held_for_good_puts_the_desk_back_as_it_was(
    desk: DeskFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_waits: list[float]
) -> None:
    """The replaced desk is set aside, then the copy's rename fails for good: the desk goes
    back where it was, and the copy is removed."""
    saved = made_backup(desk, tmp_path)
    _after_the_backup(desk)
    before = _contents(desk.database.parent)
    Antivirus(monkeypatch, lambda path: path.name == ".desk.havre.restoring", times=1000)
    with pytest.raises(FileBusy, match="antivirus"):
        restore.restore(saved, desk.database, "admin", ADMIN_PASSWORD)
    _still_the_replaced_desk(desk, before)


def test_a_copy_held_even_for_its_deletion_is_left_for_the_next_restore(
    desk: DeskFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_waits: list[float]
) -> None:
    saved = made_backup(desk, tmp_path)
    _after_the_backup(desk)
    before = _contents(desk.database.parent)

    def copy(path: Path) -> bool:
        return path.name == ".desk.havre.restoring"

    # Held for each try of three steps: the restore's clearing of the copy's name before it
    # copies, its rename into place, its deletion after that failed.
    Antivirus(monkeypatch, copy, times=3 * (len(file_ops.RETRIES.delays) + 1), deletions=True)
    with pytest.raises(FileBusy):
        restore.restore(saved, desk.database, "admin", ADMIN_PASSWORD)
    (desk.database.parent / ".desk.havre.restoring").unlink()  # to compare the rest
    _still_the_replaced_desk(desk, before)
    restore.restore(saved, desk.database, "admin", ADMIN_PASSWORD)  # the scan is over
    assert not (desk.database.parent / ".desk.havre.restoring").exists()
    _opens(desk)


def test_a_rotation_swap_held_for_a_moment_goes_through(
    desk: DeskFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_waits: list[float]
) -> None:
    Antivirus(monkeypatch, lambda path: path.name.endswith(".rotating"), times=3)
    key_rotation.rotate(desk.database, "admin", ADMIN_PASSWORD, tmp_path)
    assert file_waits == list(file_ops.RETRIES.delays[:3])
    assert not rotation_swap.staged_database(desk.database).exists()
    _opens(desk)


def test_a_rotation_swap_held_for_good_leaves_the_old_pair_that_opens(
    desk: DeskFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_waits: list[float]
) -> None:
    old_key = _data_key(desk)
    Antivirus(monkeypatch, lambda path: path.name == "desk.havre.rotating", times=1000)
    with pytest.raises(FileBusy, match="antivirus"):
        key_rotation.rotate(desk.database, "admin", ADMIN_PASSWORD, tmp_path)
    monkeypatch.undo()
    assert _data_key(desk) == old_key  # the sign-in deletes the staged pair: the old key stays
    assert not rotation_swap.staged_database(desk.database).exists()
    assert not rotation_swap.staged_key_file(desk.database).exists()


# The database's first connection.


def _failing_connect(monkeypatch: pytest.MonkeyPatch, messages: list[str]) -> None:
    """The next connections fail with `messages`, one each, as SQLite says them at open."""
    real = sqlcipher.connect

    def connect(*args: Any, **kwargs: Any) -> Any:
        if messages:
            raise sqlcipher.OperationalError(messages.pop(0))
        return real(*args, **kwargs)

    monkeypatch.setattr(sqlcipher, "connect", connect)


def test_a_database_that_cannot_be_opened_for_a_moment_opens(
    desk: DeskFixture, monkeypatch: pytest.MonkeyPatch, open_waits: list[float]
) -> None:
    _failing_connect(monkeypatch, ["unable to open database file", "disk I/O error"])
    _opens(desk)
    assert open_waits == list(db_engine.OPEN_RETRIES.delays[:2])


def test_a_first_read_that_fails_for_a_moment_is_not_a_wrong_key(
    desk: DeskFixture, monkeypatch: pytest.MonkeyPatch, open_waits: list[float]
) -> None:
    failures = ["disk I/O error", "database is locked"]

    class ScannedCursor(sqlcipher.Cursor):  # type: ignore[misc]
        def execute(self, sql: str, *args: Any) -> Any:
            if sql.startswith("SELECT count(*) FROM sqlite_master") and failures:
                raise sqlcipher.OperationalError(failures.pop(0))
            return super().execute(sql, *args)

    class ScannedConnection(sqlcipher.Connection):  # type: ignore[misc]
        def cursor(self, factory: Any = ScannedCursor) -> Any:
            return super().cursor(factory)

    real = sqlcipher.connect
    monkeypatch.setattr(
        sqlcipher, "connect", lambda *a, **k: real(*a, **k, factory=ScannedConnection)
    )
    _opens(desk)
    assert failures == [] and len(open_waits) == 2


def test_a_database_held_for_good_says_so_and_stays_whole(
    desk: DeskFixture, monkeypatch: pytest.MonkeyPatch, open_waits: list[float]
) -> None:
    before = _contents(desk.database.parent)
    _failing_connect(monkeypatch, ["unable to open database file"] * 100)
    with pytest.raises(FileBusy, match="antivirus"):
        desk.unlock()
    assert len(open_waits) == len(db_engine.OPEN_RETRIES.delays)
    monkeypatch.undo()
    assert _contents(desk.database.parent).keys() == before.keys()
    _opens(desk)


def test_a_wrong_key_is_refused_at_once(desk: DeskFixture, open_waits: list[float]) -> None:
    with pytest.raises(db_engine.DatabaseKeyError):
        db_engine.open_database(desk.database, bytes(32))
    with pytest.raises(NotAHavreDatabase):
        open_desk_database(desk.database, bytes(32))
    assert open_waits == []


def test_each_connection_waits_at_least_five_seconds_for_a_lock(desk: DeskFixture) -> None:
    engine = db_engine.open_database(desk.database, _data_key(desk))
    try:
        with engine.connect() as connection:
            waits = connection.execute(text("PRAGMA busy_timeout")).scalar()
    finally:
        db_engine.close_database(engine)
    assert isinstance(waits, int) and waits >= 5000


# The file layer itself.


def test_a_written_file_held_for_a_moment_replaces_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_waits: list[float]
) -> None:
    target = tmp_path / "settings.json"
    target.write_bytes(b"old")
    Antivirus(monkeypatch, lambda path: path.name.startswith(".settings.json-"), times=4)
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == [target.name]
    assert file_waits == list(file_ops.RETRIES.delays[:4])


def test_a_written_file_held_for_good_leaves_the_old_one_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_waits: list[float]
) -> None:
    target = tmp_path / "settings.json"
    target.write_bytes(b"old")
    Antivirus(monkeypatch, lambda path: path.name.startswith(".settings.json-"), times=1000)
    with pytest.raises(FileBusy, match="try again"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == [target.name]


def test_windows_lock_and_sharing_codes_are_waited_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_waits: list[float]
) -> None:
    """WinError 33 (a byte-range lock) comes as a plain OSError on some calls: the code
    tells it, not the class."""
    source, target = tmp_path / "a", tmp_path / "b"
    source.write_bytes(b"a")
    real = Path.replace
    left = [33, 32]

    def locked(path: Path, to: Path) -> Path:
        if left:
            error = OSError(22, "The process cannot access the file")
            error.winerror = left.pop(0)  # type: ignore[attr-defined]
            raise error
        return real(path, to)

    monkeypatch.setattr(Path, "replace", locked)
    file_ops.replace(source, target)
    assert target.read_bytes() == b"a" and len(file_waits) == 2


def test_a_failure_that_is_not_a_held_file_is_said_at_once(
    tmp_path: Path, file_waits: list[float]
) -> None:
    with pytest.raises(StorageError, match="No such file"):
        file_ops.replace(tmp_path / "missing", tmp_path / "b")
    assert file_waits == []


def test_renames_together_are_all_undone_when_one_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_waits: list[float]
) -> None:
    for name in ("new", "new.keys", "old", "old.keys"):
        (tmp_path / name).write_bytes(name.encode())
    before = _contents(tmp_path)
    Antivirus(monkeypatch, lambda path: path.name == "new.keys", times=1000)
    with pytest.raises(FileBusy):
        file_ops.replace_together(
            ((tmp_path / "new", tmp_path / "old"), (tmp_path / "new.keys", tmp_path / "old.keys"))
        )
    assert _contents(tmp_path) == before
