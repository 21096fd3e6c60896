from __future__ import annotations

import gc
import inspect
import sqlite3
from pathlib import Path
from types import FunctionType, ModuleType

import pytest
from sqlalchemy import Engine, text

from app.services import accounts, auth
from app.services.open_desk import OpenDesk
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


def _engine_of(opened: OpenDesk) -> Engine:
    with opened.transaction() as session:
        bind = session.get_bind()
    assert isinstance(bind, Engine)
    return bind


def _connect_listeners_state(engine: Engine) -> list[object]:
    """What the engine's connect listeners hold: their closures' variables."""
    return [
        value
        for listener in engine.pool.dispatch.connect
        for value in inspect.getclosurevars(listener).nonlocals.values()
    ]


def _key_copies(root: object, key: bytes) -> list[object]:
    """The bytes, bytearrays and strings (the key's hex) holding `key` reachable from `root`,
    leaving out classes, modules and functions' globals: what the object itself keeps."""
    hex_key = key.hex()
    found: list[object] = []
    seen: set[int] = set()
    stack: list[object] = [root]
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, (type, ModuleType)):
            continue
        seen.add(id(item))
        if isinstance(item, (bytes, bytearray)):
            if key in item or hex_key.encode() in item.lower():
                found.append(item)
        elif isinstance(item, str):
            if hex_key in item.lower():
                found.append(item)
        elif isinstance(item, FunctionType):
            stack.extend(cell.cell_contents for cell in item.__closure__ or ())
        else:
            stack.extend(gc.get_referents(item))
    return found


def test_locking_empties_the_pool_and_truncates_the_wal(desk: DeskFixture) -> None:
    opened = desk.unlock()
    engine = _engine_of(opened)
    auth.lock(opened)
    assert engine.pool.checkedout() == 0 and engine.pool.checkedin() == 0  # type: ignore[attr-defined]
    wal = desk.database.with_name(desk.database.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_after_the_lock_the_key_is_zeroed_and_the_engine_cannot_reconnect(
    desk: DeskFixture,
) -> None:
    opened = desk.unlock()
    engine = _engine_of(opened)
    held = [
        buffer
        for value in _connect_listeners_state(engine)
        for buffer in gc.get_referents(value)
        if isinstance(buffer, bytearray)
    ]
    assert [bytes(buffer) for buffer in held] == [opened.data_key()]
    auth.lock(opened)
    assert held == [bytearray(db_engine.KEY_BYTES)]
    # A connection made after the lock, by anything that kept the engine, opens nothing.
    with pytest.raises(db_engine.DatabaseKeyError, match="wiped"):
        engine.connect()


def test_the_data_key_is_held_once_by_the_open_desk(desk: DeskFixture) -> None:
    """The desk keeps one copy of its data key, the bytearray of its key holder: no hex
    string in the engine's connect listener nor in the driver's statement cache of each
    pooled connection, no copy of the bytes beside it."""
    opened = desk.unlock()
    key = opened.data_key()
    engine = _engine_of(opened)
    with opened.transaction(), opened.driver_connection():
        pass  # two pooled connections, each keyed by the listener
    copies = _key_copies(opened, key)
    listeners_state = _connect_listeners_state(engine)
    opened.close()
    assert [type(copy) for copy in copies] == [bytearray]
    assert not [value for value in listeners_state if isinstance(value, (str, bytes, bytearray))]


def test_an_exported_copy_leaves_its_key_in_no_statement_the_driver_keeps(
    tmp_path: Path,
) -> None:
    copy_key = bytes(range(32))
    engine = db_engine.open_database(tmp_path / "x.db", b"\x01" * 32)
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        db_engine.export_copy(raw, tmp_path / "copy.db", copy_key)
        held = [
            value
            for holder in gc.get_objects()
            for value in gc.get_referents(holder)
            if isinstance(value, str) and copy_key.hex() in value
        ]
    db_engine.close_database(engine)
    assert held == []
    db_engine.close_database(db_engine.open_database(tmp_path / "copy.db", copy_key))
