"""The dialog shown for an unexpected error, with details that can be copied."""

from __future__ import annotations

from pathlib import Path

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
