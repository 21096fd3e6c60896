from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from app import keyfile
from app.domain.accounts import NewAccount, UserInfo
from app.domain.roles import Role
from app.services import accounts, backup, desk_settings, notes_access
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, DeskFixture
from tests.ui.conftest import Prompts, held_back, lock, progress_shown, sign_in
from tests.ui.user import User
from ui import prompts, style, tasks
from ui.main_window import MainWindow
from ui.style import Tone

CANARY = "zq.canary"


def _page_titles(window: MainWindow) -> list[str]:
    navigation = window.workspace.navigation
    return [navigation.item(i).text() for i in range(navigation.count())]


def _visible_texts(window: MainWindow) -> str:
    texts = [edit.text() for edit in window.findChildren(QLineEdit)]
    texts += [label.text() for label in window.findChildren(QLabel)]
    return "\n".join(texts)


def _press_ok(qtbot: QtBot, dialog: QDialog) -> None:
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_signing_in_shows_the_pages_of_the_roles_and_who_is_signed_in(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.windowTitle() == "Havre"
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    assert window.stack.currentWidget() is window.workspace
    pages = [
        window.workspace.navigation.item(i).text()
        for i in range(window.workspace.navigation.count())
    ]
    assert pages == ["Directory", "Administration", "Audit log", "My account"]
    assert "Ada Admin (admin)" in window.status_label.text()
    assert "Administrator" in window.status_label.text()
    User(qtbot, window).click_row("Pages", "Administration")
    accounts = User(qtbot, window.workspace.admin_page)
    qtbot.waitUntil(lambda: len(accounts.rows("Accounts")) == 3)


def test_reception_does_not_see_the_administration(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    pages = [
        window.workspace.navigation.item(i).text()
        for i in range(window.workspace.navigation.count())
    ]
    assert pages == [
        "Intake",
        "Cases",
        "Case",
        "Follow-up",
        "Directory",
        "Printed material",
        "Activities and housing",
        "My account",
    ]
    assert not window.page_actions["admin"].isVisible()
    # Ctrl+1 … follow the pages shown, in their order (there is no Ctrl+10).
    shortcuts = [
        window.page_actions[key].shortcut().toString()
        for key in (
            "intake",
            "cases",
            "case",
            "follow_up",
            "directory",
            "printing",
            "activities",
            "account",
        )
    ]
    assert shortcuts == [f"Ctrl+{n}" for n in range(1, 9)]


def test_a_wrong_password_gets_one_message_then_a_delay(qtbot: QtBot, window: MainWindow) -> None:
    person = User(qtbot, window.lock_screen)

    def try_wrong_password() -> None:
        person.type("User name", "admin")
        person.type("Password", "wrong password here")
        person.press("Sign in")

    for _ in range(3):
        try_wrong_password()
        qtbot.waitUntil(lambda: person.sees("Sign in") and person.find("Sign in").isEnabled())
    said = person.text("Message")
    assert "Try again in" in said or "not correct" in said
    try_wrong_password()
    qtbot.waitUntil(lambda: "Try again in" in person.text("Message"), timeout=5000)
    assert not person.find("Sign in").isEnabled()
    assert person.text("Password") == ""


def test_quick_exit_blanks_at_once_keeps_the_draft_and_comes_back_to_the_page(
    qtbot: QtBot, window: MainWindow, desk: DeskFixture
) -> None:
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    User(qtbot, window).click_row("Pages", "Administration")
    user = User(qtbot, window.workspace.admin_page)
    user.type("User name", CANARY)
    user.tick("Reception")
    handle = window.windowHandle()
    for _ in range(3):
        qtbot.keyClick(handle, Qt.Key.Key_Shift)
    # Blanked and locked by the third press itself, with no wait for later events (how fast,
    # against the 200 ms budget, is measured by `make bench`).
    assert window.stack.currentWidget() is window.lock_screen
    assert window.desk is None
    assert CANARY not in _visible_texts(window)
    for path in desk.database.parent.iterdir():
        assert CANARY.encode() not in path.read_bytes(), path.name
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    assert window.workspace.page_stack.currentWidget() is window.workspace.admin_page
    assert user.text("User name") == CANARY
    assert user.find("Reception", QCheckBox).isChecked()


def test_the_quick_exit_button_and_shift_with_other_keys(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    handle = window.windowHandle()
    qtbot.keyClick(handle, Qt.Key.Key_Shift)
    qtbot.keyClick(handle, Qt.Key.Key_A)  # typing capitals is not a quick exit
    qtbot.keyClick(handle, Qt.Key.Key_Shift)
    qtbot.keyClick(handle, Qt.Key.Key_Shift)
    assert window.desk is not None
    qtbot.mouseClick(window.quick_exit_button, Qt.MouseButton.LeftButton)
    assert window.desk is None and window.stack.currentWidget() is window.lock_screen


def test_another_person_signing_in_does_not_get_the_draft(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    User(qtbot, window).click_row("Pages", "Administration")
    User(qtbot, window.workspace.admin_page).type("User name", CANARY)
    lock(qtbot, window)
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    assert CANARY not in _visible_texts(window)


def test_idle_lock(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    assert window.idle_lock.interval_ms() == 5 * 60_000
    window.idle_lock.start(0.005)  # 300 ms
    qtbot.waitUntil(lambda: window.desk is None, timeout=3000)
    assert window.stack.currentWidget() is window.lock_screen


def test_a_new_account_must_choose_its_password_at_first_sign_in(
    qtbot: QtBot, window: MainWindow, desk: DeskFixture
) -> None:
    admin = desk.unlock()
    accounts.add_user(
        admin, NewAccount("nora", "", frozenset({Role.RECEPTION}), "orange kettle mountain 5")
    )
    admin.close()
    sign_in(qtbot, window, "nora", "orange kettle mountain 5")
    from ui.dialogs.password_dialog import PasswordDialog

    dialog = window.findChild(PasswordDialog)
    assert dialog is not None and dialog.isVisible()
    # Every input by the name a screen reader gives it.
    asked = User(qtbot, dialog)
    asked.type("Current password", "orange kettle mountain 5")
    asked.type("New password", "violet window harbour 3")
    asked.type("Repeat the new password", "violet window harbour 3")
    _press_ok(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    lock(qtbot, window)
    sign_in(qtbot, window, "nora", "violet window harbour 3")


def test_quick_exit_also_works_from_a_dialog(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    user = User(qtbot, window)
    user.click_row("Pages", "My account")
    user.press("Change my password…")
    from ui.dialogs.password_dialog import PasswordDialog

    dialog = window.findChild(PasswordDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.windowHandle().property("havre_watched") is True)
    for _ in range(3):
        qtbot.keyClick(dialog.windowHandle(), Qt.Key.Key_Shift)
    assert window.desk is None and not dialog.isVisible()
    assert window.stack.currentWidget() is window.lock_screen


def test_the_spelled_out_shift_key_is_qts() -> None:
    from ui.quick_exit import KEY_SHIFT

    assert KEY_SHIFT == Qt.Key.Key_Shift


def test_forgot_password_resets_with_the_recovery_key(
    qtbot: QtBot, window: MainWindow, desk: DeskFixture
) -> None:
    from ui.dialogs.password_dialog import PasswordDialog

    User(qtbot, window.lock_screen).press("Forgot your password?")
    dialog = window.findChild(PasswordDialog)
    assert dialog is not None
    asked = User(qtbot, dialog)
    asked.type("Recovery key", desk.created.recovery_key)
    asked.type("User name", "rita")
    asked.type("New password", "violet window harbour 3")
    asked.type("Repeat the new password", "violet window harbour 3")
    _press_ok(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert "Sign in with the new password" in window.lock_screen.message.text()
    sign_in(qtbot, window, "rita", "violet window harbour 3")


def _new_counsellor_added_by_the_admin(desk: DeskFixture) -> UserInfo:
    admin = desk.unlock()
    try:
        account = NewAccount(
            "nina", "Nina Nieuw", frozenset({Role.COUNSELLOR}), "lantern harbour willow 58"
        )
        return accounts.add_user(admin, account)
    finally:
        admin.close()


def test_a_counsellor_signing_in_is_asked_to_give_a_new_colleague_the_notes(
    qtbot: QtBot, window: MainWindow, desk: DeskFixture, recorded_prompts: Prompts
) -> None:
    nina = _new_counsellor_added_by_the_admin(desk)
    sign_in(qtbot, window, "carl", STAFF_PASSWORD)
    qtbot.waitUntil(
        lambda: recorded_prompts.infos == ["Nina Nieuw can now read the counselling notes."]
    )
    assert len(recorded_prompts.questions) == 1
    assert "Nina Nieuw (nina)" in recorded_prompts.questions[0]
    assert window.desk is not None and notes_access.waiting(window.desk) == []
    key_file = keyfile.read(keyfile.path_for(desk.database))
    slot = key_file.slot_by_id(nina.id)
    assert slot is not None and slot.sealed_notes_key is not None


def test_a_counsellor_may_refuse_to_vouch_for_a_colleague(
    qtbot: QtBot, window: MainWindow, desk: DeskFixture, recorded_prompts: Prompts
) -> None:
    _new_counsellor_added_by_the_admin(desk)
    recorded_prompts.confirm_answer = False
    sign_in(qtbot, window, "carl", STAFF_PASSWORD)
    qtbot.waitUntil(lambda: len(recorded_prompts.questions) == 1)
    assert window.desk is not None
    assert [w.user.user_name for w in notes_access.waiting(window.desk)] == ["nina"]
    assert recorded_prompts.infos == []


def _saying(page: QWidget, words: str) -> QLabel:
    return next(label for label in page.findChildren(QLabel) if words in label.text())


def test_the_admin_backs_up_and_the_reminder_follows(
    qtbot: QtBot,
    window: MainWindow,
    recorded_prompts: Prompts,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    assert "Backup due" in window.status_label.text()
    User(qtbot, window).click_row("Pages", "Administration")
    page = window.workspace.admin_page
    user = User(qtbot, page)
    user.open_tab("Desk and data")
    qtbot.waitUntil(lambda: "No backup yet" in user.said())
    assert style.tone_of(_saying(page, "No backup yet")) is Tone.WARNING
    assert user.text("Remind to back up after") == "7 days"
    target = tmp_path / "usb" / "SG-backup.havre"
    target.parent.mkdir()
    monkeypatch.setattr(prompts, "choose_file_to_save", lambda *_args: target)
    with monkeypatch.context() as patch:
        checking = held_back(patch, backup, "verify_with_key")
        user.press("Back up now…")
        progress = progress_shown(qtbot, page)
        assert progress.windowTitle() == "Back up the desk"
        qtbot.waitUntil(lambda: progress.label.text() == "Checking the backup…")
        qtbot.waitUntil(lambda: (progress.bar.value(), progress.bar.maximum()) == (1, 2))
        assert not progress.buttons.isVisible()
        checking.set()
        qtbot.waitUntil(lambda: "Last backup today." in user.said(), timeout=10_000)
    assert style.tone_of(_saying(page, "Last backup today.")) is None
    assert target.exists() and any("verified" in info for info in recorded_prompts.infos)
    first = target.read_bytes()
    recorded_prompts.confirm_answer = False
    user.press("Back up now…")
    qtbot.waitUntil(lambda: bool(recorded_prompts.questions))
    tasks.wait_for_all()
    assert "already exists" in recorded_prompts.questions[-1]
    assert target.read_bytes() == first  # not replaced without a yes
    user.type("Remind to back up after", "30")
    user.press("Save the backup reminder")
    tasks.wait_for_all()
    assert window.desk is not None and desk_settings.backup_reminder_days(window.desk) == 30


def test_another_language_is_used_at_once_and_nothing_typed_is_lost(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Found in the real window: changing the language needed a restart."""
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    user = User(qtbot, window)
    user.type("Pseudonym", "Nadia")
    user.click_row("Pages", "My account")
    page = window.workspace.account_page
    user.choose("Language", "Français")
    user.press("Use this language")
    assert window.settings.language == "fr"
    workspace = window.workspace
    assert workspace.account_page is not page  # built again, in French
    assert workspace.page_stack.currentWidget() is workspace.account_page
    assert workspace.account_page.apply_language_button.text() == "Utiliser cette langue"
    assert [a.text() for a in window.menuBar().actions()] == ["&Permanence", "&Aller à", "&Aide"]
    assert window.quick_exit_button.text() == "Sortie rapide"
    # Whole, not cut to the English name's width.
    assert window.quick_exit_button.width() >= window.quick_exit_button.sizeHint().width()
    user.click_row("Pages", "Accueil")
    assert user.text("Pseudonyme") == "Nadia"
    assert window.desk is not None and "Connecté" in window.status_label.text()
    # Still the same desk and person: locking and signing in again works as before.
    lock(qtbot, window)
    assert window.lock_screen.sign_in_button.text() != "Sign in"
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    user.click_row("Pages", "Accueil")
    assert user.text("Pseudonyme") == "Nadia"
