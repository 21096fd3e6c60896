"""Awareness actions and group work of one month: what the desk did, with the number of
people present. No one is named."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QSpinBox

from app import clock
from app.domain.activities import MAX_PARTICIPANTS, ActivityForm, ActivityRow
from app.domain.codes import ActivityKind, Audience
from app.domain.periods import Month
from app.i18n import _, format_date, ngettext
from app.services import activities
from app.services.open_desk import OpenDesk
from ui import style
from ui.models.record_model import Column
from ui.style import Tone
from ui.widgets.coded import CodeCombo
from ui.widgets.dates import DateEdit, date_edit
from ui.widgets.field_set import FieldSet
from ui.widgets.month_picker import month_label
from ui.widgets.record_editor import RecordEditor, RecordServices, RecordWords

#: the audience an activity of each kind usually has, suggested for a new one
USUAL_AUDIENCE = {
    ActivityKind.LA_CABANE: Audience.CHILDREN,
    ActivityKind.DIGITAL_WORKSHOP: Audience.WOMEN,
    ActivityKind.ANIMATION: Audience.YOUNG_PEOPLE,
    ActivityKind.TRAINING: Audience.PROFESSIONALS,
    ActivityKind.PLATFORM_MEETING: Audience.PROFESSIONALS,
    ActivityKind.WHITE_RIBBON: Audience.GENERAL_PUBLIC,
}


def _blank() -> ActivityForm:
    kind = next(iter(ActivityKind))
    audience = USUAL_AUDIENCE.get(kind, Audience.GENERAL_PUBLIC)
    return ActivityForm(clock.today(), kind, "", "", audience, 0)


def _form_of(row: ActivityRow) -> ActivityForm:
    return ActivityForm(row.held_on, row.kind, row.title, row.place, row.audience, row.participants)


def _made(fields: FieldSet) -> ActivityForm:
    form = fields.record(ActivityForm)
    # Left without a title, an activity is called by its kind (the placeholder shown).
    return replace(form, title=form.title or form.kind.label)


def _line(longest: int) -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(longest)
    return edit


def _columns() -> list[Column[ActivityRow]]:
    return [
        Column(_("Date"), lambda r: format_date(r.held_on, "short"), sort=lambda r: r.held_on),
        Column(_("Activity"), lambda r: r.kind.label),
        Column(_("Title"), lambda r: r.title),
        Column(_("Place"), lambda r: r.place),
        Column(_("Audience"), lambda r: r.audience.label),
        Column(
            _("Participants"),
            lambda r: str(r.participants),
            sort=lambda r: r.participants,
            number=True,
        ),
    ]


def _words() -> RecordWords:
    return RecordWords(
        table=_("Activities of the month"),
        new=_("New activity"),
        save=_("Save the activity"),
        remove=_("Delete…"),
        remove_question=_("Delete this activity from the counts?"),
        note=_("Count the people present; no names. The counts go into the monthly figures."),
    )


class ActivitiesTab(RecordEditor[ActivityRow, ActivityForm]):
    #: an activity was saved in another month than the one shown: that month, to show
    month_wanted = Signal(str)

    def __init__(self) -> None:
        super().__init__(
            _columns(),
            lambda row: row.id,
            _words(),
            RecordServices(
                lambda desk: _activities_of(desk, None),
                activities.save_activity,
                activities.delete_activity,
            ),
            form_of=_form_of,
            blank=_blank,
            make=_made,
        )
        self.month: Month | None = None
        self.heading = QLabel()
        style.tone(self.heading, Tone.STRONG)
        self.side.insertWidget(0, self.heading)
        self.summary = QLabel()
        self.above_table.addWidget(self.summary)
        self.kind: CodeCombo[ActivityKind] = CodeCombo(ActivityKind, _("Kind of activity"))
        self.audience: CodeCombo[Audience] = CodeCombo(Audience, _("Audience"))
        participants = QSpinBox()
        participants.setRange(0, MAX_PARTICIPANTS)
        self.add_field("held_on", _("Date"), date_edit(_("Date of the activity")))
        self.add_field("kind", _("Activity"), self.kind)
        self.add_field("title", _("Title"), _line(160))
        self.add_field("place", _("Place"), _line(160))
        self.add_field("audience", _("Audience"), self.audience)
        self.add_field("participants", _("Participants"), participants)
        self.kind.currentIndexChanged.connect(self._suggest_audience)
        self.record_shown.connect(lambda _row: self._show_heading())
        self.loaded.connect(self._show_summary)
        self.saved.connect(self._show_month_of)
        self.empty()

    def records_to_load(self) -> Callable[[OpenDesk], list[ActivityRow]]:
        month = self.month
        return lambda desk: _activities_of(desk, month)

    def set_month(self, month: Month | None) -> None:
        """Show the activities of `month`, read now if in view (else once shown)."""
        self.month = month
        if self.isVisible():
            self.reload()

    def clear(self) -> None:
        super().clear()
        self._show_heading()

    def restore(self, draft: dict[str, Any]) -> None:
        # The record typed over may not be listed yet: the heading says so all the same.
        super().restore(draft)
        self._show_heading()

    def _show_heading(self) -> None:
        self.heading.setText(_("Change the activity") if self.editing else _("New activity"))

    def _suggest_audience(self) -> None:
        kind = self.kind.value() or ActivityKind.OTHER
        title = self.fields.widgets["title"]
        assert isinstance(title, QLineEdit)
        title.setPlaceholderText(kind.label)
        if self.editing is None and kind in USUAL_AUDIENCE:
            self.audience.set_value(USUAL_AUDIENCE[kind])

    def _show_summary(self) -> None:
        rows = self.rows()
        self.summary.setText(
            ngettext(
                "{count} activity in {month}, {people} participants.",
                "{count} activities in {month}, {people} participants.",
                len(rows),
            ).format(
                count=len(rows),
                month=month_label(self.month) if self.month else "",
                people=sum(row.participants for row in rows),
            )
        )

    def _show_month_of(self, activity_id: str) -> None:
        held_on = self.fields.widgets["held_on"]
        assert isinstance(held_on, DateEdit)
        target = Month.of(held_on.day())
        if target != self.month:
            self.month_wanted.emit(str(target))
            # Chosen in its month, as it would have been in the month shown.
            self.reload(select=activity_id)


def _activities_of(desk: OpenDesk, month: Month | None) -> list[ActivityRow]:
    return [] if month is None else activities.activities_of(desk, month, month)
