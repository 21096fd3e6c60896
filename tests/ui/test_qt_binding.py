"""The Qt binding itself: PySide6 6.12.0 on Python 3.11 released a reference to None on
every call of a method returning nothing, so a desk left open all day would have crashed
("deallocating None"). This guards the pinned version against that class of bug."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot


def test_calls_into_qt_keep_none_true_and_false_alive(qtbot: QtBot) -> None:
    field, label = QLineEdit(), QLabel()
    qtbot.addWidget(field)
    qtbot.addWidget(label)
    before = [sys.getrefcount(value) for value in (None, True, False)]
    for _ in range(5_000):
        field.setText("x")
        field.setEnabled(True)
        label.setVisible(False)
        field.isEnabled()
    after = [sys.getrefcount(value) for value in (None, True, False)]
    # A leak of one reference per call would show as thousands; allow a little noise.
    assert all(abs(a - b) < 100 for a, b in zip(after, before, strict=True)), (before, after)
