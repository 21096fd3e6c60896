from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from app.services import accounts, auth
from db import engine as db_engine
from tests.conftest import ADMIN_PASSWORD, DeskFixture, desk_setup

MARKER = "ZQXMARKER7731"


def _files_of(database: Path) -> list[Path]:
    return [p for p in database.parent.iterdir() if p.name.startswith(database.name)]


def test_data_written_through_the_app_never_reaches_the_disk_in_clear(tmp_path: Path) -> None:
    from app.domain.accounts import NewAccount
    from app.domain.roles import Role
    from app.services.desk import create_desk
    from tests.conftest import FAST_KDF

    database = tmp_path / "desk.havre"
    create_desk(desk_setup(database, desk_name=f"Desk {MARKER}"), kdf=FAST_KDF)
    opened = auth.unlock(database, "admin", ADMIN_PASSWORD)
    accounts.add_user(
        opened,
        NewAccount(
            f"{MARKER.lower()}.user",
            f"Name {MARKER}",
            frozenset({Role.RECEPTION}),
            "river stone window 99",
        ),
    )
    # Scan while open (the WAL holds the fresh pages) and again after closing.
    scanned_open = {p.name: p.read_bytes() for p in _files_of(database)}
    assert any(name.endswith("-wal") and data for name, data in scanned_open.items())
    opened.close()
    scanned_closed = {p.name: p.read_bytes() for p in _files_of(database)}
    for scanned in (scanned_open, scanned_closed):
        for name, data in scanned.items():
            assert MARKER.encode() not in data, name
            assert MARKER.lower().encode() not in data, name
            assert MARKER.encode("utf-16-le") not in data, name
    assert not scanned_closed[database.name].startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(database).execute("SELECT count(*) FROM sqlite_master").fetchall()


def test_a_wrong_key_is_a_domain_error_and_nothing_is_printed(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "x.db"
    engine = db_engine.open_database(database, b"\x01" * 32)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x)")
    db_engine.close_database(engine)
    with pytest.raises(db_engine.DatabaseKeyError):
        db_engine.open_database(database, b"\x02" * 32)
    captured = capfd.readouterr()
    assert "hmac" not in (captured.err + captured.out).lower()


def test_every_connection_runs_the_required_profile(desk: DeskFixture) -> None:
    opened = desk.unlock()
    with opened.transaction() as session:
        pragmas = {
            name: session.execute(text(f"PRAGMA {name}")).scalar()
            for name in (
                "journal_mode",
                "synchronous",
                "foreign_keys",
                "secure_delete",
                "temp_store",
            )
        }
        version = session.execute(text("PRAGMA cipher_version")).scalar()
    opened.close()
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "secure_delete": 1,
        "temp_store": 2,
    }
    assert str(version).startswith("4.")


def test_a_deviating_cipher_profile_refuses_to_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        db_engine,
        "EXPECTED_CIPHER_SETTINGS",
        (
            *db_engine.EXPECTED_CIPHER_SETTINGS[:-1],
            "PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA1;",
        ),
    )
    with pytest.raises(db_engine.CipherProfileError, match="cipher_settings"):
        db_engine.open_database(tmp_path / "x.db", b"\x01" * 32)


def test_ddl_is_transactional(tmp_path: Path) -> None:
    engine = db_engine.open_database(tmp_path / "x.db", b"\x01" * 32)
    with pytest.raises(RuntimeError), engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x)")
        raise RuntimeError("abort")
    with engine.connect() as connection:
        tables = connection.exec_driver_sql("SELECT name FROM sqlite_master").fetchall()
    db_engine.close_database(engine)
    assert tables == []


def test_locking_empties_the_pool_and_truncates_the_wal(desk: DeskFixture) -> None:
    opened = desk.unlock()
    engine = opened._engine
    assert engine is not None
    auth.lock(opened)
    assert engine.pool.checkedout() == 0 and engine.pool.checkedin() == 0  # type: ignore[attr-defined]
    wal = desk.database.with_name(desk.database.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert opened._key == bytearray(32)
