"""Python's collector of reference cycles, run by the GUI thread between events.

Python collects cycles whenever an allocation tips its counters, wherever that allocation
happens, including in the middle of Qt delivering an event: the wrapper PySide makes for
an event filter's arguments is enough. A window held only by a cycle (a traceback kept
with its frames, a slot holding its window) was then deleted while Qt was delivering an
event to one of its widgets, and the process crashed. So the automatic collection is off,
and a timer collects the generations Python would have collected, with Python's own
thresholds, between two events."""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

COLLECT_EVERY_MS = 1000


def collect_if_due() -> None:
    """Collect the oldest generation whose count passed its threshold, as Python would."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    for generation in (2, 1, 0):
        if counts[generation] > thresholds[generation]:
            gc.collect(generation)
            return


class GuiThreadCollector(QObject):
    def __init__(self, application: QCoreApplication) -> None:
        super().__init__(application)
        self.setObjectName("havre-garbage")
        self._timer = QTimer(self)
        self._timer.setInterval(COLLECT_EVERY_MS)
        self._timer.timeout.connect(collect_if_due)
        gc.disable()
        self._timer.start()


def collect_on_gui_thread(application: QCoreApplication) -> None:
    """From now on, cycles are collected by `application`'s thread alone (once per
    application, whoever asks)."""
    if application.findChild(GuiThreadCollector, "havre-garbage") is None:
        GuiThreadCollector(application)
