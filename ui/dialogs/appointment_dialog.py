"""Plan an appointment of a case: a next session, or an accompaniment to the police,
court or a doctor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta

from PySide6.QtWidgets import (
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app import clock
from app.domain.appointments import MAX_MINUTES, MIN_MINUTES, AppointmentForm
from app.domain.codes import AppointmentKind
from app.i18n import _
from ui.dialogs.saving_dialog import SavingDialog
from ui.widgets.coded import CodeCombo
from ui.widgets.dates import datetime_edit, moment_of


class AppointmentDialog(SavingDialog[object]):
    draft_kind = "appointment"

    def __init__(
        self,
        case_id: str,
        case_code: str,
        save: Callable[[AppointmentForm], object],
        parent: QWidget | None,
    ) -> None:
        super().__init__(_("Appointment · {code}").format(code=case_code), parent)
        self.case_id = case_id
        self._save = save
        self.starts_at = datetime_edit(clock.at(clock.today() + timedelta(days=1), time(10)))
        self.minutes = QSpinBox()
        self.minutes.setRange(MIN_MINUTES, MAX_MINUTES)
        self.minutes.setSingleStep(15)
        self.minutes.setValue(60)
        self.minutes.setSuffix(" min")
        self.kind = CodeCombo(AppointmentKind, _("Kind of appointment"))
        self.place = QLineEdit()
        self.place.setMaxLength(160)
        form = QFormLayout(self)
        for key, label, widget in (
            ("kind", _("Kind"), self.kind),
            ("starts_at", _("Date and time"), self.starts_at),
            ("minutes", _("Duration"), self.minutes),
            ("place", _("Place"), self.place),
        ):
            self.fields.add_row(form, key, label, widget, error=True)
        form.addRow(self.buttons)

    def saving(self) -> Callable[[], object]:
        # The date read apart: one that cannot be read is said by its field, and in a
        # message, not a second time under it.
        starts_at = moment_of(self.starts_at)
        form = self.fields.record(AppointmentForm, case_id=self.case_id, starts_at=starts_at)
        save = self._save
        return lambda: save(form)
