"""A window held only by a reference cycle is deleted between events, never while Qt
delivers an event to one of its widgets (ui/garbage.py). The case runs in a process of its
own, started as Havre starts: on the old code it crashed (a date-field test did, in CI)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.conftest import clock_env

# Windows with a date field (its line has an event filter written in Python), each held by a
# cycle alone, each with an event posted to that line. Python is made to collect at every
# allocation, as it may at any one: making the filter's arguments is one.
WINDOWS_IN_CYCLES = """
    import gc
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QVBoxLayout, QWidget
    from ui.application import HavreApplication
    from ui.widgets.dates import date_edit

    application = HavreApplication(["havre"])
    deleted = []
    gc.set_threshold(1)
    for _round in range(20):
        window, field = QWidget(), date_edit("Date of the activity")
        QVBoxLayout(window).addWidget(field)
        window.show()
        window.destroyed.connect(lambda: deleted.append(True))
        cycle = [window]
        cycle.append(cycle)
        QCoreApplication.postEvent(field.line, QEvent(QEvent.Type.User))
        del window, field, cycle
        application.processEvents()
    QTest.qWait(2500)
    print("deleted", len(deleted))
"""


@pytest.mark.slow
def test_a_window_in_a_cycle_is_not_deleted_while_qt_delivers_it_an_event() -> None:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(WINDOWS_IN_CYCLES)],
        env={**clock_env(), "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"status {result.returncode}: {result.stderr[-2000:]}"
    # Collected all the same, once delivering was over.
    assert result.stdout.split()[-2:] == ["deleted", "20"]
