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

from PySide6.QtCore import Qt, QThread
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui.about import versions_text

log = logging.getLogger(__name__)
_showing = False


def install(*, dialog: bool, log_file: Path | None) -> None:
    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        handle(kind, error, tb, dialog=dialog, log_file=log_file)

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


class CrashDialog(QDialog):
    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Havre: unexpected problem"))
        self.resize(640, 420)
        message = QLabel(
            _(
                "Havre met a problem it did not expect. What you saved is safe in the "
                "encrypted database. Please copy the details below and send them to whoever "
                "supports Havre for your desk; they contain no case data."
            )
        )
        message.setWordWrap(True)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        where = QLabel(_("Log file: {path}").format(path=log_file or "—"))
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox()
        copy = QPushButton(_("Copy details"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        quit_button = buttons.addButton(
            _("Close Havre"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        quit_button.clicked.connect(lambda: QApplication.exit(1))
        buttons.addButton(_("Continue"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.details)
        layout.addWidget(where)
        layout.addWidget(buttons)
