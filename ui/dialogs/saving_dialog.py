"""A dialog of fields saved on the database thread: an error shows under its field, the
buttons are off while saving, and the dialog closes once saved, keeping the result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from app.errors import ValidationError
from ui import tasks
from ui.widgets.field_set import FieldSet

T = TypeVar("T")


class SavingDialog(QDialog, Generic[T]):
    def __init__(self, title: str, parent: QWidget | None, editable: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.fields = FieldSet()
        self.editable = editable
        #: what the save returned, once the dialog is accepted
        self.saved: T | None = None
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
            if editable
            else QDialogButtonBox.StandardButton.Close
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def saving(self) -> Callable[[], T]:
        """The save to run, with what the fields hold now (read here, on the GUI thread);
        a ValidationError names the field at fault."""
        raise NotImplementedError

    def submit(self) -> None:
        if not self.editable:
            self.accept()
            return
        self.fields.clear_errors()
        try:
            work = self.saving()
        except ValidationError as error:
            self.fields.report(self, error)
            return
        self.buttons.setEnabled(False)
        tasks.run(self, work, self._saved, self._failed)

    def _saved(self, result: T) -> None:
        self.saved = result
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.fields.report(self, error)
