"""Promise a call-back to the person of a case: it goes on the follow-up list on its day,
and is shown there only within the person's safe times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from app.i18n import _
from ui import tasks
from ui.widgets.dates import date_edit, day_of
from ui.widgets.field_set import FieldSet


class CallbackDialog(QDialog):
    def __init__(
        self, case_code: str, save: Callable[[date], object], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Call-back · {code}").format(code=case_code))
        self._save = save
        self.fields = FieldSet()
        self.due_on = date_edit(_("Call back on"), date.today())
        form = QFormLayout(self)
        self.fields.add_row(form, "due_on", _("Call back on"), self.due_on, error=True)
        form.addRow(
            QLabel(_("Only with the person's agreement and a safe channel recorded on the case."))
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def submit(self) -> None:
        self.fields.clear_errors()
        day = day_of(self.due_on)
        self.buttons.setEnabled(False)
        tasks.run(self, lambda: self._save(day), lambda _r: self.accept(), self._failed)

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.fields.report(self, error)
