"""What Havre puts on the clipboard does not stay there: a phone number copied from the
directory is cleared after 30 seconds, at lock and at quick exit, if the clipboard still
holds it (something the person copied since is left alone)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QGuiApplication

CLEAR_AFTER_MS = 30_000


class ClipboardCare(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._copied: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear)

    def copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self._copied = text
        self._timer.start(CLEAR_AFTER_MS)

    def clear(self) -> None:
        """Take back what Havre copied, if it is still there."""
        self._timer.stop()
        clipboard = QGuiApplication.clipboard()
        if self._copied is not None and clipboard.text() == self._copied:
            clipboard.clear()
        self._copied = None


_care: ClipboardCare | None = None


def care() -> ClipboardCare:
    """The application's one clipboard keeper (made on first use, owned by the application)."""
    global _care
    if _care is None:
        _care = ClipboardCare(QGuiApplication.instance())
    return _care
