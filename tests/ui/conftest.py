from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from app.instance_lock import DeskLock
from app.services.open_desk import OpenDesk
from tests.conftest import STAFF_PASSWORD, DeskFixture, clock_env
from tests.ui.user import User
from ui import garbage, prompts, tasks
from ui.application import apply_language
from ui.main_window import MainWindow
from ui.settings import UiSettings
from ui.widgets.progress_dialog import ProgressDialog


@dataclass
class Prompts:
    """What the prompts asked, and the answers the test gives: a file question answered
    with None is a cancelled dialog."""

    errors: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    confirm_answer: bool = True
    # The titles of the file and folder questions, in the order they were asked.
    file_questions: list[str] = field(default_factory=list)
    file_to_open: Path | None = None
    files_to_open: list[Path] = field(default_factory=list)
    file_to_save: Path | None = None
    folder: Path | None = None
    printers_asked: list[str] = field(default_factory=list)  # no printer chosen: cancelled
    duplicates_shown: list[list[Any]] = field(default_factory=list)
    duplicate_answer: str | None = None
    # The titles of Havre's own windows waited for, and what the person does in each before
    # closing it: accepted (True) or not.
    windows: list[str] = field(default_factory=list)
    in_window: Callable[[QDialog], bool] = lambda _window: False


@pytest.fixture(autouse=True)
def cycles_collected_as_in_havre(qapp: QApplication) -> None:
    """As in Havre (ui/application.py), cycles are collected by the GUI thread between
    events, never in the middle of delivering one: a window a finished test left in a cycle
    (a traceback kept by pytest.raises) was deleted under Qt's feet in a later test."""
    garbage.collect_on_gui_thread(qapp)


@pytest.fixture(autouse=True)
def no_window_outlives_its_test(qapp: QApplication) -> Iterator[None]:
    """Windows left behind would be deleted after QApplication at interpreter exit, which
    crashes the process (and fails CI with status 139)."""
    yield
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def qt_in_english() -> Iterator[None]:
    """A test that changes the language changes Qt's too (its own dialogs, QLocale)."""
    yield
    apply_language("en")


@pytest.fixture(autouse=True)
def recorded_prompts(monkeypatch: pytest.MonkeyPatch) -> Prompts:
    """Modal prompts would block the tests: record them and answer from `Prompts` instead.
    Every public function of ui/prompts.py is replaced (test_prompts checks it)."""
    recorded = Prompts()

    def confirm(_parent: object, question: str, _action: str) -> bool:
        recorded.questions.append(question)
        return recorded.confirm_answer

    def file_to_open(_parent: object, title: str, _start: Path, _filter: str) -> Path | None:
        recorded.file_questions.append(title)
        return recorded.file_to_open

    def files_to_open(_parent: object, title: str, _start: Path, _filter: str) -> list[Path]:
        recorded.file_questions.append(title)
        return recorded.files_to_open

    def database_to_open(_parent: object, _start: Path) -> Path | None:
        recorded.file_questions.append("database")
        return recorded.file_to_open

    def file_to_save(_parent: object, title: str, _suggested: Path, _filter: str) -> Path | None:
        recorded.file_questions.append(title)
        return recorded.file_to_save

    def folder(_parent: object, _start: Path) -> Path | None:
        recorded.file_questions.append("folder")
        return recorded.folder

    def printer(_parent: object, title: str, _page: object = None) -> None:
        recorded.printers_asked.append(title)

    def duplicate(_parent: object, candidates: list[Any]) -> str | None:
        recorded.duplicates_shown.append(candidates)
        return recorded.duplicate_answer

    def wait_for(window: QDialog) -> bool:
        recorded.windows.append(window.windowTitle())
        return recorded.in_window(window)

    replacements: dict[str, Callable[..., object]] = {
        "show_error": lambda _p, e: recorded.errors.append(str(e)),
        "alert": lambda _p, e: recorded.alerts.append(str(e)),
        "show_info": lambda _p, m: recorded.infos.append(m),
        "confirm": confirm,
        "choose_file_to_open": file_to_open,
        "choose_files_to_open": files_to_open,
        "choose_database_to_open": database_to_open,
        "choose_file_to_save": file_to_save,
        "choose_folder": folder,
        "choose_printer": printer,
        "choose_duplicate": duplicate,
        "wait_for": wait_for,
    }
    for name, replacement in replacements.items():
        monkeypatch.setattr(prompts, name, replacement)
    return recorded


