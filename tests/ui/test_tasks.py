"""Work run off the GUI thread (ui/tasks.py)."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from app.progress import Progress
from tests.ui.conftest import Prompts
from ui import tasks
from ui.widgets.progress_dialog import ProgressDialog


def test_a_result_for_a_closed_window_is_dropped(qtbot: QtBot) -> None:
    shown: list[int] = []
    gone = QWidget()
    tasks.run(gone, lambda: 42, shown.append)
    gone.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    tasks.wait_for_all()
    qtbot.wait(50)
    assert shown == []
    kept = QWidget()
    qtbot.addWidget(kept)
    tasks.run(kept, lambda: 42, shown.append)
    qtbot.waitUntil(lambda: shown == [42])


def _shown(parent: QWidget) -> list[ProgressDialog]:
    return [d for d in parent.findChildren(ProgressDialog) if d.isVisible()]


def _window(qtbot: QtBot) -> QWidget:
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    return window


def test_long_work_shows_its_progress_in_a_dialog_without_cancel_when_it_cannot_stop(
    qtbot: QtBot,
) -> None:
    window = _window(qtbot)
    progress, go_on = Progress(), threading.Event()
    results: list[int] = []

    def work() -> int:
        progress.phase("Copying", total=4)
        progress.step(3, 4)
        go_on.wait(20)
        return 7

    tasks.run(window, work, results.append, progress=progress, title="Backing up")
    assert _shown(window) == []  # only once the work has lasted
    qtbot.waitUntil(lambda: bool(_shown(window)))
    dialog = _shown(window)[0]
    qtbot.waitUntil(lambda: dialog.bar.value() == 3)
    assert (dialog.bar.minimum(), dialog.bar.maximum()) == (0, 4)
    assert dialog.windowTitle() == "Backing up" and dialog.label.text() == "Copying"
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    assert not dialog.buttons.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # the work cannot stop: nothing happens
    assert dialog.isVisible() and not progress.cancelled
    go_on.set()
    qtbot.waitUntil(lambda: results == [7])
    assert _shown(window) == []


def test_work_without_a_known_size_shows_a_busy_bar(qtbot: QtBot) -> None:
    window = _window(qtbot)
    progress, go_on = Progress(), threading.Event()
    results: list[None] = []

    def work() -> None:
        progress.phase("Checking")
        go_on.wait(20)

    tasks.run(window, work, results.append, progress=progress, title="Checking")
    qtbot.waitUntil(lambda: bool(_shown(window)))
    dialog = _shown(window)[0]
    assert (dialog.bar.minimum(), dialog.bar.maximum()) == (0, 0)
    go_on.set()
    qtbot.waitUntil(lambda: results == [None])


def test_short_work_shows_no_dialog(qtbot: QtBot) -> None:
    window = _window(qtbot)
    progress = Progress()
    results: list[int] = []

    def work() -> int:
        progress.phase("Counting", total=2)
        progress.step(2, 2)
        return 1

    tasks.run(window, work, results.append, progress=progress, title="Counting")
    qtbot.waitUntil(lambda: results == [1])
    qtbot.wait(tasks.PROGRESS_DELAY_MS * 2)  # past the delay: still nothing shows
    assert window.findChildren(ProgressDialog) == []


def test_cancel_stops_work_that_may_stop_and_the_person_is_told(
    qtbot: QtBot, recorded_prompts: Prompts
) -> None:
    window = _window(qtbot)
    progress, shown = Progress(), threading.Event()
    results: list[str] = []

    def work() -> str:
        progress.phase("Previewing", cancellable=True, total=10)
        shown.wait(20)
        for done in range(1, 11):
            progress.raise_if_cancelled()
            progress.step(done, 10)
            time.sleep(0.2)
        return "previewed"

    tasks.run(window, work, results.append, progress=progress, title="Preview")
    qtbot.waitUntil(lambda: bool(_shown(window)))
    dialog = _shown(window)[0]
    assert dialog.buttons.isVisible()
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    shown.set()
    assert dialog.label.text() == "Cancelling…" and not cancel.isEnabled()
    qtbot.waitUntil(lambda: recorded_prompts.infos == ["Cancelled: nothing was changed."])
    assert results == [] and _shown(window) == []
