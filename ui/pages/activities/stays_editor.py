"""The stays in one housing unit: the days of arrival and of leaving, never who stays."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt

from app import clock
from app.domain.activities import StayRow
from app.i18n import _, format_date
from app.services import housing
from app.services.open_desk import OpenDesk
from ui.models.record_model import Column
from ui.pages.activities.units_editor import heading
from ui.widgets.dates import date_edit
from ui.widgets.optional_date import OptionalDate
from ui.widgets.record_editor import FORM_WIDTH, RecordEditor, RecordServices, RecordWords


@dataclass(frozen=True)
class StayForm:
    unit_id: str
    starts_on: date
    ends_on: date | None


def _nights(stay: StayRow) -> int:
    return ((stay.ends_on or clock.today()) - stay.starts_on).days


def _save(desk: OpenDesk, form: StayForm, stay_id: str, /, *, new: bool) -> str:
    return housing.save_stay(desk, form.unit_id, form.starts_on, form.ends_on, stay_id, new=new)


def _columns() -> list[Column[StayRow]]:
    return [
        Column(
            _("Arrival"), lambda s: format_date(s.starts_on, "short"), sort=lambda s: s.starts_on
        ),
        Column(
            _("Leaving"),
            lambda s: format_date(s.ends_on, "short") if s.ends_on else _("still there"),
            sort=lambda s: s.ends_on or date.max,
        ),
        Column(_("Nights"), lambda s: str(_nights(s)), sort=_nights, number=True),
    ]


def _words() -> RecordWords:
    return RecordWords(
        table=_("Stays of the unit"),
        new=_("New stay"),
        save=_("Save the stay"),
        remove=_("Delete…"),
        remove_question=_("Delete this stay from the counts?"),
        note=_("Dates only: who stays is never recorded here."),
    )


def _stays_of(desk: OpenDesk, unit: str | None) -> list[StayRow]:
    if unit is None:
        return []
    return [stay for stay in housing.housing(desk).stays if stay.unit_id == unit]


class StaysEditor(RecordEditor[StayRow, StayForm]):
    def __init__(self) -> None:
        super().__init__(
            _columns(),
            lambda stay: stay.id,
            _words(),
            RecordServices(lambda desk: _stays_of(desk, None), _save, housing.delete_stay),
            form_of=lambda stay: StayForm(stay.unit_id, stay.starts_on, stay.ends_on),
            blank=lambda: StayForm(self.unit or "", clock.today(), None),
            make=lambda fields: fields.record(StayForm, unit_id=self._unit_of_form()),
        )
        #: the unit whose stays are shown; none chosen yet, nothing to type
        self.unit: str | None = None
        self.setEnabled(False)
        self.remove_button.setAccessibleName(_("Delete the stay…"))
        self.above_table.insertWidget(0, heading(_("Stays")))
        self.side.insertWidget(0, heading(_("Stay in the chosen unit")))
        # The latest stay first: the one still running, or the one to give its day of leaving.
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        layout, form_box = self.layout(), self.side.parentWidget()
        assert layout is not None and form_box is not None
        # Under the units, on their left edge and as wide as their form: one column of
        # forms on the right.
        layout.setContentsMargins(0, 0, 0, 0)
        form_box.setFixedWidth(FORM_WIDTH)
        self.add_field("starts_on", _("Arrival"), date_edit(_("Day of arrival")))
        self.add_field(
            "ends_on",
            _("Leaving"),
            OptionalDate(_("Day of leaving"), _("Still there"), clock.today()),
        )
        self.empty()

    def records_to_load(self) -> Callable[[OpenDesk], list[StayRow]]:
        unit = self.unit
        return lambda desk: _stays_of(desk, unit)

    def _unit_of_form(self) -> str:
        # A stay being changed stays in its own unit, whatever unit was chosen meanwhile.
        editing = next((stay for stay in self.rows() if stay.id == self.editing), None)
        return editing.unit_id if editing is not None else self.unit or ""

    def show_unit(self, unit: str | None) -> None:
        """The stays of `unit`, with an empty form for a new one."""
        self.unit = unit
        self.setEnabled(unit is not None)
        self.empty()
        self.reload()
