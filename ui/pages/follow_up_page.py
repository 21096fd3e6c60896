"""Follow-up: the call-backs due now (only people who may be called, only in
their safe times, through their safe channel), and the appointments of the day or week.

Both lists name people and cases: they are read each time the page is shown (each read is
audited) and emptied at every lock, the quick exit included."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.domain import recontact as recontact_rules
from app.domain.appointments import AppointmentRow, week_of
from app.domain.recontact import AttemptDecision, Worklist, WorklistRow
from app.i18n import _, format_date, format_time, ngettext
from app.services import appointments, recontact
from app.services.intake import CASE_ROLES
from ui import prompts, style, tasks
from ui.dialogs.attempt_dialog import AttemptDialog, safe_times_label
from ui.dialogs.police_referral_dialog import PoliceReferralDialog
from ui.pages.base import Page
from ui.style import Tone
from ui.widgets.dates import date_edit, qdate
from ui.widgets.tables import cell, chosen_id, fit_columns, read_only_table, set_row

DAY, WEEK = "day", "week"


class FollowUpPage(Page):
    open_case = Signal(str)

    def __init__(self) -> None:
        super().__init__("follow_up", _("Follow-up"), CASE_ROLES)
        self.worklist = Worklist((), 0, recontact_rules.DEFAULT_MAX_ATTEMPTS)
        self.agenda: list[AppointmentRow] = []
        #: an attempt's draft, waiting for the worklist to show its call-back
        self._waiting_attempt: dict[str, Any] | None = None
        #: what "now" is for the safe windows (a test sets another moment)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._callbacks_tab(), _("Call-backs"))
        self.tabs.addTab(self._agenda_tab(), _("Appointments"))
        self.tabs.currentChanged.connect(lambda _index: self.shown())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        refresh = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh.activated.connect(self.shown)

    # -- layout -------------------------------------------------------------------------

    def _callbacks_tab(self) -> QWidget:
        self.callback_table = read_only_table(
            [
                _("Due"),
                _("Case"),
                _("Name"),
                _("Phone or e-mail"),
                _("Channel"),
                _("Safe times"),
                _("Attempts"),
                _("Voicemail"),
                _("Code word"),
                _("From"),
            ],
            _("Call-backs due now"),
        )
        self.callback_table.itemActivated.connect(lambda _item: self.log_attempt())
        self.callback_summary = QLabel()
        self.callback_summary.setWordWrap(True)
        self.attempt_button = QPushButton(_("Log an attempt… (Enter)"))
        self.attempt_button.clicked.connect(self.log_attempt)
        self.open_callback_case = QPushButton(_("Open the case"))
        self.open_callback_case.clicked.connect(self._open_callback_case)
        self.referral_button = QPushButton(_("Police referral…"))
        self.referral_button.clicked.connect(self.police_referral)
        self.refresh_button = QPushButton(_("Refresh (F5)"))
        self.refresh_button.clicked.connect(self.shown)
        buttons = QHBoxLayout()
        for button in (self.attempt_button, self.open_callback_case, self.referral_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        note = QLabel(
            _(
                "Only people who agreed to be called back are listed, in their safe times, "
                "through their safe channel. Never call anyone not on this list."
            )
        )
        note.setWordWrap(True)
        style.tone(note, Tone.NOTE)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(note)
        layout.addWidget(self.callback_table, 1)
        layout.addWidget(self.callback_summary)
        layout.addLayout(buttons)
        return tab

    def _agenda_tab(self) -> QWidget:
        self.view = QComboBox()
        self.view.setAccessibleName(_("Show"))
        self.view.addItem(_("Day"), DAY)
        self.view.addItem(_("Week"), WEEK)
        self.view.currentIndexChanged.connect(self.load_agenda)
        self.day = date_edit(_("Day shown"))
        self.day.dateChanged.connect(self.load_agenda)
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
        self.agenda_heading = QLabel()
        style.tone(self.agenda_heading, Tone.SUBHEADING)
        self.agenda_table = read_only_table(
            [_("Day"), _("Time"), _("Case"), _("Appointment"), _("Duration"), _("Place")],
            _("Appointments"),
        )
        self.agenda_table.itemActivated.connect(lambda _item: self._open_agenda_case())
        self.open_agenda_case = QPushButton(_("Open the case"))
        self.open_agenda_case.clicked.connect(self._open_agenda_case)
        self.cancel_button = QPushButton(_("Cancel the appointment…"))
        self.cancel_button.clicked.connect(self.cancel_appointment)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_agenda_case)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        note = QLabel(_("Plan an appointment from its case (Case page → Plan an appointment…)."))
        style.tone(note, Tone.NOTE)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addWidget(self.agenda_heading)
        layout.addWidget(self.agenda_table, 1)
        layout.addLayout(buttons)
        layout.addWidget(note)
        return tab

    # -- the page's life ------------------------------------------------------------------

    def shown(self) -> None:
        if not self.isVisible() or self.desk is None:
            return
        if self.tabs.currentIndex() == 0:
            self.load_worklist()
        else:
            self.load_agenda()

    def reopen_dialog(self, draft: dict[str, Any]) -> None:
        if draft.get("kind") == AttemptDialog.draft_kind:
            # The call-back it was for must be in the worklist first.
            self._waiting_attempt = draft
            self.load_worklist()
        else:
            self.reopen(draft, {PoliceReferralDialog.draft_kind: self.police_referral})

    def _reopen_waiting_attempt(self) -> None:
        draft, self._waiting_attempt = self._waiting_attempt, None
        context = draft.get("context") if draft else None
        if draft is None or not isinstance(context, dict):
            return
        ids = [row.item_id for row in self.worklist.rows]
        if context.get("item_id") not in ids:
            prompts.show_info(
                self,
                _(
                    "The call-back attempt you were writing down is not in today's worklist "
                    "any more (done by a colleague, or outside its safe times): it was not "
                    "opened again."
                ),
            )
            return
        self.callback_table.selectRow(ids.index(context["item_id"]))
        self.reopen(draft, {AttemptDialog.draft_kind: self.log_attempt})

    def clear(self) -> None:
        super().clear()
        self._waiting_attempt = None
        self.worklist = Worklist((), 0, recontact_rules.DEFAULT_MAX_ATTEMPTS)
        self.agenda = []
        for table in (self.callback_table, self.agenda_table):
            table.setRowCount(0)
        self.callback_summary.clear()
        self.agenda_heading.clear()
        self.day.setDate(qdate(clock.today()))

    # -- call-backs ---------------------------------------------------------------------

    def load_worklist(self) -> None:
        desk = self.desk
        if desk is None:
            return
        moment = clock.local_now()
        tasks.run(self, lambda: recontact.worklist(desk, moment), self._show_worklist)

    def _show_worklist(self, worklist: Worklist) -> None:
        if self.desk is None:
            return  # locked meanwhile: show nothing
        self.worklist = worklist
        table = self.callback_table
        table.setRowCount(len(worklist.rows))
        for number, row in enumerate(worklist.rows):
            source = row.source.label + (f" · {row.police_zone}" if row.police_zone else "")
            set_row(
                table,
                number,
                [
                    cell(format_date(row.due_on, "short"), row.item_id),
                    cell(row.case_code),
                    cell(row.pseudonym),
                    cell(row.phone or row.email),
                    cell(row.channel.label),
                    cell(safe_times_label(row.safe_times, row.safe_hours)),
                    cell(str(row.attempts), number=True),
                    cell(_("yes") if row.voicemail_ok else _("no")),
                    cell(row.code_word),
                    cell(source),
                ],
            )
        # The channel and several safe times make long texts: elided, whole in the dialog.
        fit_columns(table, 170)
        if worklist.rows:
            table.selectRow(0)
        self._reopen_waiting_attempt()
        text = ngettext(
            "{count} call-back can be made now.",
            "{count} call-backs can be made now.",
            len(worklist.rows),
        ).format(count=len(worklist.rows))
        if worklist.waiting_for_window:
            text += " " + ngettext(
                "{count} more is due but outside the person's safe times: not shown.",
                "{count} more are due but outside the persons' safe times: not shown.",
                worklist.waiting_for_window,
            ).format(count=worklist.waiting_for_window)
        self.callback_summary.setText(text)
        has_rows = bool(worklist.rows)
        self.attempt_button.setEnabled(has_rows)
        self.open_callback_case.setEnabled(has_rows)

    def _chosen_row(self) -> WorklistRow | None:
        chosen = chosen_id(self.callback_table)
        return next((r for r in self.worklist.rows if r.item_id == chosen), None)

    def log_attempt(self) -> None:
        desk, row = self.desk, self._chosen_row()
        if desk is None or row is None:
            return
        dialog = AttemptDialog(
            row,
            self.worklist.max_attempts,
            lambda form: recontact.log_attempt(desk, row.item_id, form),
            self,
        )
        dialog.accepted.connect(lambda: self._attempt_logged(dialog.saved))
        self.open_dialog(dialog)

    def _attempt_logged(self, decision: AttemptDecision | None) -> None:
        if decision is not None and decision.closes is not None:
            prompts.show_info(
                self, _("The call-back is closed: {reason}.").format(reason=decision.closes.label)
            )
        self.load_worklist()

    def police_referral(self) -> None:
        desk = self.desk
        if desk is None:
            return
        dialog = PoliceReferralDialog(
            lambda form, form_id: recontact.record_police_referral(desk, form, form_id), self
        )
        dialog.accepted.connect(lambda: self._referral_saved(dialog))
        self.open_dialog(dialog)

    def _referral_saved(self, dialog: PoliceReferralDialog) -> None:
        if dialog.saved is not None:
            prompts.show_info(
                self, _("Police referral saved as {code}.").format(code=dialog.saved.case_code)
            )
        self.load_worklist()

    def _open_callback_case(self) -> None:
        row = self._chosen_row()
        if row is not None:
            self.open_case.emit(row.case_id)

    # -- appointments -------------------------------------------------------------------

    def _range(self) -> tuple[date, date]:
        day = self.day.day()
        if self.view.currentData() == WEEK:
            return week_of(day)
        return day, day + timedelta(days=1)

    def _step(self, direction: int) -> None:
        days = 7 if self.view.currentData() == WEEK else 1
        self.day.setDate(self.day.date().addDays(direction * days))

    def load_agenda(self) -> None:
        desk = self.desk
        if desk is None or not self.isVisible() or self.tabs.currentIndex() != 1:
            return
        first, end = self._range()
        tasks.run(self, lambda: appointments.between(desk, first, end), self._show_agenda)

    def _show_agenda(self, rows: list[AppointmentRow]) -> None:
        if self.desk is None:
            return
        self.agenda = rows
        first, end = self._range()
        if end - first == timedelta(days=1):
            heading = format_date(first, "full")
        else:
            heading = _("Week of {first} to {last}").format(
                first=format_date(first, "long"), last=format_date(end - timedelta(days=1), "long")
            )
        self.agenda_heading.setText(
            heading
            + " · "
            + ngettext("{count} appointment", "{count} appointments", len(rows)).format(
                count=len(rows)
            )
        )
        table = self.agenda_table
        table.setRowCount(len(rows))
        for number, row in enumerate(rows):
            set_row(
                table,
                number,
                [
                    cell(format_date(row.starts_at, "EEE d MMM"), number),
                    cell(format_time(row.starts_at)),
                    cell(row.case_code),
                    cell(row.kind.label),
                    cell(_("{minutes} min").format(minutes=row.minutes) if row.minutes else ""),
                    cell(row.place),
                ],
            )

    def _chosen_appointment(self) -> AppointmentRow | None:
        chosen = chosen_id(self.agenda_table)
        if chosen is None:
            return None
        index = int(chosen)
        return self.agenda[index] if 0 <= index < len(self.agenda) else None

    def _open_agenda_case(self) -> None:
        row = self._chosen_appointment()
        if row is not None:
            self.open_case.emit(row.case_id)

    def cancel_appointment(self) -> None:
        desk, row = self.desk, self._chosen_appointment()
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
                lambda _r: self.load_agenda(),
            )
