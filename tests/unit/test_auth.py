from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from app import keyfile
from app.errors import (
    AccountDisabled,
    DatabaseMissing,
    KeyFileDamaged,
    KeyFileMissing,
    KeyFileTampered,
    NotAHavreDatabase,
    TooManyAttempts,
    WrongCredentials,
)
from app.services import accounts, auth
from app.services.desk import create_desk
from app.services.open_desk import OpenDesk
from db.models import AuditEvent
from tests.conftest import ADMIN_PASSWORD, FAST_KDF, STAFF_PASSWORD, DeskFixture, desk_setup


def _events(desk: DeskFixture) -> list[tuple[str, str]]:
    opened = desk.unlock()
    with opened.transaction() as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        events = [(row.action, row.outcome) for row in rows]
    opened.close()
    return events


def test_unlock_gives_the_user_and_the_desk(desk: DeskFixture) -> None:
    opened = desk.unlock("Rita", STAFF_PASSWORD)  # user names are not case-sensitive
    assert opened.user.user_name == "rita" and opened.desk.code == "SG"
    opened.close()


def test_a_wrong_password_and_an_unknown_name_get_the_same_message(desk: DeskFixture) -> None:
    with pytest.raises(WrongCredentials) as wrong_password:
        desk.unlock("admin", "not the password at all")
    with pytest.raises(WrongCredentials) as unknown_name:
        desk.unlock("nobody", ADMIN_PASSWORD)
    assert str(wrong_password.value) == str(unknown_name.value)
    assert "user name or the password" in str(wrong_password.value)


def test_failed_attempts_are_slowed_down_and_audited_at_the_next_unlock(
    desk: DeskFixture,
) -> None:
    for _ in range(3):
        with pytest.raises(WrongCredentials):
            desk.unlock("rita", "wrong password here")
    with pytest.raises(TooManyAttempts, match="Try again in 1 second"):
        auth.unlock(desk.database, "rita", STAFF_PASSWORD)
    assert desk.unlock().user.user_name == "admin"  # another name is not blocked
    events = _events(desk)
    assert events.count(("auth.login_failed", "failed")) == 3


def test_a_disabled_user_cannot_unlock(admin_desk: OpenDesk, desk: DeskFixture) -> None:
    rita = next(u for u in accounts.list_users(admin_desk) if u.user_name == "rita")
    accounts.disable_user(admin_desk, rita.id)
    with pytest.raises(WrongCredentials):  # the copy of the key is gone: nothing opens
        desk.unlock("rita", STAFF_PASSWORD)


def test_an_account_disabled_in_the_database_is_refused_even_with_an_old_key_file(
    admin_desk: OpenDesk, desk: DeskFixture
) -> None:
    key_path = keyfile.path_for(desk.database)
    old_key_file = key_path.read_bytes()
    rita = next(u for u in accounts.list_users(admin_desk) if u.user_name == "rita")
    accounts.disable_user(admin_desk, rita.id)
    key_path.write_bytes(old_key_file)  # someone restores the key file from before
    with pytest.raises(AccountDisabled):
        desk.unlock("rita", STAFF_PASSWORD)


def test_a_tampered_key_file_is_refused_with_a_clear_message(desk: DeskFixture) -> None:
    key_path = keyfile.path_for(desk.database)
    document = json.loads(key_path.read_text())
    # Lower the cost of someone else's slot: it does not stop the admin's unwrap, but the
    # file's MAC no longer matches.
    other = next(s for s in document["slots"] if s["kind"] == "recovery")
    other["kdf"]["time_cost"] = 2
    key_path.write_text(json.dumps(document))
    with pytest.raises(KeyFileTampered, match="changed outside Havre"):
        desk.unlock()


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"format": "havre-keyfile"}'])
def test_a_damaged_key_file_is_refused(desk: DeskFixture, content: bytes) -> None:
    keyfile.path_for(desk.database).write_bytes(content)
    with pytest.raises(KeyFileDamaged, match="damaged"):
        desk.unlock()


def test_missing_files_are_named_in_the_message(desk: DeskFixture, tmp_path: Path) -> None:
    keyfile.path_for(desk.database).unlink()
    with pytest.raises(KeyFileMissing, match=r"desk\.havre\.keys"):
        desk.unlock()
    with pytest.raises(DatabaseMissing):
        auth.unlock(tmp_path / "elsewhere.havre", "admin", ADMIN_PASSWORD)


def test_a_file_that_is_not_a_havre_database_is_refused_untouched(
    desk: DeskFixture, tmp_path: Path
) -> None:
    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.commit()
    keyfile.path_for(plain).write_bytes(keyfile.path_for(desk.database).read_bytes())
    before = plain.read_bytes()
    with pytest.raises(NotAHavreDatabase):
        auth.unlock(plain, "admin", ADMIN_PASSWORD)
    assert plain.read_bytes() == before


def test_the_key_file_of_another_desk_does_not_open_this_one(
    desk: DeskFixture, tmp_path: Path
) -> None:
    other = create_desk(desk_setup(tmp_path / "other" / "desk.havre"), kdf=FAST_KDF)
    keyfile.path_for(desk.database).write_bytes(other.key_file.read_bytes())
    with pytest.raises(NotAHavreDatabase, match="does not match its key file"):
        desk.unlock()


def test_login_and_lock_are_audited(desk: DeskFixture) -> None:
    auth.lock(desk.unlock())
    assert [e for e in _events(desk) if e[0] in ("auth.login", "auth.lock")] == [
        ("auth.login", "ok"),
        ("auth.lock", "ok"),
        ("auth.login", "ok"),
    ]
