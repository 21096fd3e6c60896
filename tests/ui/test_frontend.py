from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from app import clock, desk_places, i18n, machine_facts
from app.cli import GuiOptions
from app.instance_lock import DeskLock
from tests.conftest import ADMIN_PASSWORD, DeskFixture, TestClock
from tests.ui.conftest import sign_in
from tests.ui.user import User
from ui import crash, frontend, prompts
from ui.application import apply_language
from ui.dialogs.crash_dialog import CrashDialog
from ui.lock_screen import LockScreen
from ui.main_window import MainWindow
from ui.settings import UiSettings


def test_a_desk_open_elsewhere_is_refused_at_start(
    qtbot: QtBot, desk: DeskFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alerts: list[str] = []
    monkeypatch.setattr(prompts, "alert", lambda _parent, error: alerts.append(str(error)))
    with DeskLock(desk.database):
        launcher = frontend.Launcher(
            UiSettings(tmp_path / "ui.ini"), GuiOptions(desk.database, None, False, False)
        )
        assert launcher.start() == 1
    assert alerts and "already open" in alerts[0]


@pytest.mark.parametrize("named", [True, False], ids=["named", "last used"])
def test_a_start_reads_the_machine_once(
    qtbot: QtBot,
    desk: DeskFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    named: bool,
) -> None:
    """The mounts and sync folders are read once, whether the desk is named on the command
    line or found (the last one used): every start paid for two reads before the first
    window."""
    reads: list[str] = []

    def counted() -> desk_places.Machine:
        reads.append("read")
        return real()

    real = machine_facts.this_machine
    monkeypatch.setattr(machine_facts, "this_machine", counted)
    monkeypatch.setattr(frontend, "this_machine", counted)
    settings = UiSettings(tmp_path / "ui.ini")
    settings.last_database = desk.database
    launcher = frontend.Launcher(
        settings, GuiOptions(desk.database if named else None, None, False, False)
    )
    assert launcher.start() is None
    assert launcher.window is not None
    qtbot.addWidget(launcher.window)
    assert launcher.window.desk_lock.database == desk.database
    assert reads == ["read"]
    launcher.window.close()


def test_a_desk_that_is_not_there_is_said_and_the_wizard_offered(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alerts: list[str] = []
    monkeypatch.setattr(prompts, "alert", lambda _parent, error: alerts.append(str(error)))
    missing = tmp_path / "gone.havre"
    launcher = frontend.Launcher(
        UiSettings(tmp_path / "ui.ini"), GuiOptions(missing, None, False, False)
    )
    assert launcher.start() is None
    assert alerts and "no desk database" in alerts[0]
    assert launcher.wizard is not None and launcher.wizard.isVisible()
    qtbot.addWidget(launcher.wizard)  # deleted with the test, not at interpreter exit
    launcher.wizard.rejected.disconnect()


def test_the_language_chosen_in_my_account_is_kept_for_the_next_start(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    user = User(qtbot, window)
    user.click_row("Pages", "My account")
    user.choose("Language", "Nederlands")
    user.press("Use this language")
    assert window.settings.language == "nl"


@pytest.mark.parametrize(
    ("code", "look_in", "files_of_type"),
    [
        ("fr", "Voir dans\u00a0:", "Fichiers de type\u00a0:"),
        ("nl", "Zoeken in:", "Bestanden van type:"),
        ("de", "&Suchen in:", "Dateien des &Typs:"),
    ],
)
def test_qts_own_file_dialog_speaks_the_language_of_the_window(
    qtbot: QtBot, code: str, look_in: str, files_of_type: str
) -> None:
    apply_language(code)
    dialog = QFileDialog(None, "", "")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    assert labels["lookInLabel"] == look_in
    assert labels["fileTypeLabel"] == files_of_type


@pytest.mark.parametrize("language", ["en", "fr", "nl", "de"])
def test_a_string_qt_has_no_translation_for_stays_as_written(language: str) -> None:
    """Found by the suite: after a language was applied, Qt took "no translation" for an
    empty one: a printer's page size had no name and a printed recovery sheet came out
    blank."""
    apply_language(language)
    assert QCoreApplication.translate("QPrintDialog", "Nothing Qt translates") == (
        "Nothing Qt translates"
    )
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    assert printer.pageLayout().pageSize().name() == "A4"  # a Belgian window's paper


@pytest.mark.parametrize("code", ["fr", "nl", "de", "en"])
def test_the_lock_screens_clock_writes_the_day_as_every_other_screen(
    qtbot: QtBot, test_clock: TestClock, code: str
) -> None:
    # 2 December 2026, 8:05 in Brussels: the English window too says "2 December", 08:05.
    test_clock.set(datetime(2026, 12, 2, 7, 5, tzinfo=UTC))
    apply_language(code)
    screen = LockScreen()
    qtbot.addWidget(screen)
    moment = clock.now()
    expected = f"{i18n.format_date(moment, 'full')} · {i18n.format_time(moment)}"
    qtbot.waitUntil(lambda: screen.clock.text() == expected)


def test_without_the_crash_dialog_an_unexpected_error_is_printed_and_ends_havre(
    qtbot: QtBot, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    exits: list[int] = []
    monkeypatch.setattr(QApplication.instance(), "exit", lambda code=0: exits.append(code))
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        crash.handle(type(error), error, error.__traceback__, dialog=False, log_file=None)
    assert "RuntimeError: boom" in capsys.readouterr().err and exits == [1]


def test_the_crash_dialog_copies_its_details(qtbot: QtBot) -> None:
    dialog = CrashDialog("Traceback: RuntimeError: boom\nHavre: 0.1.0", Path("/tmp/h.log"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    User(qtbot, dialog).press("Copy details")
    assert "RuntimeError: boom" in QGuiApplication.clipboard().text()
    assert "RuntimeError: boom" in dialog.details.toPlainText()
