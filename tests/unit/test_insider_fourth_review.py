"""A fourth review played the insider (a reception account holding the data key) against the
fixes of the third. Each test is what it found, as it found it."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app import clock, keyfile
from app.domain.roles import Role
from app.services import accounts, audit_log, backup, notes_access, restore
from app.services.open_desk import OpenDesk
from db.models import RoleGrant
from tests.audit_support import rechain
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, DeskFixture

pytestmark = pytest.mark.dates

NEW_PASSWORD = "violet orchard ember 93"


def rewrite_log(insider: OpenDesk, changes: list[str], *, strip_from: int | None = None) -> None:
    """Rewrite the log: the changes, then from `strip_from` on every signature removed and
    every time moved to 2020, the chain recomputed and the key file anchored again."""
    with insider.transaction() as session:
        session.execute(text("DROP TRIGGER IF EXISTS audit_event_no_update"))
        session.execute(text("DROP TRIGGER IF EXISTS audit_event_no_delete"))
        for change in changes:
            session.execute(text(change))
        head = rechain(session, strip_from=strip_from, move_back_from=strip_from)
    assert head is not None
    data_key = insider.data_key()
    current = keyfile.verify(insider.key_file_path, data_key)
    keyfile.write(insider.key_file_path, replace(current, audit_head=head), data_key)


def rita_id_of(admin: OpenDesk) -> str:
    return next(u.id for u in accounts.list_users(admin) if u.user_name == "rita")


def test_signatures_stripped_and_times_moved_back_still_show(desk: DeskFixture) -> None:
    """Events were due a signature only after the first grant's time: moved before it, a
    stripped event passed, and a role taken back was regained unseen."""
    admin = desk.unlock()
    rita_id = rita_id_of(admin)
    accounts.set_roles(admin, rita_id, frozenset({Role.RECEPTION, Role.COORDINATOR}))
    accounts.set_roles(admin, rita_id, frozenset({Role.RECEPTION}))
    with admin.transaction() as session:
        newest = session.scalars(
            select(RoleGrant.id).where(RoleGrant.user_id == rita_id).order_by(RoleGrant.id.desc())
        ).first()
        recorded = session.execute(
            text(
                "SELECT min(id) FROM audit_event"
                " WHERE action = 'account.grant' AND target_id LIKE :t"
            ),
            {"t": f"{newest}:%"},
        ).scalar_one()
    admin.close()
    insider = desk.unlock("rita", STAFF_PASSWORD)
    rewrite_log(
        insider,
        [
            f"DELETE FROM role_grant WHERE id = {newest}",
            "UPDATE audit_event SET action = 'auth.lock', target_type = NULL, target_id = NULL"
            f" WHERE id = {recorded}",
        ],
        strip_from=recorded,
    )
    insider.close()

    admin = desk.unlock()
    try:
        report = audit_log.verify(admin)
    finally:
        admin.close()
    assert not report.intact and recorded in report.signatures.unsigned


def test_events_turned_into_refused_sign_ins_of_their_account_show(desk: DeskFixture) -> None:
    admin = desk.unlock()
    with admin.transaction() as session:
        target = session.execute(
            text("SELECT max(id) FROM audit_event WHERE user_id = :u AND signature IS NOT NULL"),
            {"u": admin.user.id},
        ).scalar_one()
    admin.close()
    insider = desk.unlock("rita", STAFF_PASSWORD)
    rewrite_log(
        insider,
        [
            "UPDATE audit_event SET action = 'auth.login', outcome = 'denied', target_type = NULL,"
            f" target_id = NULL, signature = NULL WHERE id >= {target}"
        ],
    )
    insider.close()
    admin = desk.unlock()
    try:
        report = audit_log.verify(admin)
    finally:
        admin.close()
    assert not report.intact and target in report.signatures.unsigned


def test_a_damaged_grant_row_does_not_strip_a_restore_of_what_it_carries_over(
    desk: DeskFixture, tmp_path: Path
) -> None:
    admin = desk.unlock()
    rita_id = rita_id_of(admin)
    accounts.set_roles(admin, rita_id, frozenset({Role.RECEPTION, Role.ADMIN}))
    saved = backup.make_backup(admin, tmp_path / "SG-backup.havre").database
    accounts.set_roles(admin, rita_id, frozenset({Role.RECEPTION}))
    admin.close()
    rita = desk.unlock("rita", STAFF_PASSWORD)
    with rita.driver_connection() as connection:
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute(
            "INSERT INTO role_grant (user_id, account_key, roles, granted_by, granted_at,"
            " signature) VALUES (?, randomblob(32), 'reception', X'00', '2026-11-17 09:00:00',"
            " randomblob(64))",
            (rita_id,),
        )
        connection.commit()
    rita.close()

    restore.restore(
        saved,
        desk.database,
        "admin",
        ADMIN_PASSWORD,
        authority_fingerprint=desk.created.authority_fingerprint,
    )
    back = desk.unlock("rita", STAFF_PASSWORD)
    try:
        assert Role.ADMIN not in back.user.roles
    finally:
        back.close()


def test_a_recovery_reset_gives_back_the_roles_a_planted_grant_took(desk: DeskFixture) -> None:
    """One unsigned newest grant row left the desk without an administrator, and the
    recovery key, meant for exactly that, gave back nothing."""
    admin = desk.unlock()
    admin_id = admin.user.id
    with admin.transaction() as session:
        session.execute(
            text(
                "INSERT INTO role_grant (user_id, account_key, roles, granted_by, granted_at,"
                " signature) VALUES (:u, :k, 'reception', NULL, :at, :s)"
            ),
            {
                "u": admin_id,
                "k": os.urandom(32),
                "at": clock.now().replace(tzinfo=None),
                "s": os.urandom(64),
            },
        )
    admin.close()
    assert desk.unlock().user.roles == frozenset()
    accounts.reset_password_with_recovery_key(
        desk.database, desk.created.recovery_key, "admin", NEW_PASSWORD
    )
    again = desk.unlock("admin", NEW_PASSWORD)
    try:
        assert again.user.has(Role.ADMIN)
        accounts.list_users(again)
    finally:
        again.close()


def test_a_user_name_of_another_type_is_not_a_crash(desk: DeskFixture) -> None:
    rita = desk.unlock("rita", STAFF_PASSWORD)
    with rita.driver_connection() as connection:
        connection.execute("UPDATE user SET user_name = X'00ff' WHERE user_name = 'rita'")
        connection.commit()
    rita.close()
    carl = desk.unlock("carl", STAFF_PASSWORD)
    try:
        assert notes_access.waiting(carl) == []
    finally:
        carl.close()
