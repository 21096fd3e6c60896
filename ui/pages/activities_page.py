"""Awareness actions, group work and emergency housing: what the desk did in a
month, with participant counts, and the occupancy of its housing units. No one is named."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.domain.activities import MAX_PARTICIPANTS, ActivityForm, ActivityRow, StayRow
from app.domain.codes import ActivityKind, Audience
from app.domain.periods import Month
from app.i18n import _, format_date, format_decimal, format_percent, ngettext
from app.services import activities, housing
from app.services.housing import Housing
from app.services.open_desk import OpenDesk
from ui import prompts, style, tasks
from ui.pages.base import Page
from ui.style import Tone
from ui.widgets.coded import CodeCombo
from ui.widgets.dates import DateRefused, date_edit, day_of, qdate
from ui.widgets.month_picker import MonthPicker, month_label
from ui.widgets.tables import cell, chosen_id, read_only_table, set_row

MONTHS_BACK = 36
MONTHS_AHEAD = 3


class ActivitiesPage(Page):
    def __init__(self) -> None:
        super().__init__("activities", _("Activities and housing"), activities.ACTIVITY_ROLES)
        self.month = MonthPicker(_("Month"))
        self.month.currentIndexChanged.connect(self.reload)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._activities_tab(), _("Activities"))
        self.tabs.addTab(self._housing_tab(), _("Emergency housing"))
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Month")))
        top.addWidget(self.month)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self._rows: list[ActivityRow] = []
        self._housing = Housing([], [])
        self._editing: str | None = None
        self._editing_stay: str | None = None
        #: a stay's draft, waiting for the units to be shown
        self._waiting_stay: dict[str, Any] | None = None
        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.activated.connect(self._save_current_tab)

    # -- layout -------------------------------------------------------------------------

    def _activities_tab(self) -> QWidget:
        self.activity_table = read_only_table(
            [_("Date"), _("Activity"), _("Title"), _("Place"), _("Audience"), _("Participants")],
            _("Activities of the month"),
        )
        self.activity_table.itemSelectionChanged.connect(self._activity_chosen)
        header = self.activity_table.horizontalHeader()
        # Widths of their own, the table scrolling sideways when the window is narrow: made
        # to share what was left, title and place were cut to "A…" at 1024 pixels. The
        # kinds' names are long: elided, the whole name in the form. The last column takes
        # what a wide window leaves.
        header.setStretchLastSection(True)
        for column, width in ((1, 150), (2, 170), (3, 120)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.summary = QLabel()
        self.held_on = date_edit(_("Date of the activity"))
        self.kind = CodeCombo(ActivityKind, _("Kind of activity"))
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName(_("Title"))
        self.title_edit.setMaxLength(160)
        self.place = QLineEdit()
        self.place.setAccessibleName(_("Place"))
        self.place.setMaxLength(160)
        self.audience = CodeCombo(Audience, _("Audience"))
        self.participants = QSpinBox()
        self.participants.setRange(0, MAX_PARTICIPANTS)
        self.participants.setAccessibleName(_("Participants"))
        self.kind.currentIndexChanged.connect(self._suggest_audience)
        form = QFormLayout()
        form.addRow(_("Date"), self.held_on)
        form.addRow(_("Activity"), self.kind)
        form.addRow(_("Title"), self.title_edit)
        form.addRow(_("Place"), self.place)
        form.addRow(_("Audience"), self.audience)
        form.addRow(_("Participants"), self.participants)
        self.new_button = QPushButton(_("New activity"))
        self.new_button.clicked.connect(self.new_activity)
        self.save_button = QPushButton(_("Save"))
        self.save_button.setAccessibleName(_("Save the activity"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_activity)
        self.delete_button = QPushButton(_("Delete…"))
        self.delete_button.clicked.connect(self.delete_activity)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.form_title = QLabel()
        style.tone(self.form_title, Tone.STRONG)
        side = QVBoxLayout()
        side.addWidget(self.form_title)
        side.addLayout(form)
        side.addLayout(buttons)
        side.addWidget(
            _note(_("Count the people present; no names. The counts go into the monthly figures."))
        )
        side.addStretch(1)
        side_box = QWidget()
        side_box.setLayout(side)
        side_box.setMaximumWidth(380)
        left = QVBoxLayout()
        left.addWidget(self.activity_table, 1)
        left.addWidget(self.summary)
        tab = QWidget()
        layout = QHBoxLayout(tab)
        layout.addLayout(left, 1)
        layout.addWidget(side_box)
        self.new_activity()
        return tab

    def _housing_tab(self) -> QWidget:
        self.unit_table = read_only_table(
            [_("Unit"), _("Available from"), _("Until"), _("Now")], _("Housing units")
        )
        self.unit_table.itemSelectionChanged.connect(self._unit_chosen)
        self.stay_table = read_only_table(
            [_("Arrival"), _("Leaving"), _("Nights")], _("Stays of the unit")
        )
        self.stay_table.itemSelectionChanged.connect(self._stay_chosen)
        self.occupancy = QLabel()
        self.occupancy.setWordWrap(True)
        style.tone(self.occupancy, Tone.LARGE)
        self.unit_name = QLineEdit()
        self.unit_name.setAccessibleName(_("Name of the new unit"))
        self.unit_name.setMaxLength(80)
        self.unit_from = date_edit(_("Available from"))
        self.add_unit_button = QPushButton(_("Add the unit"))
        self.add_unit_button.clicked.connect(self.add_unit)
        self.retire_button = QPushButton(_("Stop using the unit after…"))
        self.retire_button.clicked.connect(self.retire_unit)
        self.retire_day = date_edit(_("Last night the unit is available"))
        unit_form = QFormLayout()
        unit_form.addRow(_("New unit"), self.unit_name)
        unit_form.addRow(_("Available from"), self.unit_from)
        unit_form.addRow("", self.add_unit_button)
        unit_form.addRow(_("Last night"), self.retire_day)
        unit_form.addRow("", self.retire_button)
        self.arrival = date_edit(_("Day of arrival"))
        self.leaving = date_edit(_("Day of leaving"))
        self.still_there = QCheckBox(_("Still there"))
        self.still_there.toggled.connect(lambda on: self.leaving.setEnabled(not on))
        self.still_there.setChecked(True)
        self.save_stay_button = QPushButton(_("Save"))
        self.save_stay_button.setAccessibleName(_("Save the stay"))
        self.save_stay_button.clicked.connect(self.save_stay)
        self.new_stay_button = QPushButton(_("New stay"))
        self.new_stay_button.clicked.connect(self.new_stay)
        self.delete_stay_button = QPushButton(_("Delete…"))
        self.delete_stay_button.setAccessibleName(_("Delete the stay…"))
        self.delete_stay_button.clicked.connect(self.delete_stay)
        leaving_row = QHBoxLayout()
        leaving_row.addWidget(self.leaving)
        leaving_row.addWidget(self.still_there)
        stay_form = QFormLayout()
        stay_form.addRow(_("Arrival"), self.arrival)
        stay_form.addRow(_("Leaving"), leaving_row)
        stay_buttons = QHBoxLayout()
        for button in (self.new_stay_button, self.save_stay_button, self.delete_stay_button):
            stay_buttons.addWidget(button)
        stay_buttons.addStretch(1)
        side = QVBoxLayout()
        side.addWidget(_heading(_("Units")))
        side.addLayout(unit_form)
        side.addWidget(_heading(_("Stay in the chosen unit")))
        side.addLayout(stay_form)
        side.addLayout(stay_buttons)
        side.addWidget(_note(_("Dates only: who stays is never recorded here.")))
        side.addStretch(1)
        side_box = QWidget()
        side_box.setLayout(side)
        side_box.setMaximumWidth(420)
        left = QVBoxLayout()
        left.addWidget(self.occupancy)
        left.addWidget(self.unit_table, 1)
        left.addWidget(_heading(_("Stays")))
        left.addWidget(self.stay_table, 1)
        tab = QWidget()
        layout = QHBoxLayout(tab)
        layout.addLayout(left, 1)
        layout.addWidget(side_box)
        return tab

    # -- desk ---------------------------------------------------------------------------

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        today = Month.of(clock.today())
        self.month.set_months(today.shifted(-MONTHS_BACK), today.shifted(MONTHS_AHEAD), today)

    def clear(self) -> None:
        super().clear()
        self._waiting_stay = None
        self._rows = []
        self._housing = Housing([], [])
        self.activity_table.setRowCount(0)
        self.unit_table.setRowCount(0)
        self.stay_table.setRowCount(0)
        self.occupancy.clear()
        self.summary.clear()
        self.new_activity()

    def shown(self) -> None:
        self.reload()

    def draft(self) -> dict[str, Any]:
        """The activity, the housing stay and the new unit being typed, kept across a lock."""
        parts = {
            "activity": self._activity_draft(),
            "stay": self._stay_draft(),
            "unit_name": self.unit_name.text(),
        }
        return {key: value for key, value in parts.items() if value}

    def _activity_draft(self) -> dict[str, Any]:
        if not (self.title_edit.text() or self.place.text() or self.participants.value()):
            return {}
        return {
            "editing": self._editing,
            "held_on": self.held_on.day().isoformat(),
            "kind": self.kind.currentData(),
            "title": self.title_edit.text(),
            "place": self.place.text(),
            "audience": self.audience.currentData(),
            "participants": self.participants.value(),
        }

    def _stay_draft(self) -> dict[str, Any]:
        unit, arrival = self._chosen_unit(), self.arrival.day()
        leaving = None if self.still_there.isChecked() else self.leaving.day()
        untouched = self._editing_stay is None and arrival == clock.today() and leaving is None
        if unit is None or untouched:
            return {}
        return {
            "unit": unit,
            "editing": self._editing_stay,
            "arrival": arrival.isoformat(),
            "leaving": None if leaving is None else leaving.isoformat(),
        }

    def restore(self, draft: dict[str, Any]) -> None:
        activity, stay = draft.get("activity"), draft.get("stay")
        if isinstance(activity, dict):
            self._restore_activity(activity)
        self.unit_name.setText(str(draft.get("unit_name", "")))
        # Put back once the units are shown (see _show_housing).
        self._waiting_stay = stay if isinstance(stay, dict) else None

    def _restore_activity(self, draft: dict[str, Any]) -> None:
        try:
            held_on = date.fromisoformat(str(draft["held_on"]))
            participants = int(draft["participants"])
        except (KeyError, ValueError):
            return  # not a draft of this page
        editing = draft.get("editing")
        self._editing = editing if isinstance(editing, str) else None
        self.form_title.setText(_("Change the activity") if self._editing else _("New activity"))
        self.delete_button.setEnabled(self._editing is not None)
        self.held_on.setDate(qdate(held_on))
        self.kind.set_value(str(draft.get("kind") or ""))
        self.title_edit.setText(str(draft.get("title", "")))
        self.place.setText(str(draft.get("place", "")))
        self.audience.set_value(str(draft.get("audience") or ""))
        self.participants.setValue(participants)

    def _restore_stay(self, draft: dict[str, Any]) -> None:
        units = [unit.id for unit in self._housing.units]
        try:
            arrival = date.fromisoformat(str(draft["arrival"]))
            kept_leaving = draft["leaving"]
            leaving = None if kept_leaving is None else date.fromisoformat(str(kept_leaving))
            row = units.index(draft["unit"])
        except (KeyError, ValueError):
            return  # not a stay of this desk's units
        self.unit_table.selectRow(row)  # shows the unit's stays, with an empty stay form
        editing = draft.get("editing")
        self._editing_stay = editing if isinstance(editing, str) else None
        self.delete_stay_button.setEnabled(self._editing_stay is not None)
        self.arrival.setDate(qdate(arrival))
        self.still_there.setChecked(leaving is None)
        if leaving is not None:
            self.leaving.setDate(qdate(leaving))

    def reload(self) -> None:
        if not self.isVisible():
            return
        desk, month = self.desk, self.month.month()
        if desk is None or month is None:
            return

        def load() -> tuple[list[ActivityRow], Housing]:
            return activities.activities_of(desk, month, month), housing.housing(desk)

        tasks.run(self, load, self._loaded)

    def _loaded(self, loaded: tuple[list[ActivityRow], Housing]) -> None:
        self._rows, self._housing = loaded
        self._show_activities()
        self._show_housing()

    # -- activities ---------------------------------------------------------------------

    def _show_activities(self) -> None:
        table = self.activity_table
        table.setRowCount(len(self._rows))
        for row, activity in enumerate(self._rows):
            cells = [
                cell(format_date(activity.held_on, "short"), activity.id),
                cell(activity.kind.label),
                cell(activity.title),
                cell(activity.place),
                cell(activity.audience.label),
                cell(str(activity.participants), number=True),
            ]
            set_row(table, row, cells)
        month = self.month.month()
        people = sum(a.participants for a in self._rows)
        self.summary.setText(
            ngettext(
                "{count} activity in {month}, {people} participants.",
                "{count} activities in {month}, {people} participants.",
                len(self._rows),
            ).format(
                count=len(self._rows), month=month_label(month) if month else "", people=people
            )
        )

    def _activity_chosen(self) -> None:
        chosen = chosen_id(self.activity_table)
        activity = next((a for a in self._rows if a.id == chosen), None)
        if activity is None:
            return
        self._editing = activity.id
        self.form_title.setText(_("Change the activity"))
        self.held_on.setDate(qdate(activity.held_on))
        self.kind.set_value(activity.kind)
        self.title_edit.setText(activity.title)
        self.place.setText(activity.place)
        self.audience.set_value(activity.audience)
        self.participants.setValue(activity.participants)
        self.delete_button.setEnabled(True)

    def _suggest_audience(self) -> None:
        if self._editing is not None:
            return
        suggested = {
            ActivityKind.LA_CABANE: Audience.CHILDREN,
            ActivityKind.DIGITAL_WORKSHOP: Audience.WOMEN,
            ActivityKind.ANIMATION: Audience.YOUNG_PEOPLE,
            ActivityKind.TRAINING: Audience.PROFESSIONALS,
            ActivityKind.PLATFORM_MEETING: Audience.PROFESSIONALS,
            ActivityKind.WHITE_RIBBON: Audience.GENERAL_PUBLIC,
        }.get(self.kind.value() or ActivityKind.OTHER)
        if suggested is not None:
            self.audience.set_value(suggested)
        if not self.title_edit.text():
            self.title_edit.setPlaceholderText(self.kind.currentText())

    def new_activity(self) -> None:
        self._editing = None
        self.activity_table.clearSelection()
        self.form_title.setText(_("New activity"))
        self.held_on.setDate(qdate(clock.today()))
        self.kind.setCurrentIndex(0)
        self._suggest_audience()
        self.title_edit.clear()
        self.place.clear()
        self.participants.setValue(0)
        self.delete_button.setEnabled(False)

    def _form(self) -> ActivityForm:
        kind = self.kind.value() or ActivityKind.OTHER
        return ActivityForm(
            held_on=day_of(self.held_on),
            kind=kind,
            title=self.title_edit.text() or kind.label,
            place=self.place.text(),
            audience=self.audience.value() or Audience.GENERAL_PUBLIC,
            participants=self.participants.value(),
        )

    def save_activity(self) -> None:
        desk = self.desk
        if desk is None:
            return
        try:
            form = self._form()
        except DateRefused as error:
            tasks.report_failure(self, error)
            return
        editing = self._editing
        target = Month.of(form.held_on)

        def saved(_activity_id: str) -> None:
            self.new_activity()
            if self.month.month() == target:
                self.reload()
            else:
                self.month.setCurrentIndex(max(0, self.month.findData(str(target))))

        tasks.run(self, lambda: activities.save_activity(desk, form, editing), saved)

    def delete_activity(self) -> None:
        desk, chosen = self.desk, self._editing
        if desk is None or chosen is None:
            return
        if not prompts.confirm(self, _("Delete this activity from the counts?"), _("Delete")):
            return

        def deleted(_result: None) -> None:
            self.new_activity()
            self.reload()

        tasks.run(self, lambda: activities.delete_activity(desk, chosen), deleted)

    def _save_current_tab(self) -> None:
        if self.tabs.currentIndex() == 0:
            self.save_activity()
        else:
            self.save_stay()

    # -- housing ------------------------------------------------------------------------

    def _show_housing(self) -> None:
        today = clock.today()
        chosen = self._chosen_unit()
        table = self.unit_table
        table.setRowCount(len(self._housing.units))
        for row, unit in enumerate(self._housing.units):
            occupied = any(
                s.unit_id == unit.id
                and s.starts_on <= today
                and (s.ends_on is None or s.ends_on > today)
                for s in self._housing.stays
            )
            gone = unit.available_until is not None and unit.available_until <= today
            now = _("not in use") if gone else _("occupied") if occupied else _("free")
            cells = [
                cell(unit.name, unit.id),
                cell(format_date(unit.available_from, "short")),
                cell(format_date(unit.available_until, "short") if unit.available_until else "—"),
                cell(now),
            ]
            set_row(table, row, cells)
            if unit.id == chosen:
                table.selectRow(row)
        if chosen is None and self._housing.units:
            table.selectRow(0)
        self._show_stays()
        if self._waiting_stay is not None:
            waiting, self._waiting_stay = self._waiting_stay, None
            self._restore_stay(waiting)
        month = self.month.month()
        if month is None:
            return
        if not self._housing.units:
            self.occupancy.setText(_("No housing unit yet: add one to record its stays."))
            return
        nights = self._housing.occupancy(month, today)
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

    def _chosen_unit(self) -> str | None:
        return chosen_id(self.unit_table)

    def _unit_chosen(self) -> None:
        self._show_stays()

    def _unit_stays(self) -> list[StayRow]:
        unit = self._chosen_unit()
        return [s for s in self._housing.stays if s.unit_id == unit]

    def _show_stays(self) -> None:
        stays = self._unit_stays()
        today = clock.today()
        self.stay_table.setRowCount(len(stays))
        for row, stay in enumerate(reversed(stays)):
            end = stay.ends_on or today
            cells = [
                cell(format_date(stay.starts_on, "short"), stay.id),
                cell(format_date(stay.ends_on, "short") if stay.ends_on else _("still there")),
                cell(str((end - stay.starts_on).days), number=True),
            ]
            set_row(self.stay_table, row, cells)
        self.new_stay()
        has_unit = self._chosen_unit() is not None
        for widget in (self.save_stay_button, self.new_stay_button, self.retire_button):
            widget.setEnabled(has_unit)

    def _stay_chosen(self) -> None:
        stay_id = chosen_id(self.stay_table)
        stay = next((s for s in self._housing.stays if s.id == stay_id), None)
        if stay is None:
            return
        self._editing_stay = stay.id
        self.arrival.setDate(qdate(stay.starts_on))
        self.still_there.setChecked(stay.ends_on is None)
        self.leaving.setDate(qdate(stay.ends_on or clock.today()))
        self.delete_stay_button.setEnabled(True)

    def new_stay(self) -> None:
        self._editing_stay = None
        self.stay_table.clearSelection()
        self.arrival.setDate(qdate(clock.today()))
        self.leaving.setDate(qdate(clock.today()))
        self.still_there.setChecked(True)
        self.delete_stay_button.setEnabled(False)

    def add_unit(self) -> None:
        desk = self.desk
        if desk is None:
            return
        try:
            since = day_of(self.unit_from)
        except DateRefused as error:
            tasks.report_failure(self, error)
            return
        name = self.unit_name.text()

        def added(_unit_id: str) -> None:
            self.unit_name.clear()
            self.reload()

        tasks.run(self, lambda: housing.add_unit(desk, name, since), added)

    def retire_unit(self) -> None:
        desk, unit = self.desk, self._chosen_unit()
        if desk is None or unit is None:
            return
        try:
            last = day_of(self.retire_day)
        except DateRefused as error:
            tasks.report_failure(self, error)
            return
        question = _("The unit will not be available after the night of {day}. Go on?").format(
            day=format_date(last)
        )
        if prompts.confirm(self, question, _("Stop using the unit")):
            tasks.run(self, lambda: housing.retire_unit(desk, unit, last), lambda _r: self.reload())

    def save_stay(self) -> None:
        desk, unit = self.desk, self._chosen_unit()
        if desk is None or unit is None:
            return
        try:
            start = day_of(self.arrival)
            end = None if self.still_there.isChecked() else day_of(self.leaving)
        except DateRefused as error:
            tasks.report_failure(self, error)
            return
        editing = self._editing_stay
        tasks.run(
            self,
            lambda: housing.save_stay(desk, unit, start, end, editing),
            lambda _stay_id: self.reload(),
        )

    def delete_stay(self) -> None:
        desk, stay = self.desk, self._editing_stay
        if desk is None or stay is None:
            return
        if prompts.confirm(self, _("Delete this stay from the counts?"), _("Delete")):
            tasks.run(self, lambda: housing.delete_stay(desk, stay), lambda _r: self.reload())


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    style.tone(label, Tone.NOTE)
    return label


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    style.tone(label, Tone.SECTION)
    return label