@pytest.fixture
def havre_font(qapp: QApplication) -> Iterator[None]:
    """The font HavreApplication sets (10 points at least), not the tests' smaller one."""
    before = QFont(qapp.font())
    font = QFont(before)
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    qapp.setFont(font)
    yield
    qapp.setFont(before)


@pytest.fixture
def reception(desk: DeskFixture) -> Iterator[OpenDesk]:
    """Signed in as reception; work still running on the database thread ends first."""
    opened = desk.unlock("rita", STAFF_PASSWORD)
    yield opened
    tasks.wait_for_all()
    opened.close()


@pytest.fixture
def counsellor(desk: DeskFixture) -> Iterator[OpenDesk]:
    opened = desk.unlock("carl", STAFF_PASSWORD)
    yield opened
    tasks.wait_for_all()
    opened.close()


@pytest.fixture
def window(qtbot: QtBot, desk: DeskFixture, tmp_path: Path) -> Iterator[MainWindow]:
    lock = DeskLock(desk.database)
    lock.acquire()
    main = MainWindow(lock, UiSettings(tmp_path / "ui.ini"))
    qtbot.addWidget(main)
    main.resize(1100, 700)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()
    tasks.wait_for_all()


def sign_in(qtbot: QtBot, window: MainWindow, user: str, password: str) -> None:
    screen = window.lock_screen
    screen.user_name.clear()
    qtbot.keyClicks(screen.user_name, user)
    qtbot.keyClicks(screen.password, password)
    qtbot.mouseClick(screen.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.desk is not None, timeout=10_000)


def lock(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+L, as a person locks, back in the window first (a dialog just closed may have
    held the focus)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    User(qtbot, window).keys("Ctrl+L")
    assert window.desk is None


def quick_exit(qtbot: QtBot, window: MainWindow) -> None:
    """The Quick exit button in the corner of the window (test_main_window proves the three
    presses of Shift, from the window and from a dialog)."""
    User(qtbot, window).press("Quick exit")
    assert window.desk is None


def held_back(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> threading.Event:
    """`owner.name` waits, on the database thread, until the event returned is set: work
    that lasts as long as the test needs."""
    go_on = threading.Event()
    original = getattr(owner, name)

    def lasting(*args: Any, **options: Any) -> Any:
        go_on.wait(20)
        return original(*args, **options)

    monkeypatch.setattr(owner, name, lasting)
    return go_on


def progress_shown(qtbot: QtBot, widget: QWidget) -> ProgressDialog:
    """The progress dialog of long work started from `widget`, once it shows."""

    def shown() -> list[ProgressDialog]:
        found = widget.window().findChildren(ProgressDialog)
        return [d for d in found if d.isVisible()]

    qtbot.waitUntil(lambda: bool(shown()))
    return shown()[0]


def killed_once_ready(script: str, arguments: list[str], ready: str, database: Path) -> None:
    """Run `script` in a process of its own until it prints `ready`, then kill it (SIGKILL;
    TerminateProcess on Windows), as a crash or a power cut would, and clear the desk lock
    it left."""
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *arguments],
        stdout=subprocess.PIPE,
        text=True,
        env={**clock_env(), "QT_QPA_PLATFORM": "offscreen"},
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == ready
    finally:
        process.kill()
        process.wait()
    # Popen.kill gives the killed process the exit code 1 on Windows.
    assert process.returncode == (1 if sys.platform == "win32" else -signal.SIGKILL)
    (database.parent / "desk.havre.lock").unlink(missing_ok=True)
