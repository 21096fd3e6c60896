"""How far long work is (see ui/tasks.py, which shows it once the work lasts)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.progress import Progress, ProgressState


class ProgressDialog(QDialog):
    """How far long work is; its Cancel asks the work to stop at its next safe point, and
    is there only while the work may stop. Closing the window is the same as Cancel."""

    def __init__(self, parent: QWidget, title: str, progress: Progress) -> None:
        super().__init__(parent.window())
        self.setObjectName("havre-progress")
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(440)
        self._progress = progress
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setAccessibleName(title)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.buttons)
        self.show_state(progress.state)

    def show_state(self, state: ProgressState) -> None:
        if self._progress.cancelled:
            return  # "Cancelling…" stays until the work stops
        self.label.setText(state.text or self.windowTitle())
        if state.total:
            self.bar.setRange(0, state.total)
            self.bar.setValue(state.done)
        else:
            self.bar.setRange(0, 0)  # busy: the work does not know its size
        self.buttons.setVisible(state.cancellable)

    def reject(self) -> None:
        if self._progress.cancel():
            self.label.setText(_("Cancelling…"))
            self.buttons.setEnabled(False)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()  # the dialog goes when the work ends
        self.reject()

    def finish(self) -> None:
        self.done(QDialog.DialogCode.Accepted)
        self.deleteLater()
