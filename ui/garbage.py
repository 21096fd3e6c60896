"""Python's collector of reference cycles, run by the GUI thread between events.

Python collects cycles whenever an allocation tips its counters, wherever that allocation
happens, including in the middle of Qt delivering an event: the wrapper PySide makes for
an event filter's arguments is enough. A window held only by a cycle (a traceback kept
with its frames, a slot holding its window) was then deleted while Qt was delivering an
event to one of its widgets, and the process crashed. So the automatic collection is off,
and a timer collects what Python would have collected, with Python's own thresholds, from
the outermost event loop only: a loop run inside an event's delivery (a question asked
with exec()) waits for it. The database thread no longer starts collections either.
At exit, collecting goes back to Python, while Qt and the modules are still there."""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer

COLLECT_EVERY_MS = 1000


def collect_if_due() -> None:
    """Collect the oldest generation Python would have collected since the last time: each
    young collection it would have made counts towards the next generation's."""
    (young, middle, old), (young_limit, middle_limit, old_limit) = (
        gc.get_count(),
        gc.get_threshold(),
    )
    if young_limit == 0:  # collection turned off, as Python reads it
        return
    young_collections = young // (young_limit + 1)
    middle_collections = (middle + young_collections) // (middle_limit + 1)
    if old + middle_collections > old_limit:
        gc.collect(2)
    elif middle + young_collections > middle_limit:
        gc.collect(1)
    elif young > young_limit:
        gc.collect(0)


class GuiThreadCollector(QObject):
    def __init__(self, application: QCoreApplication) -> None:
        super().__init__(application)
        self.setObjectName("havre-garbage")
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.VeryCoarseTimer)
        self._timer.setInterval(COLLECT_EVERY_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        if QThread.currentThread().loopLevel() <= 1:
            collect_if_due()


def collect_on_gui_thread(application: QCoreApplication) -> None:
    """From now on, cycles are collected by `application`'s thread alone (one collector per
    application, whoever asks; started again if it was handed back)."""
    collector = application.findChild(GuiThreadCollector, "havre-garbage")
    (collector or GuiThreadCollector(application)).start()


def hand_back_to_python(application: QCoreApplication) -> None:
    """At exit: collect what is left while Qt still runs, then let Python collect on its
    own (it collects once more before the modules go only if it may)."""
    collector = application.findChild(GuiThreadCollector, "havre-garbage")
    if collector is not None:
        collector.stop()
    gc.collect()
    gc.enable()
