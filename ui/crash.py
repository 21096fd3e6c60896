"""Unexpected errors: logged, then shown in a dialog whose details can be copied.

`--no-crash-dialog` (CI, smoke runs) prints the traceback and ends Havre with status 1.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from app import paths
from app.logging_setup import LOG_FILE_NAME

log = logging.getLogger(__name__)
_showing = False


def install(*, dialog: bool) -> None:
    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        handle(kind, error, tb, dialog=dialog, log_file=paths.log_dir() / LOG_FILE_NAME)

    sys.excepthook = hook
    threading.excepthook = lambda args: hook(
        args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback
    )


def handle(
    kind: type[BaseException],
    error: BaseException,
    tb: TracebackType | None,
    *,
    dialog: bool,
    log_file: Path | None,
) -> None:
    global _showing
    # The dialog and the version probes load only when something has gone wrong: they
    # would otherwise delay the sign-in screen (start-up budget, docs/architecture.md).
    from ui.about import versions_text
    from ui.dialogs.crash_dialog import CrashDialog

    log.critical("unexpected error", exc_info=(kind, error, tb))
    details = "".join(traceback.format_exception(kind, error, tb)) + "\n" + versions_text()
    application = QApplication.instance()
    on_gui_thread = application is not None and QThread.currentThread() is application.thread()
    if not dialog or not on_gui_thread or _showing:
        print(details, file=sys.stderr)
        if not dialog and application is not None:
            application.exit(1)
        return
    _showing = True
    try:
        CrashDialog(details, log_file).exec()
    finally:
        _showing = False
