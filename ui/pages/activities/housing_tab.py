"""Emergency housing: the occupancy of the month, the units, and the stays in the unit
chosen. Dates only: who stays is never recorded."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app import clock
from app.domain.periods import Month
from app.i18n import _, format_decimal, format_percent
from app.services.open_desk import OpenDesk
from ui import style
from ui.pages.activities.stays_editor import StaysEditor
from ui.pages.activities.units_editor import UnitsEditor
from ui.style import Tone
from ui.widgets.month_picker import month_label


class HousingTab(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.month: Month | None = None
        #: what was typed, waiting for the units to be listed (a stay belongs to one of them)
        self._waiting: dict[str, Any] | None = None
        self.occupancy = QLabel()
        self.occupancy.setWordWrap(True)
        style.tone(self.occupancy, Tone.LARGE)
        self.units = UnitsEditor()
        self.units.loaded.connect(self._units_listed)
        self.units.record_shown.connect(lambda _unit: self._unit_chosen())
        self.units.removed.connect(self._retired)
        self.stays = StaysEditor()
        # A stay saved or deleted changes what the units are now, and the occupancy.
        self.stays.saved.connect(lambda _stay: self.units.reload())
        self.stays.removed.connect(lambda _stay: self.units.reload())
        layout = QVBoxLayout(self)
        layout.addWidget(self.occupancy)
        layout.addWidget(self.units, 1)
        layout.addWidget(self.stays, 1)

    def open_desk(self, desk: OpenDesk) -> None:
        """Work on `desk`: the units are read when the tab comes into view (and each time
        again), as the record editors do; the stays once a unit is chosen."""
        self.stays.desk = desk
        self.units.open_desk(desk)

    def clear(self) -> None:
        self._waiting = None
        # The stays first: the units emptied choose no unit, whose stays are not to be read.
        self.stays.clear()
        self.units.clear()
        self.occupancy.clear()

    def set_month(self, month: Month | None) -> None:
        self.month = month
        self._show_occupancy()

    def _units_listed(self) -> None:
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._put_back(waiting)
        elif self.units.editing is None and not self.units.draft() and self.units.rows():
            # A unit's stays in view: the first unit, until the person chooses.
            self.units.table.selectRow(0)
        self._show_occupancy()

    def _put_back(self, waiting: dict[str, Any]) -> None:
        typed = waiting.get("units")
        if isinstance(typed, dict):
            self.units.restore(typed)
        elif isinstance(waiting.get("unit"), str):
            self.units.select(waiting["unit"])
        stay = waiting.get("stay")
        if isinstance(stay, dict) and self.stays.unit == waiting.get("unit"):
            self.stays.restore(stay)

    def _retired(self, unit: str) -> None:
        # Still listed: chosen again, showing its last night, unless the person went on to
        # another unit meanwhile.
        if self.units.editing is None:
            self._waiting = {"unit": unit}

    def _unit_chosen(self) -> None:
        unit = self.units.editing
        if unit != self.stays.unit:
            self.stays.show_unit(unit)

    def _show_occupancy(self) -> None:
        month, read = self.month, self.units.read
        if month is None or self.units.desk is None:
            return
        if not read.units:
            self.occupancy.setText(_("No housing unit yet: add one to record its stays."))
            return
        nights = read.occupancy(month, clock.today())
        share = nights.occupied / nights.available * 100 if nights.available else 0
        self.occupancy.setText(
            _(
                "{month}: {occupied} of {available} unit-nights occupied ({share}), "
                "{units} unit-months."
            ).format(
                month=month_label(month),
                occupied=nights.occupied,
                available=nights.available,
                share=format_percent(share),
                units=format_decimal(nights.unit_months_occupied),
            )
        )

    def draft(self) -> dict[str, Any]:
        """The unit and the stay being typed, and which unit the stay belongs to."""
        parts: dict[str, Any] = {"units": self.units.draft(), "stay": self.stays.draft()}
        if parts["stay"]:
            parts["unit"] = self.stays.unit
        return {key: value for key, value in parts.items() if value}

    def restore(self, draft: dict[str, Any]) -> None:
        """Put back once the units are listed."""
        self._waiting = draft
