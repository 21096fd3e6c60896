"""Issue 22, point 7: a newer Havre keeps a verified backup before it upgrades a desk, and an
older one refuses a desk a newer one made. The desks here are real ones taken back one
revision, as the previous Havre left them."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command

from app import files, keyfile
from app.errors import DatabaseTooNew, StorageError, UpgradeCopyNotVerified
from app.services import auth, backup
from app.services import database as desk_database
from db import engine as db_engine
from db import migrate
from tests.conftest import ADMIN_PASSWORD, DeskFixture
from tests.e2e.command_line import havre


def _revision(database: Path, key: bytes) -> str:
    engine = db_engine.open_database(database, key)
    try:
        with engine.connect() as connection:
            found = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    finally:
        db_engine.close_database(engine)
    assert isinstance(found, str)
    return found


def _data_key(desk: DeskFixture) -> bytes:
    opened = desk.unlock()
    try:
        return bytes(opened.data_key())
    finally:
        opened.close()


def _one_revision_back(database: Path, key: bytes) -> str:
    """The desk as the previous Havre left it; returns the revision it is now at."""
    config = migrate.alembic_config()
    engine = db_engine.open_database(database, key, foreign_keys=False)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "-1")
    finally:
        db_engine.close_database(engine)
    older = _revision(database, key)
    assert older != migrate.head_revision()
    return older


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if ".before-upgrade-" in path.name)


def test_an_upgrade_keeps_a_verified_backup_that_restore_takes(desk: DeskFixture) -> None:
    key = _data_key(desk)
    older = _one_revision_back(desk.database, key)

    desk.unlock().close()

    assert _revision(desk.database, key) == migrate.head_revision()
    copy, copy_keys = desk_database.upgrade_copies(desk.database)
    assert copy.name.endswith(backup.SUFFIX) and f"before-upgrade-{older}-" in copy.name
    assert copy_keys == keyfile.path_for(copy)
    backup.verify_with_key(copy, key)  # opens with the key, every check passes
    assert _revision(copy, key) == older
    assert not [p.name for p in desk.database.parent.iterdir() if p.name.endswith(".partial")]
    # The next unlock has nothing to upgrade: no second copy.
    desk.unlock().close()
    assert len(desk_database.upgrade_copies(desk.database)) == 2


def test_a_copy_that_fails_its_checks_stops_the_upgrade(
    desk: DeskFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = _data_key(desk)
    older = _one_revision_back(desk.database, key)
    before = desk.database.read_bytes()
    real_copy = files.copy_to_new_file

    def damaging_copy(source: Path, target: Path) -> None:
        real_copy(source, target)
        if not target.name.endswith(".keys"):
            data = bytearray(target.read_bytes())
            data[len(data) // 2] ^= 0xFF  # a bad sector on the way
            target.write_bytes(bytes(data))

    monkeypatch.setattr(files, "copy_to_new_file", damaging_copy)
    with pytest.raises(UpgradeCopyNotVerified, match="was not changed"):
        auth.unlock(desk.database, "admin", ADMIN_PASSWORD)
    monkeypatch.undo()

    assert desk.database.read_bytes() == before
    assert _revision(desk.database, key) == older
    assert _leftovers(desk.database.parent) == []


def test_no_room_for_the_copy_changes_nothing(
    desk: DeskFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = _data_key(desk)
    older = _one_revision_back(desk.database, key)

    def disk_full(source: Path, target: Path) -> None:
        Path(target).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "copy_to_new_file", disk_full)
    with pytest.raises(StorageError, match="No space left"):
        auth.unlock(desk.database, "admin", ADMIN_PASSWORD)
    monkeypatch.undo()

    assert _revision(desk.database, key) == older
    assert _leftovers(desk.database.parent) == []


def _from_a_newer_havre(desk: DeskFixture) -> bytes:
    opened = desk.unlock()
    with opened.transaction() as session:
        session.connection().exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    opened.close()
    return desk.database.read_bytes()


def test_an_older_havre_refuses_a_desk_a_newer_one_made(desk: DeskFixture) -> None:
    before = _from_a_newer_havre(desk)
    with pytest.raises(DatabaseTooNew, match="newer version of Havre"):
        auth.unlock(desk.database, "admin", ADMIN_PASSWORD)
    assert desk.database.read_bytes() == before
    assert _leftovers(desk.database.parent) == []


def test_the_command_line_says_so_without_a_traceback(desk: DeskFixture, tmp_path: Path) -> None:
    before = _from_a_newer_havre(desk)
    usb = tmp_path / "usb"
    usb.mkdir()
    result = havre(
        "backup",
        "--db",
        str(desk.database),
        "--user",
        "admin",
        "--password-stdin",
        "--out",
        str(usb),
        stdin=ADMIN_PASSWORD,
    )
    assert result.returncode != 0
    assert "newer version of Havre" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert desk.database.read_bytes() == before
    assert not list(usb.iterdir())
