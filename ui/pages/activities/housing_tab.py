"""Emergency housing: the occupancy of the month, the units, and the stays in the unit
chosen. Dates only: who stays is never recorded."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app import clock
from app.domain.periods import Month
from app.i18n import _, format_decimal, format_percent
from app.services import housing
from app.services.housing import Housing
from app.services.open_desk import OpenDesk
from ui import style, tasks
from ui.pages.activities.stays_editor import StaysEditor
from ui.pages.activities.units_panel import UnitsPanel
from ui.style import Tone
from ui.widgets.month_picker import month_label


class HousingTab(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.desk: OpenDesk | None = None
        self.month: Month | None = None
        self._housing = Housing([], [])
        #: a stay's draft, waiting for the units to be listed
        self._waiting: dict[str, Any] | None = None
        self.occupancy = QLabel()
        self.occupancy.setWordWrap(True)
        style.tone(self.occupancy, Tone.LARGE)
        self.units = UnitsPanel()
        self.units.changed.connect(self.reload)
        self.units.table.selectionModel().selectionChanged.connect(lambda *_: self._unit_chosen())
        self.stays = StaysEditor()
        # A stay saved or deleted changes what the units are now, and the occupancy.
        self.stays.saved.connect(self.reload)
        self.stays.removed.connect(self.reload)
        layout = QVBoxLayout(self)
        layout.addWidget(self.occupancy)
        layout.addWidget(self.units, 1)
        layout.addWidget(self.stays, 1)
        self._unit_chosen()

    def open_desk(self, desk: OpenDesk) -> None:
        """Work on `desk`: the housing is read when the tab comes into view (and each time
        again), as the record editors do."""
        self.desk = self.units.desk = self.stays.desk = desk
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()

    def clear(self) -> None:
        self.desk = self.units.desk = None
        self._waiting = None
        self._housing = Housing([], [])
        self.units.table.records.set_rows([])
        self.units.name.clear()
        self.stays.clear()
        self._unit_chosen()
        self.occupancy.clear()

    def set_month(self, month: Month | None) -> None:
        self.month = month
        self._show_occupancy()

    def reload(self) -> None:
        desk = self.desk
        if desk is not None:
            tasks.run(self, lambda: housing.housing(desk), self._show)

    def _show(self, shown: Housing) -> None:
        if self.desk is None:
            return
        self._housing = shown
        self.units.show_units(shown, clock.today())
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self.units.table.select(str(waiting.get("unit")))
        self._unit_chosen()
        if waiting is not None and isinstance(waiting.get("stay"), dict):
            self.stays.restore(waiting["stay"])
        self._show_occupancy()

    def _unit_chosen(self) -> None:
        unit = self.units.table.chosen_id()
        self.units.retire_button.setEnabled(unit is not None)
        if unit != self.stays.unit:
            self.stays.show_unit(unit)

    def _show_occupancy(self) -> None:
        month = self.month
        if month is None or self.desk is None:
            return
        if not self._housing.units:
            self.occupancy.setText(_("No housing unit yet: add one to record its stays."))
            return
        nights = self._housing.occupancy(month, clock.today())
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
        stay = self.stays.draft()
        return {"unit": self.stays.unit, "stay": stay} if stay else {}

    def restore(self, draft: dict[str, Any]) -> None:
        """Put back once the units are listed (the stay belongs to one of them)."""
        self._waiting = draft
