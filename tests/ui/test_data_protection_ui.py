"""Retention and key rotation as the admin sees them: the check at sign-in, the periods, the
purge preview and the purge, forgetting one identity on request, rotating the data key."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app import clock, rotation_swap
from app.domain.retention import RetentionPeriods, cutoff
from app.i18n import format_date
from app.services import retention
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, DeskFixture
from tests.counts_support import intake_on
from tests.factories import named_intake
from tests.ui.conftest import Prompts, held_back, progress_shown, sign_in
from tests.ui.user import User
from ui import prompts, style, tasks
from ui.dialogs.purge_dialog import PurgeDialog
from ui.dialogs.rotation_dialog import RotationDialog
from ui.main_window import MainWindow

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates


def test_the_admin_is_told_at_sign_in_previews_and_purges(
    qtbot: QtBot,
    window: MainWindow,
    desk: DeskFixture,
    recorded_prompts: Prompts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    staff = desk.unlock("rita", STAFF_PASSWORD)
    intake_on(staff, date(2026, 3, 3))
    yesterday = clock.today() - timedelta(days=1)  # at 10:00: today's may not have come yet
    recent = intake_on(staff, yesterday, **{"identity": named_intake("Zoé").identity})
    staff.close()
    admin = desk.unlock()
    retention.set_periods(admin, RetentionPeriods(identity=1, notes=24, case=60))
    admin.close()

    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    qtbot.waitUntil(lambda: "Purge due" in window.status_label.text())
    page = window.workspace.admin_page
    User(qtbot, window).click_row("Pages", "Administration")
    user = User(qtbot, page)
    user.open_tab("Desk and data")
    qtbot.waitUntil(lambda: user.text("Identity") == "1 months")

    user.press("Purge preview…")
    qtbot.waitUntil(lambda: bool(page.findChildren(PurgeDialog)))
    dialog = page.findChildren(PurgeDialog)[0]
    cells = User(qtbot, dialog).rows("Purge preview")
    before = [format_date(cutoff(clock.today(), months)) for months in (1, 24, 60)]
    assert [row[1:] for row in cells] == [
        ["1 month", before[0], "1", "1"],
        ["1 month", before[0], "0", "0"],  # notes on contacts, with the identities
        ["24 months", before[1], "0", "0"],
        ["60 months", before[2], "0", "2"],
    ]
    assert "no month loses a case" in dialog.months.text()
    dialog.grab().save(str(desk.database.parent / "purge.png"))
    with monkeypatch.context() as patch:
        erasing = held_back(patch, retention.retention_queries, "purge")
        dialog.purge_button.click()
        progress = progress_shown(qtbot, dialog)
        assert progress.windowTitle() == "Purge"
        qtbot.waitUntil(lambda: progress.label.text() == "Erasing the records past their period…")
        assert not progress.buttons.isVisible()  # the erasing cannot be stopped
        erasing.set()
        qtbot.waitUntil(lambda: any("Purged" in info for info in recorded_prompts.infos))
    assert "1 records will be erased" in recorded_prompts.questions[-1]
    assert window.desk is not None
    assert retention.preview(window.desk).nothing_due

    with window.desk.transaction() as session:
        from db import case_queries

        case = case_queries.case_by_id(session, recent)
        assert case is not None
        code = case.code
    user.type("Case code of the identity to forget", code.lower())
    user.press("Forget the identity…")
    tasks.wait_for_all()
    QApplication.processEvents()
    assert f"Forget who the person of case {code} is?" in recorded_prompts.questions[-1]
    assert f"The identity of case {code} is forgotten." in recorded_prompts.infos
    assert user.text("Case code of the identity to forget") == ""
    assert retention.preview(window.desk).identities_kept == 0


def test_periods_are_saved_from_the_page_and_refused_when_inconsistent(
    qtbot: QtBot, window: MainWindow, recorded_prompts: Prompts
) -> None:
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    tasks.wait_for_all()
    QApplication.processEvents()
    assert "Purge due" not in window.status_label.text()
    User(qtbot, window).click_row("Pages", "Administration")
    user = User(qtbot, window.workspace.admin_page)
    user.open_tab("Desk and data")
    user.type("Session notes", "100")
    user.press("Save the retention periods")
    tasks.wait_for_all()
    QApplication.processEvents()
    assert any("longer than the case record" in e for e in recorded_prompts.errors)
    assert window.desk is not None and retention.periods(window.desk).notes == 24
    user.type("Session notes", "36")
    user.press("Save the retention periods")
    tasks.wait_for_all()
    QApplication.processEvents()
    assert window.desk is not None and retention.periods(window.desk).notes == 36


def test_the_admin_rotates_the_data_key_and_signs_in_again(
    qtbot: QtBot,
    window: MainWindow,
    desk: DeskFixture,
    recorded_prompts: Prompts,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    assert window.desk is not None
    old_key = window.desk.data_key()
    target = tmp_path / "usb" / "before.havre"
    target.parent.mkdir()
    monkeypatch.setattr(prompts, "choose_file_to_save", lambda *_args: target)
    page = window.workspace.admin_page
    User(qtbot, window).click_row("Pages", "Administration")
    user = User(qtbot, page)
    user.open_tab("Desk and data")
    user.press("Rotate the data key…")
    qtbot.waitUntil(lambda: bool(page.findChildren(RotationDialog)))
    dialog = page.findChildren(RotationDialog)[0]
    assert str(target) in dialog.findChildren(QLabel)[0].text()
    dialog.password.setText("not my password")
    dialog.rotate_button.click()
    qtbot.waitUntil(lambda: "not correct" in dialog.error.text())
    assert window.desk is not None  # nothing happened: still signed in
    dialog.grab().save(str(tmp_path / "rotation.png"))
    dialog.password.setText(ADMIN_PASSWORD)
    swapping = held_back(monkeypatch, rotation_swap, "swap_in")
    dialog.rotate_button.click()
    progress = progress_shown(qtbot, window)
    assert progress.windowTitle() == "Rotating the data key"
    qtbot.waitUntil(
        lambda: progress.label.text() == "Putting the re-encrypted desk in place…", timeout=30_000
    )
    qtbot.waitUntil(lambda: (progress.bar.value(), progress.bar.maximum()) == (2, 3))
    assert not progress.buttons.isVisible()
    swapping.set()
    qtbot.waitUntil(lambda: "Sign in again" in window.lock_screen.message.text(), timeout=20_000)
    assert window.desk is None and target.exists()
    assert window.lock_screen.isEnabled()
    assert style.tone_of(window.lock_screen.message) is None  # news, not a refusal in red
    window.grab().save(str(tmp_path / "rotated.png"))
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    assert window.desk is not None and window.desk.data_key() != old_key
