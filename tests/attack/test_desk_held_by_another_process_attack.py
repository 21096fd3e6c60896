"""Another account of the PC (or a program she runs under the desk's group) opens the
desk's database and keeps it locked, writing, so that the counsellors cannot sign in. The
sign-in must not hang: it gives up after its few short retries, about three seconds, and
says the desk is in use, without changing a file.

Simulated in this process: SQLite's locks hold between two connections of one process as
between two processes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from app.errors import DatabaseInUse
from app.services import auth
from db import engine as db_engine
from db.retries import Backoff
from tests.conftest import ADMIN_PASSWORD, DeskFixture

# Far below the half minute six tries of SQLite's five-second wait made, far above what a
# busy machine spends failing six times at once.
BOUND_SECONDS = 2.5


@pytest.fixture
def held(desk: DeskFixture) -> Iterator[Path]:
    """The desk's database held by another connection: whole (exclusive locking), in the
    middle of a write."""
    admin = desk.unlock()
    key = bytes(admin.data_key()).hex()
    admin.close()
    holder = sqlcipher.connect(str(desk.database), isolation_level=None)
    holder.executescript(f"PRAGMA key = \"x'{key}'\";")
    holder.execute("PRAGMA locking_mode = EXCLUSIVE").fetchall()
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE desk SET name = name")
    yield desk.database
    holder.rollback()
    holder.close()


def test_a_desk_held_by_another_process_is_refused_quickly_as_in_use(
    held: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waited: list[float] = []
    monkeypatch.setattr(
        db_engine, "OPEN_RETRIES", Backoff(db_engine.OPEN_RETRIES.delays, waited.append)
    )
    before = sorted(p.name for p in held.parent.iterdir())
    started = time.monotonic()
    with pytest.raises(DatabaseInUse, match="already open"):
        auth.unlock(held, "admin", ADMIN_PASSWORD)
    assert time.monotonic() - started < BOUND_SECONDS  # SQLite itself did not wait
    assert waited == list(db_engine.OPEN_RETRIES.delays)  # Havre's own waits: about 3 s
    assert sum(waited) <= 3.5
    assert sorted(p.name for p in held.parent.iterdir()) == before


def test_once_open_a_connection_still_waits_for_a_write_of_another_account(
    desk: DeskFixture,
) -> None:
    """The quick refusal is the opening's alone: the connections of an open desk wait for
    the lock of another account's Havre writing to the shared desk."""
    admin = desk.unlock()
    try:
        key = bytes(admin.data_key())
    finally:
        admin.close()
    engine = db_engine.open_database(desk.database, key)
    try:
        connections = [engine.raw_connection() for _ in range(2)]
        waits = [
            c.driver_connection.execute("PRAGMA busy_timeout").fetchone()[0] for c in connections
        ]  # type: ignore[union-attr]
        for connection in connections:
            connection.close()
    finally:
        db_engine.close_database(engine)
    assert waits == [db_engine.BUSY_TIMEOUT_MS] * 2
