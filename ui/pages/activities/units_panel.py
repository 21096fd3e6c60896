"""The desk's emergency housing units: whether each is free or occupied today, a new unit
added, a unit no longer used after a given night."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.activities import HousingUnitRow
from app.errors import ValidationError
from app.i18n import _, format_date
from app.services import housing
from app.services.housing import Housing
from app.services.open_desk import OpenDesk
from ui import prompts, style, tasks
from ui.models.record_model import Column
from ui.style import Tone
from ui.widgets.dates import date_edit
from ui.widgets.field_set import FieldSet
from ui.widgets.record_editor import FORM_WIDTH
from ui.widgets.record_table import RecordTable


@dataclass(frozen=True)
class NewUnit:
    name: str
    available_from: date


@dataclass(frozen=True)
class LastNight:
    #: named as the unit's field the refusals name (the unit is available until the next day)
    available_until: date


def heading(text: str) -> QLabel:
    label = QLabel(text)
    style.tone(label, Tone.SECTION)
    return label


def _state(unit: HousingUnitRow, shown: Housing, today: date) -> str:
    if unit.available_until is not None and unit.available_until <= today:
        return _("not in use")
    occupied = any(
        stay.unit_id == unit.id
        and stay.starts_on <= today
        and (stay.ends_on is None or stay.ends_on > today)
        for stay in shown.stays
    )
    return _("occupied") if occupied else _("free")


class UnitsPanel(QWidget):
    #: a unit was added or retired: the housing is to be read again
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.desk: OpenDesk | None = None
        self._states: dict[str, str] = {}
        self.table: RecordTable[HousingUnitRow] = RecordTable(
            self._columns(), lambda unit: unit.id, _("Housing units")
        )
        self.fields = FieldSet()
        self.name = QLineEdit()
        self.name.setMaxLength(80)
        self.name.setAccessibleName(_("Name of the new unit"))
        self.add_button = QPushButton(_("Add the unit"))
        self.add_button.clicked.connect(self.add)
        self.retire_button = QPushButton(_("Stop using the unit after…"))
        self.retire_button.clicked.connect(self.retire)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._form())

    def _columns(self) -> list[Column[HousingUnitRow]]:
        return [
            Column(_("Unit"), lambda u: u.name),
            Column(
                _("Available from"),
                lambda u: format_date(u.available_from, "short"),
                sort=lambda u: u.available_from,
            ),
            Column(
                _("Until"),
                lambda u: format_date(u.available_until, "short") if u.available_until else "—",
                sort=lambda u: u.available_until or date.max,
            ),
            Column(_("Now"), lambda u: self._states.get(u.id, "")),
        ]

    def _form(self) -> QWidget:
        form = QFormLayout()
        self.fields.add_row(form, "name", _("New unit"), self.name, error=True)
        self.fields.add_row(
            form, "available_from", _("Available from"), date_edit(_("Available from")), True
        )
        form.addRow("", self.add_button)
        last_night = date_edit(_("Last night the unit is available"))
        self.fields.add_row(form, "available_until", _("Last night"), last_night, error=True)
        form.addRow("", self.retire_button)
        side = QWidget()
        column = QVBoxLayout(side)
        column.addWidget(heading(_("Units")))
        column.addLayout(form)
        column.addStretch(1)
        # As wide as the stays' form under it: one column of forms on the right.
        side.setFixedWidth(FORM_WIDTH)
        return side

    def show_units(self, shown: Housing, today: date) -> None:
        """List the units of `shown`, the one chosen before chosen again (else the first)."""
        chosen = self.table.chosen_id()
        self._states = {unit.id: _state(unit, shown, today) for unit in shown.units}
        # The list is the same units again: choosing one anew is no choice of the person's.
        with QSignalBlocker(self.table.selectionModel()):
            self.table.records.set_rows(shown.units)
            if chosen is None or not self.table.select(chosen):
                self.table.selectRow(0)
        self.table.viewport().update()

    def add(self) -> None:
        desk = self.desk
        if desk is None:
            return
        self.fields.clear_errors()
        try:
            unit = self.fields.record(NewUnit)
        except ValidationError as refused:
            self.fields.report(self, refused)
            return
        tasks.run(
            self,
            lambda: housing.add_unit(desk, unit.name, unit.available_from),
            self._added,
            lambda error: self.fields.report(self, error),
        )

    def _added(self, _unit_id: str) -> None:
        self.name.clear()
        self.changed.emit()

    def retire(self) -> None:
        desk, unit = self.desk, self.table.chosen_id()
        if desk is None or unit is None:
            return
        self.fields.clear_errors()
        try:
            last = self.fields.record(LastNight).available_until
        except ValidationError as refused:
            self.fields.report(self, refused)
            return
        question = _("The unit will not be available after the night of {day}. Go on?").format(
            day=format_date(last)
        )
        if not prompts.confirm(self, question, _("Stop using the unit")):
            return
        tasks.run(
            self,
            lambda: housing.retire_unit(desk, unit, last),
            lambda _done: self.changed.emit(),
            lambda error: self.fields.report(self, error),
        )
