from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app import keyfile
from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.errors import AccessDenied, ValidationError, WrongCredentials
from app.services import accounts, desk_settings, drafts
from app.services.open_desk import OpenDesk
from db.models import AuditEvent
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, DeskFixture

NEW_PASSWORD = "orange kettle mountain 5"


def _user(desk: OpenDesk, name: str) -> str:
    return next(u.id for u in accounts.list_users(desk) if u.user_name == name)


def _slots(desk: DeskFixture) -> dict[str, dict[str, object]]:
    document = json.loads(keyfile.path_for(desk.database).read_text())
    return {slot["id"]: slot for slot in document["slots"]}


def test_an_added_account_can_unlock_and_must_change_its_password(
    admin_desk: OpenDesk, desk: DeskFixture
) -> None:
    added = accounts.add_user(
        admin_desk,
        NewAccount("Nora", "Nora N.", frozenset({Role.COUNSELLOR, Role.COORDINATOR}), NEW_PASSWORD),
    )
    assert added.roles == {Role.COUNSELLOR, Role.COORDINATOR} and added.must_change_password
    nora = desk.unlock("nora", NEW_PASSWORD)
    assert nora.user.must_change_password
    accounts.change_own_password(nora, NEW_PASSWORD, "violet window harbour 3")
    nora.close()
    assert not desk.unlock("nora", "violet window harbour 3").user.must_change_password


def test_duplicate_and_invalid_accounts_are_refused(admin_desk: OpenDesk) -> None:
    with pytest.raises(ValidationError, match="already an account"):
        accounts.add_user(
            admin_desk, NewAccount("RITA", "", frozenset({Role.RECEPTION}), NEW_PASSWORD)
        )
    with pytest.raises(ValidationError, match="user name has"):
        accounts.add_user(
            admin_desk, NewAccount("a b", "", frozenset({Role.RECEPTION}), NEW_PASSWORD)
        )
    with pytest.raises(ValidationError, match="at least one role"):
        accounts.add_user(admin_desk, NewAccount("zoe", "", frozenset(), NEW_PASSWORD))


def test_changing_a_password_rewraps_only_that_accounts_copy(desk: DeskFixture) -> None:
    before = _slots(desk)
    rita = desk.unlock("rita", STAFF_PASSWORD)
    with pytest.raises(ValidationError, match="current password"):
        accounts.change_own_password(rita, "not my password", NEW_PASSWORD)
    accounts.change_own_password(rita, STAFF_PASSWORD, NEW_PASSWORD)
    rita.close()
    after = _slots(desk)
    changed = {slot_id for slot_id in before if before[slot_id] != after[slot_id]}
    assert changed == {rita.user.id}
    with pytest.raises(WrongCredentials):
        desk.unlock("rita", STAFF_PASSWORD)
    desk.unlock("rita", NEW_PASSWORD).close()


def test_the_recovery_key_lets_an_admin_reset_a_password(
    admin_desk: OpenDesk, desk: DeskFixture
) -> None:
    carl = _user(admin_desk, "carl")
    with pytest.raises(ValidationError, match="does not open"):
        accounts.reset_password(admin_desk, carl, _other_recovery_key(desk), NEW_PASSWORD)
    accounts.reset_password(admin_desk, carl, desk.created.recovery_key, NEW_PASSWORD)
    opened = desk.unlock("carl", NEW_PASSWORD)
    assert opened.user.must_change_password
    opened.close()


def _other_recovery_key(desk: DeskFixture) -> str:
    from app import crypto

    key = crypto.new_recovery_key()
    assert key != desk.created.recovery_key
    return key


def test_the_recovery_key_opens_the_desk_from_the_sign_in_screen(desk: DeskFixture) -> None:
    typed = desk.created.recovery_key.lower().replace("-", " ")
    accounts.reset_password_with_recovery_key(desk.database, typed, "Admin", NEW_PASSWORD)
    with pytest.raises(WrongCredentials):
        desk.unlock("admin", ADMIN_PASSWORD)
    opened = desk.unlock("admin", NEW_PASSWORD)
    with opened.transaction() as session:
        resets = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "account.password_reset")
        ).all()
    opened.close()
    assert len(resets) == 1 and resets[0].user_id is None  # done with the key, not an account


def test_a_recovery_reset_for_an_unknown_name_changes_nothing(desk: DeskFixture) -> None:
    before = keyfile.path_for(desk.database).read_bytes()
    with pytest.raises(ValidationError, match="no account named"):
        accounts.reset_password_with_recovery_key(
            desk.database, desk.created.recovery_key, "ghost", NEW_PASSWORD
        )
    assert keyfile.path_for(desk.database).read_bytes() == before


