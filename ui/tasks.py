"""Running service calls off the GUI thread (Anki-style operations).

All database work goes through one single-thread pool, so writes are serialized; the result
comes back to the GUI thread through a signal. The worker never touches widgets.

Long work given an `app.progress.Progress` shows a progress dialog once it has lasted
PROGRESS_DELAY_MS (work done sooner shows nothing): determinate when the work knows its
size, with Cancel only while the work says stopping changes nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from app.errors import DeskLocked, HavreError, TargetExists
from app.i18n import _

if TYPE_CHECKING:
    # Loaded with the first long work, not before the first screen.
    from app.progress import Progress, ProgressState
    from ui.widgets.progress_dialog import ProgressDialog

T = TypeVar("T")
BUSY_CURSOR_DELAY_MS = 300
PROGRESS_DELAY_MS = 500

_running: set[_Signals] = set()
# Counts the locks: what work started before the last one returns is for nobody now (a
# question, a window or a message would show over the sign-in screen, or to the next
# person). Its effect in the database stays.
_locks = 0


def end_of_session() -> None:
    """The desk locks: results of work still running are dropped when they come."""
    global _locks
    _locks += 1


def _database_pool() -> QThreadPool:
    """One worker thread, owned by the application (created once it exists)."""
    application = QCoreApplication.instance()
    assert application is not None
    pool = application.findChild(QThreadPool, "havre-database")
    if pool is None:
        pool = QThreadPool(application)
        pool.setObjectName("havre-database")
        pool.setMaxThreadCount(1)
    return pool


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    # A signal emitted on the worker's thread is queued to the GUI thread, where this lives.
    progressed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self._work = work
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as exc:  # handed to the GUI thread, which decides
            self._signals.failed.emit(exc)
        else:
            self._signals.succeeded.emit(result)


def run(
    parent: QWidget,
    work: Callable[[], T],
    on_success: Callable[[T], None],
    on_failure: Callable[[BaseException], None] | None = None,
    *,
    busy_cursor: bool = True,
    progress: Progress | None = None,
    title: str = "",
) -> None:
    """Run `work` on the database thread, then `on_success(result)` on the GUI thread.

    Without `on_failure`, an expected error is shown to the person, and anything else goes
    to the crash handler. If `parent` is gone by then (its window was closed), or the desk
    locked meanwhile, the work still ran but nobody is told. With `progress` (the
    one `work` reports to), a dialog titled `title` shows it once the work lasts.
    """
    signals = _Signals()
    _running.add(signals)
    started_in = _locks
    busy = QTimer(signals)
    busy.setSingleShot(True)
    busy.timeout.connect(_show_busy_cursor)
    if busy_cursor:
        busy.start(BUSY_CURSOR_DELAY_MS)
    shown: list[ProgressDialog] = []
    late = QTimer(signals)
    late.setSingleShot(True)
    if progress is not None:
        progress.listen(signals.progressed.emit)

        def show_dialog() -> None:
            from ui.widgets.progress_dialog import ProgressDialog

            if isValid(parent):
                shown.append(ProgressDialog(parent, title, progress))
                shown[0].open()

        def progressed(state: ProgressState) -> None:
            if shown and isValid(shown[0]):
                shown[0].show_state(state)

        late.timeout.connect(show_dialog)
        signals.progressed.connect(progressed)
        late.start(PROGRESS_DELAY_MS)

    def finish() -> None:
        if busy_cursor and not busy.isActive():
            QGuiApplication.restoreOverrideCursor()
        busy.stop()
        late.stop()
        if shown and isValid(shown[0]):
            shown[0].finish()
        _running.discard(signals)
        signals.deleteLater()

    def succeeded(result: Any) -> None:
        finish()
        if isValid(parent) and started_in == _locks:
            on_success(result)

    def failed(error: BaseException) -> None:
        finish()
        if isValid(parent) and started_in == _locks:
            (on_failure or (lambda exc: report_failure(parent, exc)))(error)

    signals.succeeded.connect(succeeded)
    signals.failed.connect(failed)
    _database_pool().start(_Job(work, signals))


def run_replacing(
    parent: QWidget,
    work: Callable[[bool], T],
    on_success: Callable[[T], None],
    *,
    progress: Progress | None = None,
    title: str = "",
) -> None:
    """Run `work(replace=False)`; if its target exists, ask, then `work(replace=True)`.
    Never a file replaced without the person saying so."""

    def failed(error: BaseException) -> None:
        from ui import prompts  # loaded when first needed, not before the first screen

        if isinstance(error, TargetExists):
            question = _("{path} already exists. Replace it?").format(path=error.path.name)
            if prompts.confirm(parent, question, _("Replace")):
                run(parent, lambda: work(True), on_success, progress=progress, title=title)
            return
        report_failure(parent, error)

    run(parent, lambda: work(False), on_success, failed, progress=progress, title=title)


def _show_busy_cursor() -> None:
    # Qt is imported on first use: building its enums delays the first screen (start-up
    # budget, docs/architecture.md).
    from PySide6.QtCore import Qt

    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)


def report_failure(parent: QWidget | None, error: BaseException) -> None:
    from ui import prompts  # loaded when first needed, not before the first screen

    if isinstance(error, DeskLocked):
        return  # the desk locked while the work ran: nothing to tell
    from app.progress import Cancelled

    if isinstance(error, Cancelled):
        prompts.show_info(parent, str(error))
        return
    if isinstance(error, HavreError):
        prompts.show_error(parent, error)
        return
    sys.excepthook(type(error), error, error.__traceback__)


def wait_for_all(timeout_ms: int = 10_000) -> bool:
    return _database_pool().waitForDone(timeout_ms)


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Let the window work (events, background results) until `condition` holds; for the
    scripts that drive it (screenshots, bench)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not get ready")
        QCoreApplication.processEvents()
        time.sleep(0.01)
