"""Awareness actions and group work of one month: what the desk did, with the number of
people present. No one is named."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox

from app import clock
from app.domain.activities import MAX_PARTICIPANTS, ActivityForm, ActivityRow
from app.domain.activity_lists import CABANE_PARENTS, DeskEntry, DeskList, DeskLists
from app.domain.codes import ActivityKind, Audience
from app.domain.periods import Month
from app.i18n import _, format_date, ngettext, pgettext
from app.services import activities, activity_lists
from app.services.open_desk import OpenDesk
from ui import style
from ui.models.record_model import Column
from ui.style import Tone
from ui.widgets.dates import DateEdit, date_edit
from ui.widgets.field_set import FieldSet
from ui.widgets.month_picker import month_label
from ui.widgets.record_editor import RecordEditor, RecordServices, RecordWords

#: the audience an activity of each network kind usually has, suggested for a new one of
#: a desk kind counted as it
USUAL_AUDIENCE = {
    ActivityKind.LA_CABANE: Audience.CHILDREN,
    ActivityKind.DIGITAL_WORKSHOP: Audience.WOMEN,
    ActivityKind.ANIMATION: Audience.YOUNG_PEOPLE,
    ActivityKind.TRAINING: Audience.PROFESSIONALS,
    ActivityKind.PLATFORM_MEETING: Audience.PROFESSIONALS,
    ActivityKind.WHITE_RIBBON: Audience.GENERAL_PUBLIC,
    ActivityKind.DISCUSSION_GROUP: Audience.WOMEN,
    ActivityKind.SUPPORT_GROUP: Audience.CHILDREN,
}


def _form_of(row: ActivityRow) -> ActivityForm:
    return ActivityForm(
        row.held_on, row.kind.id, row.title, row.place, row.audience.id, row.participants
    )


def _usual_audience(kind: DeskEntry, lists: DeskLists) -> str | None:
    """The desk's audience to suggest for `kind`: the one of the network's usual audience,
    or the parents received alongside La cabane for a kind of their own."""
    usual = USUAL_AUDIENCE.get(ActivityKind.read(kind.network))
    offered = lists.active(DeskList.AUDIENCES)
    if usual is None:
        return None
    return next(
        (a.id for a in offered if a.id == usual),
        next((a.id for a in offered if a.network == usual and a.id != CABANE_PARENTS), None),
    )


def _offer(combo: QComboBox, entries: tuple[DeskEntry, ...], kept: DeskEntry | None) -> None:
    """The desk's active entries, and the one an activity shown has if it is retired."""
    chosen = combo.currentData()
    with QSignalBlocker(combo):
        combo.clear()
        for entry in entries:
            combo.addItem(entry.label, entry.id)
        if kept is not None and combo.findData(kept.id) < 0:
            # TRANSLATORS: a kind or audience no longer offered, shown on an activity that has it.
            combo.addItem(pgettext("desk list", "Retired: {name}").format(name=kept.label), kept.id)
        combo.setCurrentIndex(max(0, combo.findData(chosen)))


