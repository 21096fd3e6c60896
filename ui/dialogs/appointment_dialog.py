"""Plan an appointment of a case: a next session, or an accompaniment to the police,
court or a doctor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.domain.appointments import MAX_MINUTES, MIN_MINUTES, AppointmentForm
from app.domain.codes import AppointmentKind
from app.i18n import _
from ui.dialogs.saving_dialog import SavingDialog
from ui.widgets.coded import CodeCombo


def _tomorrow_morning() -> QDateTime:
    return QDateTime.currentDateTime().addDays(1).date().startOfDay().addSecs(10 * 3600)


class AppointmentDialog(SavingDialog[object]):
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
        self.starts_at = QDateTimeEdit(_tomorrow_morning())
        self.starts_at.setCalendarPopup(True)
        self.starts_at.setDisplayFormat("dd/MM/yyyy HH:mm")
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

    def form(self) -> AppointmentForm:
        moment = self.starts_at.dateTime().toPython()
        assert isinstance(moment, datetime)
        return AppointmentForm(
            case_id=self.case_id,
            starts_at=moment.astimezone(),
            minutes=self.minutes.value(),
            kind=self.kind.value() or AppointmentKind.SESSION,
            place=self.place.text(),
        )

    def saving(self) -> Callable[[], object]:
        form, save = self.form(), self._save
        return lambda: save(form)
