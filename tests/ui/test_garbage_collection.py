"""A window held only by a reference cycle is deleted between events, never while Qt
delivers an event to one of its widgets (ui/garbage.py); the generations are collected as
Python would have collected them; at exit, collecting goes back to Python. The windows'
cases run in a process of their own, started as Havre starts: on the old code they
crashed (a date-field test did, in CI)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.conftest import DeskFixture, clock_env
from ui import garbage

START = """
    import gc
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QVBoxLayout, QWidget
    from ui.application import HavreApplication
    from ui.widgets.dates import date_edit

    application = HavreApplication(["havre"])
    deleted = []
"""

# Windows with a date field (its line has an event filter written in Python), each held by a
# cycle alone, each with an event posted to that line. Python is made to collect at every
# allocation, as it may at any one: making the filter's arguments is one.
DURING_AN_EVENT = """
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
    QTest.qWait(3500)
    print("deleted", len(deleted))
"""

# A window held by a cycle alone, one of whose widgets runs an event loop of its own while
# an event is delivered to it (as a question asked with exec() from a click does, the way
# every question of ui/prompts.py is asked), for longer than the collector waits between
# two collections.
IN_A_LOOP_WITHIN_AN_EVENT = """
    class AsksAQuestion(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.User:
                question = QEventLoop()
                QTimer.singleShot(2500, question.quit)
                question.exec()
                print("back from the question to", watched.objectName())
            return False

    window = QWidget()
    window.destroyed.connect(lambda: deleted.append(True))
    field = date_edit("Date of the activity")
    field.line.setObjectName("line")
    QVBoxLayout(window).addWidget(field)
    question = AsksAQuestion(window)
    field.line.installEventFilter(question)
    cycle = [window]
    cycle.append(cycle)
    QCoreApplication.postEvent(field.line, QEvent(QEvent.Type.User))
    del window, field, question, cycle
    gc.set_threshold(1)
    QTimer.singleShot(5000, application.quit)
    application.exec()
    print("deleted", len(deleted))
"""


def run(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(START) + textwrap.dedent(script)],
        env={**clock_env(), "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_a_window_in_a_cycle_is_not_deleted_while_qt_delivers_it_an_event() -> None:
    result = run(DURING_AN_EVENT)
    assert result.returncode == 0, f"status {result.returncode}: {result.stderr[-2000:]}"
    # Collected all the same, once delivering was over.
    assert result.stdout.split()[-2:] == ["deleted", "20"]


@pytest.mark.slow
def test_a_window_in_a_cycle_waits_for_the_loops_run_within_an_event() -> None:
    result = run(IN_A_LOOP_WITHIN_AN_EVENT)
    assert result.returncode == 0, f"status {result.returncode}: {result.stderr[-2000:]}"
    assert result.stdout.splitlines()[-2:] == ["back from the question to line", "deleted 1"]


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generations collected during the test; Python's thresholds put back after."""
    before = gc.get_threshold()
    collected: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collected.append(info["generation"])

    gc.callbacks.append(record)
    yield collected
    gc.callbacks.remove(record)
    gc.set_threshold(*before)


# Thresholds of 10, 2 and 2: Python collects the young generation at the 11th allocation,
# the middle one at every third young collection, the old one at every third of those.
@pytest.mark.parametrize(
    ("allocations", "generation"),
    [(5, None), (15, 0), (50, 1), (300, 2)],
)
def test_the_generations_python_would_have_collected_are_collected(
    collections: list[int], allocations: int, generation: int | None
) -> None:
    assert not gc.isenabled()  # the UI tests collect as Havre does (tests/ui/conftest.py)
    gc.collect()  # every count back to 0
    gc.set_threshold(10, 2, 2)
    collections.clear()
    kept = [[] for _ in range(allocations)]
    garbage.collect_if_due()
    assert collections == ([] if generation is None else [generation])
    assert len(kept) == allocations


def test_at_exit_python_collects_again(qapp: QApplication, collections: list[int]) -> None:
    cycle: list[object] = []
    cycle.append(cycle)
    garbage.hand_back_to_python(qapp)
    try:
        assert gc.isenabled()
        assert collections[-1:] == [2]  # everything, while Qt still runs
    finally:
        garbage.collect_on_gui_thread(qapp)
    assert not gc.isenabled()


# Havre's own exit, watched by a cycle made once its window closed: Python finalises it
# before the modules go only if it may collect again.
WITNESS = """
import atexit
import sys


class Witness:
    def __del__(self):
        print("finalised, the modules still there:", "os" in sys.modules, flush=True)


def make_a_cycle():
    witness = Witness()
    witness.itself = witness


atexit.register(make_a_cycle)
"""


@pytest.mark.slow
def test_havre_hands_collecting_back_to_python_at_exit(desk: DeskFixture, tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(WITNESS)
    result = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(desk.database), "--exit-after-start"],
        env={
            **clock_env(),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": os.pathsep.join([str(tmp_path), str(Path.cwd())]),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[-1] == "finalised, the modules still there: True"
