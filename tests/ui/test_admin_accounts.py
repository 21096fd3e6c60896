"""The accounts of the desk as the administrator keeps them: an account added with its first
password or refused under the field at fault, the roles of an account changed in the form
beside the list, disabling after a question and enabling with a first password, the list
sorted by a click on a header, and what is typed kept across a lock, never a password."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit
from pytestqt.qtbot import QtBot

from app.domain.roles import Role
from app.services import accounts
from app.services.open_desk import OpenDesk
from tests.conftest import ADMIN_PASSWORD
from tests.ui.conftest import Prompts, lock, sign_in
from tests.ui.user import User
from ui import tasks
from ui.dialogs.password_dialog import PasswordDialog
from ui.main_window import MainWindow
from ui.pages.admin.accounts_tab import AccountsTab

TABLE = "Accounts"
FIRST_PASSWORD = "orange kettle mountain 5"


@pytest.fixture
def tab(qtbot: QtBot, admin_desk: OpenDesk) -> AccountsTab:
    editor = AccountsTab()
    qtbot.addWidget(editor)
    editor.resize(1100, 650)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()  # for its keyboard shortcuts
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    editor.open_desk(admin_desk)
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: editor.model.rowCount() == 3)
    return editor


def _accounts_page(qtbot: QtBot, window: MainWindow) -> User:
    """The administrator signed in, on the accounts, the window taking the keyboard."""
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    User(qtbot, window).click_row("Pages", "Administration")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    user = User(qtbot, window.workspace.admin_page)
    qtbot.waitUntil(lambda: len(user.rows(TABLE)) == 3)
    return user


def _type_account(user: User, name: str, role: str) -> None:
    user.type("User name", name)
    user.type("First password", FIRST_PASSWORD)
    user.tick(role)


def _row(user: User, name: str) -> list[str]:
    return next(row for row in user.rows(TABLE) if row[0] == name)


def _roles(desk: OpenDesk, name: str) -> frozenset[Role]:
    return next(u.roles for u in accounts.list_users(desk) if u.user_name == name)


def test_the_admin_adds_an_account_from_the_page(
    qtbot: QtBot, window: MainWindow, recorded_prompts: Prompts
) -> None:
    user = _accounts_page(qtbot, window)
    _type_account(user, "nora", "Counsellor")
    user.type("Full name", "Nora N.")
    user.press("Save the account")
    qtbot.waitUntil(lambda: len(user.rows(TABLE)) == 4, timeout=10_000)
    assert ["nora", "Nora N.", "Counsellor", "Must choose a password", "Never"] in user.rows(TABLE)
    assert any("The account nora was added" in info for info in recorded_prompts.infos)
    # The form shows the account added: its name is kept, its password is the person's.
    qtbot.waitUntil(lambda: user.text("Full name") == "Nora N.")
    assert user.find("User name", QLineEdit).isReadOnly()
    assert not user.sees("First password")


def test_a_refused_account_shows_the_reason_under_its_field(
    qtbot: QtBot, window: MainWindow, recorded_prompts: Prompts
) -> None:
    user = _accounts_page(qtbot, window)
    _type_account(user, "rita", "Reception")
    user.keys("Ctrl+S")
    qtbot.waitUntil(lambda: "There is already an account named rita." in user.said())
    assert recorded_prompts.errors == [] and recorded_prompts.infos == []
    assert user.text("User name") == "rita"  # the input is kept to be corrected


def test_the_roles_of_an_account_are_changed_in_the_form(
    qtbot: QtBot, tab: AccountsTab, admin_desk: OpenDesk, recorded_prompts: Prompts
) -> None:
    user = User(qtbot, tab)
    assert _row(user, "admin")[:4] == ["admin", "Ada Admin", "Administrator", "Active"]
    user.click_row(TABLE, "carl")
    assert user.text("User name") == "carl" and user.text("Full name") == "Carl Counsellor"
    # No service renames an account, and its password is the person's own.
    assert user.find("User name", QLineEdit).isReadOnly()
    assert user.find("Full name", QLineEdit).isReadOnly()
    assert not user.sees("First password")
    user.tick("Coordinator")
    user.keys("Ctrl+S")
    qtbot.waitUntil(lambda: _row(user, "carl")[2] == "Counsellor, Coordinator")
    assert _roles(admin_desk, "carl") == {Role.COUNSELLOR, Role.COORDINATOR}
    assert recorded_prompts.infos == []  # no "account added" for an account changed
    assert user.text("User name") == "carl"  # still in the form, to go on with
    user.press("New account")
    assert user.text("User name") == "" and not user.find("User name", QLineEdit).isReadOnly()
    assert user.sees("First password")


def test_an_account_left_without_a_role_is_refused_under_the_roles(
    qtbot: QtBot, tab: AccountsTab, admin_desk: OpenDesk, recorded_prompts: Prompts
) -> None:
    user = User(qtbot, tab)
    user.click_row(TABLE, "carl")
    user.tick("Counsellor", False)
    user.press("Save the account")
    qtbot.waitUntil(lambda: "Give the account at least one role." in user.said())
    assert recorded_prompts.errors == []
    assert _roles(admin_desk, "carl") == {Role.COUNSELLOR}


def test_disabling_asks_first_and_enabling_asks_for_a_first_password(
    qtbot: QtBot, tab: AccountsTab, admin_desk: OpenDesk, recorded_prompts: Prompts
) -> None:
    user = User(qtbot, tab)
    assert not user.find("Disable").isEnabled()  # no account chosen yet
    user.click_row(TABLE, "rita")
    recorded_prompts.confirm_answer = False
    user.press("Disable")
    assert recorded_prompts.questions == [
        "Disable the account rita? Its password will no longer open the desk."
    ]
    tasks.wait_for_all()
    assert _row(user, "rita")[3] == "Active"
    recorded_prompts.confirm_answer = True
    user.press("Disable")
    qtbot.waitUntil(lambda: _row(user, "rita")[3] == "Disabled")
    assert not next(u for u in accounts.list_users(admin_desk) if u.user_name == "rita").active
    assert user.text("User name") == "rita"  # the account disabled stays chosen
    assert not user.find("Reset password…").isEnabled()
    user.press("Enable…")
    (dialog,) = tab.findChildren(PasswordDialog)
    assert dialog.isVisible() and dialog.windowTitle() == "Enable rita"


def test_the_last_sign_in_sorts_by_time_and_never_comes_first(
    qtbot: QtBot, tab: AccountsTab
) -> None:
    user = User(qtbot, tab)
    user.click_header(TABLE, 4)
    shown = [row[4] for row in user.rows(TABLE)]
    assert shown[:2] == ["Never", "Never"] and shown[2] != "Never"
    user.click_header(TABLE, 0)
    assert [row[0] for row in user.rows(TABLE)] == ["admin", "carl", "rita"]
    user.click_header(TABLE, 0)
    assert [row[0] for row in user.rows(TABLE)] == ["rita", "carl", "admin"]


def test_roles_being_changed_come_back_after_a_lock(
    qtbot: QtBot, window: MainWindow, recorded_prompts: Prompts
) -> None:
    user = _accounts_page(qtbot, window)
    user.click_row(TABLE, "carl")
    user.tick("Coordinator")
    lock(qtbot, window)
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    qtbot.waitUntil(lambda: len(user.rows(TABLE)) == 3)
    assert user.text("User name") == "carl" and user.find("User name", QLineEdit).isReadOnly()
    assert user.find("Coordinator", QCheckBox).isChecked()
    assert user.find("Counsellor", QCheckBox).isChecked()
    assert not user.sees("First password")
    assert user.find("Disable").isEnabled()


def test_an_account_only_looked_at_is_not_kept_across_a_lock(
    qtbot: QtBot, window: MainWindow, recorded_prompts: Prompts
) -> None:
    user = _accounts_page(qtbot, window)
    user.click_row(TABLE, "carl")
    lock(qtbot, window)
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    qtbot.waitUntil(lambda: len(user.rows(TABLE)) == 3)
    assert user.text("User name") == "" and user.sees("First password")


def test_a_first_password_is_never_kept_across_a_lock(
    qtbot: QtBot, window: MainWindow, recorded_prompts: Prompts
) -> None:
    user = _accounts_page(qtbot, window)
    _type_account(user, "nora", "Reception")
    lock(qtbot, window)
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    assert user.text("User name") == "nora"
    assert user.find("Reception", QCheckBox).isChecked()
    assert user.text("First password") == ""
