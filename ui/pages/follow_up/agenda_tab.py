"""The appointments of a day or a week, to open their case or cancel one."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import clock
from app.domain.appointments import AppointmentRow, week_of
from app.i18n import _, format_date, format_time, ngettext
from app.services import appointments
from app.services.open_desk import OpenDesk
from ui import prompts, style, tasks
from ui.models.record_model import Column
from ui.style import Tone
from ui.widgets.dates import date_edit, qdate
from ui.widgets.record_table import RecordTable

DAY, WEEK = "day", "week"


def _id(row: AppointmentRow) -> str:
    # A next session set on a listening session has no appointment of its own.
    return row.id or f"{row.case_id}@{row.starts_at.isoformat()}"


def _columns() -> list[Column[AppointmentRow]]:
    return [
        Column(
            _("Day"),
            lambda r: format_date(r.starts_at, "EEE d MMM"),
            sort=lambda r: r.starts_at.timestamp(),
        ),
        Column(_("Time"), lambda r: format_time(r.starts_at)),
        Column(_("Case"), lambda r: r.case_code),
        Column(_("Appointment"), lambda r: r.kind.label),
        Column(
            _("Duration"),
            lambda r: _("{minutes} min").format(minutes=r.minutes) if r.minutes else "",
            sort=lambda r: r.minutes,
        ),
        Column(_("Place"), lambda r: r.place),
    ]


class AgendaTab(QWidget):
    open_case = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.desk: OpenDesk | None = None
        self.view = QComboBox()
        self.view.setAccessibleName(_("Show"))
        self.view.addItem(_("Day"), DAY)
        self.view.addItem(_("Week"), WEEK)
        self.view.currentIndexChanged.connect(self.load)
        self.day = date_edit(_("Day shown"))
        self.day.dateChanged.connect(self.load)
        self.heading = QLabel()
        style.tone(self.heading, Tone.SUBHEADING)
        self.table: RecordTable[AppointmentRow] = RecordTable(_columns(), _id, _("Appointments"))
        self.table.activated.connect(lambda _index: self._open_case())
        open_case = QPushButton(_("Open the case"))
        open_case.clicked.connect(self._open_case)
        cancel = QPushButton(_("Cancel the appointment…"))
        cancel.clicked.connect(self.cancel_appointment)
        buttons = QHBoxLayout()
        buttons.addWidget(open_case)
        buttons.addWidget(cancel)
        buttons.addStretch(1)
        note = QLabel(_("Plan an appointment from its case (Case page → Plan an appointment…)."))
        style.tone(note, Tone.NOTE)
        layout = QVBoxLayout(self)
        layout.addLayout(self._navigation())
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(note)

    def _navigation(self) -> QHBoxLayout:
        previous = QPushButton(_("Previous"))
        previous.clicked.connect(lambda: self._step(-1))
        today = QPushButton(_("Today"))
        today.clicked.connect(lambda: self.day.setDate(qdate(clock.today())))
        following = QPushButton(_("Next"))
        following.clicked.connect(lambda: self._step(1))
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Show")))
        top.addWidget(self.view)
        top.addWidget(self.day)
        for button in (previous, today, following):
            top.addWidget(button)
        top.addStretch(1)
        return top

    def _range(self) -> tuple[date, date]:
        day = self.day.day()
        if self.view.currentData() == WEEK:
            return week_of(day)
        return day, day + timedelta(days=1)

    def _step(self, direction: int) -> None:
        days = 7 if self.view.currentData() == WEEK else 1
        self.day.setDate(self.day.date().addDays(direction * days))

    def load(self) -> None:
        desk = self.desk
        if desk is None or not self.isVisible():
            return
        first, end = self._range()
        tasks.run(self, lambda: appointments.between(desk, first, end), self._show)

    def clear(self) -> None:
        self.desk = None
        self.table.records.set_rows([])
        self.heading.clear()
        self.day.setDate(qdate(clock.today()))

    def _show(self, rows: list[AppointmentRow]) -> None:
        if self.desk is None:
            return
        first, end = self._range()
        if end - first == timedelta(days=1):
            heading = format_date(first, "full")
        else:
            heading = _("Week of {first} to {last}").format(
                first=format_date(first, "long"), last=format_date(end - timedelta(days=1), "long")
            )
        self.heading.setText(
            heading
            + " · "
            + ngettext("{count} appointment", "{count} appointments", len(rows)).format(
                count=len(rows)
            )
        )
        self.table.records.set_rows(rows)

    def _open_case(self) -> None:
        row = self.table.chosen()
        if row is not None:
            self.open_case.emit(row.case_id)

    def cancel_appointment(self) -> None:
        desk, row = self.desk, self.table.chosen()
        if desk is None or row is None:
            return
        if row.id is None:
            prompts.show_info(
                self,
                _("This next session was set on a listening session: change it there."),
            )
            return
        appointment_id = row.id
        question = _("Cancel the appointment of {code} on {day} at {time}?").format(
            code=row.case_code,
            day=format_date(row.starts_at, "long"),
            time=format_time(row.starts_at),
        )
        if prompts.confirm(self, question, _("Cancel the appointment")):
            tasks.run(
                self,
                lambda: appointments.cancel(desk, appointment_id),
                lambda _r: self.load(),
            )