def test_roles_are_enforced_in_the_services(desk: DeskFixture) -> None:
    rita = desk.unlock("rita", STAFF_PASSWORD)
    with pytest.raises(AccessDenied):
        accounts.list_users(rita)
    with pytest.raises(AccessDenied):
        accounts.add_user(rita, NewAccount("eve", "", frozenset({Role.ADMIN}), NEW_PASSWORD))
    with pytest.raises(AccessDenied):
        accounts.set_roles(rita, rita.user.id, frozenset({Role.ADMIN}))
    with pytest.raises(AccessDenied):
        desk_settings.set_idle_lock_minutes(rita, 10)
    with rita.transaction() as session:
        denied = session.scalars(
            select(AuditEvent.target_type).where(AuditEvent.action == "access.denied")
        ).all()
    rita.close()
    assert denied == ["account.list", "account.create", "account.roles", "settings.idle_lock"]


def test_a_role_taken_away_is_refused_at_once(admin_desk: OpenDesk, desk: DeskFixture) -> None:
    other_admin = accounts.add_user(
        admin_desk, NewAccount("boss", "", frozenset({Role.ADMIN}), NEW_PASSWORD)
    )
    boss = desk.unlock("boss", NEW_PASSWORD)
    accounts.list_users(boss)
    accounts.set_roles(admin_desk, other_admin.id, frozenset({Role.RECEPTION}))
    with pytest.raises(AccessDenied):
        accounts.list_users(boss)
    boss.close()


def test_the_desk_always_keeps_an_active_administrator(admin_desk: OpenDesk) -> None:
    with pytest.raises(ValidationError, match="at least one active administrator"):
        accounts.set_roles(admin_desk, admin_desk.user.id, frozenset({Role.COORDINATOR}))
    with pytest.raises(ValidationError, match="your own account"):
        accounts.disable_user(admin_desk, admin_desk.user.id)


def test_a_disabled_account_can_be_enabled_with_a_new_password(
    admin_desk: OpenDesk, desk: DeskFixture
) -> None:
    rita = _user(admin_desk, "rita")
    accounts.disable_user(admin_desk, rita)
    assert rita not in _slots(desk)
    with pytest.raises(ValidationError, match="disabled"):
        accounts.reset_password(admin_desk, rita, desk.created.recovery_key, NEW_PASSWORD)
    accounts.enable_user(admin_desk, rita, NEW_PASSWORD)
    desk.unlock("rita", NEW_PASSWORD).close()


def test_account_changes_are_audited(admin_desk: OpenDesk) -> None:
    carl = _user(admin_desk, "carl")
    accounts.set_roles(admin_desk, carl, frozenset({Role.COUNSELLOR, Role.COORDINATOR}))
    accounts.disable_user(admin_desk, carl)
    accounts.enable_user(admin_desk, carl, NEW_PASSWORD)
    with admin_desk.transaction() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.target_id == carl)).all()
        actions = [row.action for row in rows]
        assert all(row.user_id == admin_desk.user.id for row in rows[1:])
    assert actions == ["account.create", "account.roles", "account.disable", "account.enable"]


def test_idle_lock_setting_is_bounded(admin_desk: OpenDesk) -> None:
    assert desk_settings.idle_lock_minutes(admin_desk) == 5
    desk_settings.set_idle_lock_minutes(admin_desk, 2)
    assert desk_settings.idle_lock_minutes(admin_desk) == 2
    for wrong in (1, 16):
        with pytest.raises(ValidationError, match="between 2 and 15"):
            desk_settings.set_idle_lock_minutes(admin_desk, wrong)


def test_drafts_come_back_to_their_author_only(desk: DeskFixture) -> None:
    rita = desk.unlock("rita", STAFF_PASSWORD)
    drafts.keep(rita, {"account": {"display_name": "Rita R."}, "empty": {}})
    rita.close()
    admin = desk.unlock()
    assert drafts.load(admin) == {}
    admin.close()
    rita = desk.unlock("rita", STAFF_PASSWORD)
    kept = drafts.load(rita)
    assert {page: d.values for page, d in kept.items()} == {"account": {"display_name": "Rita R."}}
    # Handed back but still there: a crash right after the unlock loses nothing.
    assert drafts.load(rita) == kept
    drafts.keep(rita, {})
    assert drafts.load(rita) == {}
    rita.close()
