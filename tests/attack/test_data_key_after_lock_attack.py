"""Someone who reads the memory of a Havre left running after the lock (a debugger attached
to it, a dump of the process) looks for the desk's data key among the Python objects Havre
still holds: in bytes, or in the hex SQLCipher's PRAGMA takes. The desk is used first as on
a working day (an account added: the key file rewritten under the data key; a backup made:
the database exported through SQLCipher), then locked.

What the scan can see is what Python objects hold. Copies that libraries made and freed
without zeroing, SQLCipher's own in C memory and the swap are beyond its reach: the
security model says how far the wipe goes."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.services import accounts, auth, backup
from tests.conftest import DeskFixture


def _objects_holding(key: bytes, ours: set[int]) -> list[object]:
    """Every bytes, bytearray or string that a live object refers to and that holds `key`
    or its hex, apart from the test's own (`ours`). Engines closed along the way wait for
    the cycle collector with the key their callers gave them: collected first, their
    memory is freed, not zeroed, which no scan of objects can see."""
    gc.collect()
    hex_key = key.hex()
    found: dict[int, object] = {}
    for holder in gc.get_objects():
        for value in gc.get_referents(holder):
            if id(value) in ours or id(value) in found:
                continue
            if isinstance(value, (bytes, bytearray)):
                if key in value or hex_key.encode() in value.lower():
                    found[id(value)] = value
            elif isinstance(value, str) and hex_key in value.lower():
                found[id(value)] = value
    return list(found.values())


@pytest.mark.slow
def test_no_object_left_by_havre_holds_the_data_key_after_the_lock(
    desk: DeskFixture, tmp_path: Path
) -> None:
    opened = desk.unlock()
    key = opened.data_key()
    hex_key = key.hex()
    ours = {id(key), id(hex_key)}
    accounts.add_user(
        opened,
        NewAccount("nina", "Nina", frozenset({Role.RECEPTION}), "copper kettle garden 31"),
    )
    backup.make_backup(opened, tmp_path / "backup.havre")
    # While the desk is open, its key holder is the one object that holds the key.
    assert [type(value) for value in _objects_holding(key, ours)] == [bytearray]
    auth.lock(opened)
    assert _objects_holding(key, ours) == []
