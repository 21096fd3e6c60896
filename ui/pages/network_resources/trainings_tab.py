"""The training plan: the trainings and platform meetings planned or held (recorded as
activities), and who of the referents attended each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QListWidget, QListWidgetItem

from app import clock
from app.domain.codes import ActivityKind
from app.domain.network_resources import PartnershipRow, ReferentRow, TrainingRow
from app.i18n import _, format_date, pgettext
from app.services import network_resources
from app.services.open_desk import OpenDesk
from ui import style
from ui.models.record_model import Column
from ui.style import Tone
from ui.widgets.record_editor import RecordEditor, RecordServices, RecordWords

PLAN_BACK_DAYS = 365
PLAN_AHEAD_DAYS = 183


@dataclass(frozen=True)
class Attendance:
    """What the form of a training says: who attended, under which agreement."""

    referents: frozenset[str]
    partnership_id: str | None


@dataclass(frozen=True)
class _Options:
    referents: list[ReferentRow]
    partnerships: list[PartnershipRow]


class AttendanceList(QListWidget):
    """The referents, ticked when present."""

    def value(self) -> frozenset[str]:
        return frozenset(
            str(self.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        )

    def set_value(self, present: frozenset[str]) -> None:
        for i in range(self.count()):
            item = self.item(i)
            ticked = item.data(Qt.ItemDataRole.UserRole) in present
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def offer(self, referents: list[ReferentRow]) -> None:
        self.clear()
        for referent in referents:
            item = QListWidgetItem(f"{referent.form.name} ({referent.form.organisation})")
            item.setData(Qt.ItemDataRole.UserRole, referent.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)


def _plan(desk: OpenDesk) -> list[TrainingRow]:
    today = clock.today()
    first, last = today - timedelta(PLAN_BACK_DAYS), today + timedelta(PLAN_AHEAD_DAYS)
    return network_resources.training_plan(desk, first, last)


def _save(desk: OpenDesk, form: Attendance, activity_id: str, /, *, new: bool) -> str:
    assert not new  # the plan has no New: trainings are activities
    network_resources.set_attendance(desk, activity_id, form.referents, form.partnership_id)
    return activity_id


def _state(row: TrainingRow) -> str:
    # TRANSLATORS: a training still to come, or one already held.
    return pgettext("training", "Planned") if row.planned(clock.today()) else _("Held")


def _columns() -> list[Column[TrainingRow]]:
    return [
        Column(_("Date"), lambda r: format_date(r.held_on, "short"), lambda r: r.held_on),
        Column(_("Activity"), lambda r: r.kind.label),
        Column(_("Title"), lambda r: r.title),
        Column(_("Audience"), lambda r: r.audience.label),
        Column(_("Participants"), lambda r: str(r.participants), lambda r: r.participants, True),
        Column(
            _("Referents present"),
            lambda r: str(len(r.referents)),
            lambda r: len(r.referents),
            True,
        ),
        Column(_("State"), _state),
    ]


class TrainingsTab(RecordEditor[TrainingRow, Attendance]):
    def __init__(self) -> None:
        super().__init__(
            _columns(),
            lambda row: row.activity_id,
            RecordWords(
                table=_("Training plan"),
                new="",
                save=_("Save the attendance"),
                note=_(
                    "Plan or record a training or platform meeting on the Activities page: it "
                    "is counted there as an activity. Its attendance is kept here."
                ),
            ),
            RecordServices(_plan, _save),
            form_of=lambda row: Attendance(frozenset(row.referents), row.partnership_id),
            blank=lambda: Attendance(frozenset(), None),
            make=lambda fields: _attendance(fields.record(Attendance)),
            form_width=320,
        )
        self.save_button.setText(_("Save the attendance"))
        # The list of referents takes the form's width, its label above it.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.title = QLabel()
        self.title.setWordWrap(True)
        style.tone(self.title, Tone.STRONG)
        self.side.insertWidget(0, self.title)
        self.attendance = AttendanceList()
        self.agreement = QComboBox()
        self.add_field("referents", _("Referents who attended"), self.attendance)
        self.add_field("partnership_id", _("Held under the agreement"), self.agreement)
        self.agreement.setAccessibleName(_("Agreement of the platform meeting"))
        self.record_shown.connect(self._enable)
        self._enable(None)

    def load_options(self, desk: OpenDesk) -> _Options:
        return _Options(network_resources.referents(desk), network_resources.partnerships(desk))

    def show_options(self, options: object) -> None:
        assert isinstance(options, _Options)
        present = self.attendance.value()
        self.attendance.offer(options.referents)
        self.attendance.set_value(present)
        chosen = self.agreement.currentData()
        self.agreement.clear()
        self.agreement.addItem(_("None"), "")
        for row in options.partnerships:
            self.agreement.addItem(f"{row.form.partner} · {row.form.subject}", row.id)
        self.agreement.setCurrentIndex(max(0, self.agreement.findData(chosen)))

    def _enable(self, row: object) -> None:
        held = isinstance(row, TrainingRow) and not row.planned(clock.today())
        self.attendance.setEnabled(held)
        self.save_button.setEnabled(held)
        meeting = isinstance(row, TrainingRow) and row.kind.network == ActivityKind.PLATFORM_MEETING
        self.agreement.setEnabled(held and meeting)
        if isinstance(row, TrainingRow):
            self.title.setText(f"{format_date(row.held_on, 'long')} · {row.title}")
        else:
            self.title.setText(_("Choose a training or meeting in the list."))


def _attendance(form: Attendance) -> Attendance:
    # The list's "None" holds an empty code.
    return Attendance(form.referents, form.partnership_id or None)
