"""Quick exit: Shift pressed three times within five seconds (the GOV.UK "Exit this page"
pattern; a single key such as Escape collides with ordinary use)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QKeyEvent, QWindow

# KEY_SHIFT, spelled out: importing Qt here would build its whole enum namespace
# before the sign-in screen shows (about 45 ms). A test checks the value.
KEY_SHIFT = 0x01000020
PRESSES = 3
WINDOW_SECONDS = 5.0


class QuickExitChord(QObject):
    triggered = Signal()

    def __init__(self, parent: QObject | None = None, clock: Callable[[], float] = time.monotonic):
        super().__init__(parent)
        self._clock = clock
        self._presses: list[float] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Every key press from the keyboard reaches a window first, then is forwarded to
        # widgets; counting at the window sees each press exactly once, in any dialog.
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWindow):
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() != KEY_SHIFT:
            self._presses.clear()
        elif not event.isAutoRepeat():
            now = self._clock()
            self._presses = [t for t in self._presses if now - t <= WINDOW_SECONDS]
            self._presses.append(now)
            if len(self._presses) >= PRESSES:
                self._presses.clear()
                self.triggered.emit()
        return False
