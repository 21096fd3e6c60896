"""What the screens say, word for word, as a person reads it (or hears it from a screen
reader): the button that confirms, the labels before a value, the units after a number,
the names of the inputs."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from ui import prompts

# Taken before the recorder stands in for it: this test answers the real question box.
REAL_CONFIRM = prompts.confirm


def test_the_confirming_button_acts_at_once_and_says_so(qtbot: QtBot) -> None:
    """"Delete…" on the screen asks first; the question's "Delete" deletes: no ellipsis."""
    shown: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        shown.extend(button.text() for button in box.buttons())
        cancel = box.button(QMessageBox.StandardButton.Cancel)
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    assert not REAL_CONFIRM(None, "Delete this activity?", "Delete…")
    assert "Delete" in shown and not [text for text in shown if text.endswith("…")]
