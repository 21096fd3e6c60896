"""The data key is rotated after a suspected compromise; whoever copied the old key also
wants the desk's old signing key to stay trusted. Another program (on Windows an antivirus,
or one she starts herself under the desk's group) holds the key file at the moment the
rotation renames it into place, or the PC stops there. The rotation must still end with
the desk under the new key, its signing key replaced (the old one wiped, the change signed)
and the rotation in the audit log: never a desk re-keyed that still signs with the old key,
nor a database and a key file that stay apart.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from app import crypto, file_ops, keyfile, rotation_swap
from app.domain import key_change
from app.errors import FileBusy
from app.services import audit_log, key_rotation, keys
from db.retries import Backoff
from tests.conftest import ADMIN_PASSWORD, DeskFixture


def _signing_key_and_data_key(desk: DeskFixture) -> tuple[bytes, bytes]:
    admin = desk.unlock()
    try:
        return keys.own_public_key(admin).public_key, bytes(admin.data_key())
    finally:
        admin.close()


def _hold_the_staged_key_file(desk: DeskFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rename of the staged key file meets a sharing violation (WinError 32)."""
    monkeypatch.setattr(file_ops, "RETRIES", Backoff(file_ops.RETRIES.delays, lambda _s: None))
    real_replace = os.replace
    staged = rotation_swap.staged_key_file(desk.database)

    def replace(source: Any, target: Any, **kwargs: Any) -> None:
        if Path(os.fsdecode(source)) == staged:
            raise PermissionError(13, "being used by another process (WinError 32)", str(staged))
        real_replace(source, target, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


def _rotation_recorded(desk: DeskFixture, old_signing: bytes, old_key: bytes) -> None:
    admin = desk.unlock()
    try:
        assert bytes(admin.data_key()) != old_key
        new_signing = keys.own_public_key(admin)
        assert new_signing.public_key != old_signing
        assert key_change.leads_to(
            old_signing, new_signing.public_key, new_signing.key_changes, crypto.signature_valid
        )
        assert audit_log.verify(admin).broken is None
        actions = [e.action for e in audit_log.entries(admin, audit_log.AuditFilter())]
        assert actions.count("key.rotate") == 1
    finally:
        admin.close()
    assert not os.path.lexists(rotation_swap.staged_key_file(desk.database))


def test_a_key_file_held_at_the_swap_still_ends_with_the_signing_key_replaced(
    desk: DeskFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_signing, old_key = _signing_key_and_data_key(desk)
    _hold_the_staged_key_file(desk, monkeypatch)
    with pytest.raises(FileBusy):
        key_rotation.rotate(desk.database, "admin", ADMIN_PASSWORD, tmp_path)
    monkeypatch.undo()  # the scan is over
    _rotation_recorded(desk, old_signing, old_key)


def test_a_stop_between_the_two_renames_still_ends_with_the_signing_key_replaced(
    desk: DeskFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_signing, old_key = _signing_key_and_data_key(desk)
    real_replace = file_ops.replace

    def stop_at_the_key_file(source: Path, target: Path) -> None:
        if target == keyfile.path_for(desk.database):
            raise KeyboardInterrupt  # the PC stops here: nothing after runs
        real_replace(source, target)

    monkeypatch.setattr(file_ops, "replace", stop_at_the_key_file)
    with pytest.raises(KeyboardInterrupt):
        key_rotation.rotate(desk.database, "admin", ADMIN_PASSWORD, tmp_path)
    monkeypatch.undo()
    _rotation_recorded(desk, old_signing, old_key)


def test_the_database_is_never_left_under_a_key_the_key_file_does_not_open(
    desk: DeskFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the failed rename and the next sign-in, the pair on disk is the new database
    and the staged key file that opens it: the next sign-in puts it in place."""
    _hold_the_staged_key_file(desk, monkeypatch)
    with pytest.raises(FileBusy):
        key_rotation.rotate(desk.database, "admin", ADMIN_PASSWORD, tmp_path)
    monkeypatch.undo()
    staged = keyfile.read(rotation_swap.staged_key_file(desk.database))
    assert all(slot.sealed_data_key is not None for slot in staged.slots)
