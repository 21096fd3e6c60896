from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from app import clock, crypto, paths
from app.instance_lock import DeskLock
from app.services import auth, demo
from tests.conftest import FAST_KDF
from tests.ui.conftest import sign_in
from ui import tasks
from ui.main_window import MainWindow
from ui.printing import print_html, recovery_sheet_html
from ui.settings import UiSettings
from ui.wizard import ADMIN, CREATE, DEMO, DESK, RECOVERY, WELCOME, SetupWizard

PASSWORD = "harbour lantern blue 42"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "calibrate_kdf", lambda *_a: FAST_KDF)


def _fill_until_admin(wizard: SetupWizard, folder: Path, nis: str = "21013") -> None:
    wizard.next()
    assert wizard.currentId() == DESK
    page = wizard.desk_page
    page.desk_name.setText("Permanence")
    page.desk_code.setText("sg")
    page.organisation.setText("Commune")
    page.municipality.setCurrentIndex(page.municipality.findData(nis))
    wizard.next()
    wizard.folder_page.folder.setText(str(folder))
    wizard.next()


def test_the_wizard_creates_a_desk_and_shows_the_recovery_key_once(
    qtbot: QtBot, tmp_path: Path
) -> None:
    wizard = SetupWizard(ask_language=True)
    qtbot.addWidget(wizard)
    wizard.show()
    _fill_until_admin(wizard, tmp_path)
    assert wizard.currentId() == ADMIN
    admin = wizard.admin_page
    admin.user_name.setText("anna")
    admin.password.edit.setText(PASSWORD)
    admin.repeat.setText(PASSWORD + "x")
    wizard.next()
    assert wizard.currentId() == ADMIN and "differ" in admin.error.text()
    admin.repeat.setText(PASSWORD)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == RECOVERY, timeout=15_000)
    created = wizard.created
    assert created is not None
    assert wizard.recovery_page.key.text() == created.recovery_key
    assert not wizard.recovery_page.isComplete()  # cannot finish before confirming
    wizard.reject()
    assert wizard.isVisible()  # leaving now would lose the key
    wizard.recovery_page.confirmed.setChecked(True)
    with qtbot.waitSignal(wizard.desk_created) as signal:
        wizard.accept()
    assert signal.args == [tmp_path / "desk.havre"]
    opened = auth.unlock(tmp_path / "desk.havre", "anna", PASSWORD)
    assert opened.desk.code == "SG" and {r.value for r in opened.user.roles} == {
        "admin",
        "coordinator",
    }
    opened.close()


def test_bad_desk_input_stays_on_the_page_with_the_reason(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = SetupWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.desk_page.desk_name.setText("Permanence")
    wizard.desk_page.desk_code.setText("s g")
    wizard.next()
    assert wizard.currentId() == DESK
    assert "desk code" in wizard.desk_page.error.text()
    assert list(tmp_path.iterdir()) == []


def test_an_existing_desk_folder_is_refused(qtbot: QtBot, tmp_path: Path) -> None:
    (tmp_path / "desk.havre").write_bytes(b"something")
    wizard = SetupWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    _fill_until_admin(wizard, tmp_path, nis="62122")
    assert wizard.currentId() != ADMIN
    assert "already exists" in wizard.folder_page.error.text()
    assert (tmp_path / "desk.havre").read_bytes() == b"something"


def test_the_recovery_sheet_prints_the_key(qtbot: QtBot, tmp_path: Path) -> None:

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "sheet.pdf"))
    key = crypto.new_recovery_key()
    print_html(printer, recovery_sheet_html("Permanence", key, clock.now()))
    raw = "".join(page.extract_text() for page in PdfReader(tmp_path / "sheet.pdf").pages)
    text = " ".join(raw.split())
    assert key in text  # on one line, never broken at a hyphen
    assert "Havre recovery key" in text and "seal it" in text


@pytest.mark.dates
def test_back_during_the_demo_creation_never_makes_a_second_demo(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue: Back while the demo was being made, then Next, made two demo desks; and
    the demo desk opened said "Backup due · Purge due"."""
    monkeypatch.setattr(paths, "default_data_dir", lambda: tmp_path / "data")
    monkeypatch.setattr(demo, "DEMO_KDF", FAST_KDF)
    started, go_on = threading.Event(), threading.Event()
    calls: list[Path] = []
    make = demo.create_demo_network

    def held_back(folder: Path, password: str, **options: object) -> demo.DemoNetwork:
        calls.append(folder)
        started.set()
        go_on.wait(60)  # the person presses buttons meanwhile
        return make(folder, password, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(demo, "create_demo_network", held_back)
    wizard = SetupWizard(ask_language=True)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.welcome.demo.setChecked(True)
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert commit.isVisible() and commit.text() == "Create the demo desks"
    qtbot.mouseClick(commit, Qt.MouseButton.LeftButton)
    assert wizard.currentId() == CREATE
    qtbot.waitUntil(started.is_set)
    back = wizard.button(QWizard.WizardButton.BackButton)
    assert not (back.isVisible() and back.isEnabled())
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    wizard.reject()  # Escape, or closing the window: nothing to cancel midway
    assert wizard.isVisible()
    # Even pushed back by hand and forward again, the page starts nothing new.
    wizard.back()
    assert wizard.currentId() == WELCOME
    wizard.next()
    assert wizard.currentId() == CREATE
    wizard.create_page.retry.click()
    go_on.set()
    qtbot.waitUntil(lambda: wizard.currentId() == DEMO, timeout=120_000)
    tasks.wait_for_all()

    assert len(calls) == 1
    demos = list((tmp_path / "data" / "demo").iterdir())
    assert demos == [calls[0]] and demos[0].name.startswith("demo-")
    assert len(list((tmp_path / "data").rglob("network.havre"))) == 1
    progress = wizard.create_page.progress
    assert progress.maximum() > 100 and progress.value() == progress.maximum()
    page = wizard.demo_page
    text = page.accounts.text() + page.password.text() + page.desks.text()
    assert wizard.demo_password in text and "network.havre" in text and "trooz.havre" in text
    back = wizard.button(QWizard.WizardButton.BackButton)
    assert not (back.isVisible() and back.isEnabled())
    with qtbot.waitSignal(wizard.desk_created) as opened:
        wizard.accept()
    network_desk = demos[0] / "network.havre"
    assert opened.args == [network_desk]

    lock = DeskLock(network_desk)
    lock.acquire()
    window = MainWindow(lock, UiSettings(tmp_path / "ui.ini"))
    qtbot.addWidget(window)
    window.show()
    for user in ("admin", "coordinator"):
        sign_in(qtbot, window, user, wizard.demo_password)
        tasks.wait_for_all()
        qtbot.wait(50)  # the notes of the checks made in the background
        status = window.status_label.text()
        assert "DEMO DESK" in status and "STOPP VIF coordination (demo)" in status
        assert "due" not in status and "renewal" not in status, status
        window.lock()
    window.close()
    tasks.wait_for_all()
