"""Promise a call-back to the person of a case: it goes on the follow-up list on its day,
and is shown there only within the person's safe times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from app import clock
from app.i18n import _
from ui.dialogs.saving_dialog import SavingDialog
from ui.widgets.dates import date_edit, day_of


class CallbackDialog(SavingDialog[object]):
    draft_kind = "callback"

    def __init__(
        self, case_code: str, save: Callable[[date], object], parent: QWidget | None
    ) -> None:
        super().__init__(_("Call-back · {code}").format(code=case_code), parent)
        self._save = save
        self.due_on = date_edit(_("Call back on"), clock.today())
        form = QFormLayout(self)
        self.fields.add_row(form, "due_on", _("Call back on"), self.due_on, error=True)
        form.addRow(
            QLabel(_("Only with the person's agreement and a safe channel recorded on the case."))
        )
        form.addRow(self.buttons)

    def saving(self) -> Callable[[], object]:
        day, save = day_of(self.due_on), self._save
        return lambda: save(day)
