"""The one way to open a Havre database: SQLCipher 4 with a raw 256-bit key, through SQLAlchemy.

Every connection gets the same treatment: SQLCipher's own log silenced, the raw key set
first, an immediate read to catch a wrong key, then the fixed profile (WAL with FULL sync,
foreign keys, secure delete, temp data in memory) which is asserted, not assumed: any
deviation refuses the open (fail closed).

The engine keeps no copy of the key: each connection reads it from the caller's key source
(an open desk's key holder, which the lock wipes), so that once wiped no connection opens.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any, Protocol

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool

from db.retries import Backoff

EXPECTED_CIPHER_SETTINGS = (
    "PRAGMA kdf_iter = 256000;",
    "PRAGMA cipher_page_size = 4096;",
    "PRAGMA cipher_use_hmac = 1;",
    "PRAGMA cipher_plaintext_header_size = 0;",
    "PRAGMA cipher_hmac_algorithm = HMAC_SHA512;",
    "PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA512;",
)
KEY_BYTES = 32
# A long-lived pool: with a raw key a connection costs ~1 ms, and decrypted pages stay in the
# page cache (SQLCipher overhead is 5-15 % when the working set is cached, ~3x when it is not).
POOL_SIZE = 3
CACHE_KIB = 65536
# Each connection waits this long for a lock another connection holds (another account's
# Havre writing to a shared desk).
BUSY_TIMEOUT_MS = 5000
# The first connection is tried again when the file cannot be opened or read for a moment
# (an antivirus or a backup tool holding it on Windows, past the few short retries SQLite's
# Windows layer makes on its own): about three seconds more in all.
OPEN_RETRIES = Backoff((0.1, 0.2, 0.4, 0.8, 1.6))


class KeySource(Protocol):
    """A raw key read at each connection: bytes, or a holder that refuses once wiped (its
    `hex` then raises ValueError)."""

    def __len__(self) -> int: ...

    def hex(self) -> str: ...


class DatabaseKeyError(Exception):
    """The key does not open this file: a wrong key, or not a SQLCipher database at all."""


class CipherProfileError(Exception):
    """SQLCipher or SQLite does not run with the settings Havre requires."""


class DatabaseUnavailableError(Exception):
    """The file stayed locked, or could not be opened or read, through every retry;
    `locked` when the last try met another connection's lock (another process has the
    database open and is writing to it, or holds it whole)."""

    def __init__(self, detail: str, *, locked: bool) -> None:
        super().__init__(detail)
        self.locked = locked


def open_database(path: Path, key: KeySource, *, foreign_keys: bool = True) -> Engine:
    """An engine on the encrypted database at `path` (created if missing).

    The first connection is made here, so a wrong key or a bad profile fails now, not at
    the first query, and a file held for a moment by another program is tried again
    (OPEN_RETRIES). `foreign_keys=False` is only for migrations (batch table rebuilds).
    """
    if len(key) != KEY_BYTES:
        raise ValueError("a raw 256-bit key is required")
    # While the first connection is tried, a lock fails at once and OPEN_RETRIES waits:
    # the driver's own wait (5 s by default) at each try would make a desk another process
    # holds take half a minute to say so.
    opening = [True]
    engine = create_engine(
        "sqlite:///" + str(path),
        module=sqlcipher,
        poolclass=QueuePool,
        pool_size=POOL_SIZE,
        max_overflow=2,
        connect_args={"check_same_thread": False},
        hide_parameters=True,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # SQLAlchemy's recipe for real transactions with the sqlite3 driver: the driver stays
        # out of the way and `begin` below emits BEGIN, which also makes DDL transactional.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {0 if opening[0] else BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA cipher_log_level = NONE")
            _set_key(dbapi_connection, key)
            try:
                cursor.execute("SELECT count(*) FROM sqlite_master").fetchall()
            except sqlcipher.DatabaseError as exc:
                if held_for_now(exc):  # a lock or a read that failed is not a wrong key
                    raise
                raise DatabaseKeyError(str(exc)) from None
            cursor.execute("PRAGMA foreign_keys = " + ("ON" if foreign_keys else "OFF"))
            cursor.execute("PRAGMA journal_mode = WAL").fetchall()
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA secure_delete = ON")
            cursor.execute("PRAGMA temp_store = MEMORY")
            cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            # Last: a lock met while the connection is being set up fails at once, and the
            # first connection is tried again (OPEN_RETRIES) rather than wait 5 s a time.
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _assert_profile(cursor, foreign_keys)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # IMMEDIATE: almost every transaction writes (a view is audited), and one that read
        # first and writes later fails at once with "database is locked" when another
        # connection wrote in between; taken at BEGIN, the write lock waits (busy_timeout).
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    def first_connection() -> None:
        with engine.connect():
            pass

    try:
        OPEN_RETRIES.run(first_connection, held_for_now)
    except Exception as exc:
        engine.dispose()
        if held_for_now(exc):
            detail = str(getattr(exc, "orig", exc))
            raise DatabaseUnavailableError(detail, locked=_locked(exc)) from exc
        raise
    except BaseException:
        engine.dispose()
        raise
    opening[0] = False
    return engine


def _set_key(dbapi_connection: Any, key: KeySource) -> None:
    # The hex literal lives only for this call. Not through `execute`: the driver would keep
    # the statement, key and all, in the connection's statement cache.
    try:
        literal = key.hex()
    except ValueError:
        raise DatabaseKeyError("the key was wiped") from None
    dbapi_connection.executescript(f"PRAGMA key = \"x'{literal}'\";")


def _assert_profile(cursor: Any, foreign_keys: bool) -> None:
    def one(pragma: str) -> Any:
        row = cursor.execute("PRAGMA " + pragma).fetchone()
        return row[0] if row else None

    version = str(one("cipher_version") or "")
    if not version.startswith("4."):
        raise CipherProfileError(f"cipher_version {version!r}")
    settings = tuple(row[0] for row in cursor.execute("PRAGMA cipher_settings").fetchall())
    if settings != EXPECTED_CIPHER_SETTINGS:
        raise CipherProfileError(f"cipher_settings {settings!r}")
    expected = {
        "journal_mode": "wal",
        "synchronous": 2,
        "secure_delete": 1,
        "temp_store": 2,
        "foreign_keys": 1 if foreign_keys else 0,
    }
    for pragma, value in expected.items():
        actual = one(pragma)
        if actual != value:
            raise CipherProfileError(f"{pragma} = {actual!r}")


def export_copy(raw_connection: Any, target: Path, key: KeySource) -> None:
    """Copy the whole database, on the driver's connection, into the new file `target`
    encrypted with the raw `key` (SQLCipher's `sqlcipher_export`)."""
    cursor = raw_connection.cursor()
    attached = False
    try:
        # The key as a parameter: the statement the driver caches holds no key.
        cursor.execute("ATTACH DATABASE ? AS copy KEY ?", (str(target), f"x'{key.hex()}'"))
        attached = True
        cursor.execute("SELECT sqlcipher_export('copy')").fetchall()
    except sqlcipher.OperationalError as exc:
        # A full or read-only target is the file system's doing: say so as the OS would.
        failure = storage_failure(exc)
        if failure is None:
            raise
        code = errno.ENOSPC if failure == "full" else errno.EROFS
        raise OSError(code, os.strerror(code), str(target)) from exc
    finally:
        cursor.close()
        if attached:  # a failed ATTACH leaves nothing to detach, and its error must show
            raw_connection.execute("DETACH DATABASE copy")


# SQLite's primary result codes (https://sqlite.org/rescode.html).
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_HELD_CODES = (_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_IOERR, _SQLITE_CANTOPEN)
_HELD_MESSAGES = ("database is locked", "disk I/O error", "unable to open database file")
_FULL_MESSAGE = "database or disk is full"
_READ_ONLY_MESSAGE = "attempt to write a readonly database"


def held_for_now(exc: BaseException) -> bool:
    """Whether SQLite failed on a file locked, or that could not be opened or read, which
    another program holding it for a moment explains: worth trying again."""
    error = getattr(exc, "orig", exc)
    if not isinstance(error, sqlcipher.DatabaseError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _HELD_CODES:
        return True
    return any(message in str(error) for message in _HELD_MESSAGES)


def _locked(exc: BaseException) -> bool:
    """Whether SQLite failed on another connection's lock (not on a file it could not open
    or read)."""
    error = getattr(exc, "orig", exc)
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "database is locked" in str(error)


def storage_failure(exc: BaseException) -> str | None:
    """ "full" or "read-only" when SQLite failed for want of disk space or write access."""
    error = getattr(exc, "orig", exc)
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    # sqlcipher_export() reports the failure of its copy as a plain error with SQLite's
    # message for the cause, so the message is read too.
    text = str(error)
    if primary == _SQLITE_FULL or _FULL_MESSAGE in text:
        return "full"
    if primary == _SQLITE_READONLY or _READ_ONLY_MESSAGE in text:
        return "read-only"
    return None


def checkpoint(engine: Engine) -> None:
    """Fold the WAL into the database and truncate it, so deleted data does not linger there."""
    with engine.connect() as connection:
        # On the driver's connection: outside the transaction SQLAlchemy would begin, whose
        # write lock would keep the checkpoint from running.
        raw = connection.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def close_database(engine: Engine) -> None:
    """Checkpoint, then close every pooled connection (nothing decrypted stays open)."""
    checkpoint(engine)
    engine.dispose()
