"""Work run off the GUI thread (ui/tasks.py)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from ui import tasks


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
