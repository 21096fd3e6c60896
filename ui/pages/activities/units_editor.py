"""The desk's emergency housing units: whether each is free or occupied today, a new unit,
its name and the nights it is available, and retiring it after tonight."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QLabel, QLineEdit

from app import clock
from app.domain.activities import HousingUnitRow, UnitForm
from app.i18n import _, format_date, pgettext
from app.services import housing
from app.services.housing import Housing
from app.services.open_desk import OpenDesk
from ui import style, tasks
from ui.models.record_model import Column
from ui.style import Tone
from ui.widgets.dates import date_edit
from ui.widgets.optional_date import OptionalDate
from ui.widgets.record_editor import FORM_WIDTH, RecordEditor, RecordServices, RecordWords


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


def _form_of(unit: HousingUnitRow) -> UnitForm:
    until = unit.available_until
    return UnitForm(unit.name, unit.available_from, until - timedelta(days=1) if until else None)


def _retire_after_tonight(desk: OpenDesk, unit_id: str) -> None:
    housing.retire_unit(desk, unit_id, clock.today())


def _words() -> RecordWords:
    return RecordWords(
        table=_("Housing units"),
        new=_("New unit"),
        save=_("Save the unit"),
        # TRANSLATORS: a button: the housing unit is no longer available after tonight (it
        # is kept, with its stays, in the counts).
        remove=pgettext("housing unit", "Retire…"),
        remove_question=_("Retire this unit? It will not be available after tonight."),
    )


class UnitsEditor(RecordEditor[HousingUnitRow, UnitForm]):
    def __init__(self) -> None:
        super().__init__(
            self._columns(),
            lambda unit: unit.id,
            _words(),
            RecordServices(self._load, housing.save_unit, _retire_after_tonight),
            form_of=_form_of,
            blank=lambda: UnitForm("", clock.today()),
            make=lambda fields: fields.record(UnitForm),
        )
        #: the units and every stay, as the last load read them: for the units' state today
        #: and the occupancy of the month, without reading them again
        self.read = Housing([], [])
        self.remove_button.setAccessibleName(_("Retire the unit…"))
        self.above_table.insertWidget(0, heading(_("Units")))
        self.side.insertWidget(0, heading(_("Unit")))
        layout, form_box = self.layout(), self.side.parentWidget()
        assert layout is not None and form_box is not None
        # As wide as the stays' form under it: one column of forms on the right.
        layout.setContentsMargins(0, 0, 0, 0)
        form_box.setFixedWidth(FORM_WIDTH)
        name = QLineEdit()
        name.setMaxLength(80)
        name.setAccessibleName(_("Name of the unit"))
        self.add_field("name", _("Name"), name)
        self.add_field("available_from", _("Available from"), date_edit(_("Available from")))
        self.add_field(
            "last_night",
            _("Last night"),
            OptionalDate(_("Last night the unit is available"), _("Still in use"), clock.today()),
        )
        self.empty()

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
            Column(_("Now"), lambda u: _state(u, self.read, clock.today())),
        ]

    def _load(self, desk: OpenDesk) -> list[HousingUnitRow]:
        # Off the GUI thread, as the directory's search keeps what it found: the stays read
        # with the units give their state and the occupancy (work runs one at a time, and a
        # later read only makes the state newer).
        self.read = housing.housing(desk)
        return self.read.units

    def clear(self) -> None:
        self.read = Housing([], [])
        super().clear()

    def remove(self) -> None:
        """Retire after tonight: what stands against it (a stay still running) is said
        before anything is asked."""
        desk, unit = self.desk, self.editing
        if desk is None or unit is None:
            return
        tonight = clock.today()
        self.fields.clear_errors()
        tasks.run(
            self,
            lambda: housing.check_retirement(desk, unit, tonight),
            lambda _fine: self._ask_to_retire(unit),
            lambda refused: self.fields.report(self, refused),
        )

    def _ask_to_retire(self, unit: str) -> None:
        # The person went on to another unit meanwhile: that one was not checked.
        if self.editing == unit:
            super().remove()