def _combo(accessible_name: str) -> QComboBox:
    """A choice among the desk's entries, filled once its lists are read."""
    combo = QComboBox()
    combo.setAccessibleName(accessible_name)
    return combo


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
            form_of=self._form_for,
            blank=self._blank,
            make=self._made,
        )
        self.month: Month | None = None
        #: the desk's lists, as the last load read them
        self.lists = DeskLists((), ())
        #: a draft waiting for the lists: its choices are places in them
        self._waiting: dict[str, Any] | None = None
        self.heading = QLabel()
        style.tone(self.heading, Tone.STRONG)
        self.side.insertWidget(0, self.heading)
        self.summary = QLabel()
        self.above_table.addWidget(self.summary)
        self.kind = _combo(_("Kind of activity"))
        self.audience = _combo(_("Audience"))
        participants = QSpinBox()
        participants.setRange(0, MAX_PARTICIPANTS)
        self.add_field("held_on", _("Date"), date_edit(_("Date of the activity")))
        self.add_field("kind", _("Activity"), self.kind)
        self.add_field("title", _("Title"), _line(160))
        self.add_field("place", _("Place"), _line(160))
        self.add_field("audience", _("Audience"), self.audience)
        self.add_field("participants", _("Participants"), participants)
        self.kind.currentIndexChanged.connect(self._suggest_audience)
        self.record_shown.connect(self._shown_record)
        self.loaded.connect(self._show_summary)
        self.loaded.connect(self._restore_waiting)
        self.saved.connect(self._show_month_of)
        self.empty()

    def load_options(self, desk: OpenDesk) -> object:
        return activity_lists.desk_lists(desk)

    def show_options(self, options: object) -> None:
        assert isinstance(options, DeskLists)
        self.lists = options
        first = self.kind.count() == 0
        self._offer(self.chosen() if self.editing else None)
        if first and self.editing is None:
            # The lists came: the new activity's form takes the first kind and its audience.
            blank = self._blank()
            self.fields.set_values({"kind": blank.kind, "audience": blank.audience})
            self._suggest_audience()

    def _restore_waiting(self) -> None:
        """A draft restored before the lists were read, once they are and the records too."""
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self.restore(waiting)

    def _blank(self) -> ActivityForm:
        """The desk's first kind and its usual audience (nothing before the lists are read)."""
        kinds = self.lists.active(DeskList.KINDS)
        kind = kinds[0].id if kinds else ""
        audience = _usual_audience(kinds[0], self.lists) if kinds else None
        return ActivityForm(clock.today(), kind, "", "", audience or "", 0)

    def _form_for(self, row: ActivityRow) -> ActivityForm:
        # An activity of a retired kind or audience shows it: offered before the form is
        # filled, so that what the form shows is what the activity has.
        self._offer(row)
        return _form_of(row)

    def _offer(self, row: ActivityRow | None) -> None:
        kind, audience = (None, None) if row is None else (row.kind, row.audience)
        _offer(self.kind, self.lists.active(DeskList.KINDS), kind)
        _offer(self.audience, self.lists.active(DeskList.AUDIENCES), audience)

    def _shown_record(self, row: object) -> None:
        if row is None:  # a new activity: retired entries are not offered any more
            self._offer(None)
        self._show_heading()

    def _made(self, fields: FieldSet) -> ActivityForm:
        form = fields.record(ActivityForm)
        # Left without a title, an activity is called by its kind (the placeholder shown).
        return replace(form, title=form.title or self.lists.kind(form.kind).label)

    def records_to_load(self) -> Callable[[OpenDesk], list[ActivityRow]]:
        month = self.month
        return lambda desk: _activities_of(desk, month)

    def set_month(self, month: Month | None) -> None:
        """Show the activities of `month`, read now if in view (else once shown)."""
        self.month = month
        if self.isVisible():
            self.reload()

    def clear(self) -> None:
        self._waiting = None
        super().clear()
        self.lists = DeskLists((), ())
        self.kind.clear()
        self.audience.clear()
        self._show_heading()

    def restore(self, draft: dict[str, Any]) -> None:
        if self.kind.count() == 0:
            self._waiting = draft
            return
        # The record typed over may not be listed yet: the heading says so all the same.
        super().restore(draft)
        self._show_heading()

    def _show_heading(self) -> None:
        self.heading.setText(_("Change the activity") if self.editing else _("New activity"))

    def _suggest_audience(self) -> None:
        chosen = self.kind.currentData()
        title = self.fields.widgets["title"]
        assert isinstance(title, QLineEdit)
        if not chosen:
            title.setPlaceholderText("")
            return
        kind = self.lists.kind(chosen)
        title.setPlaceholderText(kind.label)
        usual = _usual_audience(kind, self.lists)
        if self.editing is None and usual is not None:
            self.audience.setCurrentIndex(max(0, self.audience.findData(usual)))

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
