"""The call-backs due now: only people who may be called, only in their safe times, through
their safe channel. An attempt is written down, or a police referral typed in, in a dialog
kept with the page's drafts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import clock
from app.domain import recontact as recontact_rules
from app.domain.recontact import AttemptDecision, Worklist, WorklistRow
from app.i18n import _, format_date, ngettext
from app.services import recontact
from app.services.open_desk import OpenDesk
from ui import prompts, style, tasks
from ui.dialogs.attempt_dialog import AttemptDialog, safe_times_label
from ui.dialogs.police_referral_dialog import PoliceReferralDialog
from ui.dialogs.saving_dialog import SavingDialog
from ui.models.record_model import Column
from ui.style import Tone
from ui.widgets.record_table import RecordTable


def _source(row: WorklistRow) -> str:
    return row.source.label + (f" · {row.police_zone}" if row.police_zone else "")


def _columns() -> list[Column[WorklistRow]]:
    return [
        Column(
            _("Due"), lambda r: format_date(r.due_on, "short"), sort=lambda r: r.due_on.toordinal()
        ),
        Column(_("Case"), lambda r: r.case_code),
        Column(_("Name"), lambda r: r.pseudonym),
        Column(_("Phone or e-mail"), lambda r: r.phone or r.email),
        Column(_("Channel"), lambda r: r.channel.label),
        Column(_("Safe times"), lambda r: safe_times_label(r.safe_times, r.safe_hours)),
        Column(_("Attempts"), lambda r: str(r.attempts), sort=lambda r: r.attempts, number=True),
        Column(_("Voicemail"), lambda r: _("yes") if r.voicemail_ok else _("no")),
        Column(_("Code word"), lambda r: r.code_word),
        Column(_("From"), _source),
    ]


class CallbacksTab(QWidget):
    open_case = Signal(str)
    #: the worklist was read again and shown
    loaded = Signal()

    def __init__(self, open_dialog: Callable[[SavingDialog[Any]], None]) -> None:
        super().__init__()
        self._open_dialog = open_dialog
        self.desk: OpenDesk | None = None
        self.worklist = Worklist((), 0, recontact_rules.DEFAULT_MAX_ATTEMPTS)
        self.table: RecordTable[WorklistRow] = RecordTable(
            _columns(), lambda r: r.item_id, _("Call-backs due now")
        )
        # The channel and several safe times make long texts: elided (whole in the tooltip
        # and the dialog) so that more columns are in view.
        self.table.horizontalHeader().setMaximumSectionSize(170)
        self.table.activated.connect(lambda _index: self.log_attempt())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.attempt_button = QPushButton(_("Log an attempt… (Enter)"))
        self.attempt_button.clicked.connect(self.log_attempt)
        self.open_case_button = QPushButton(_("Open the case"))
        self.open_case_button.clicked.connect(self._open_case)
        referral_button = QPushButton(_("Police referral…"))
        referral_button.clicked.connect(self.police_referral)
        self.refresh_button = QPushButton(_("Refresh (F5)"))
        self.refresh_button.clicked.connect(self.load)
        buttons = QHBoxLayout()
        for button in (self.attempt_button, self.open_case_button, referral_button):
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
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)

    def load(self) -> None:
        desk = self.desk
        if desk is None:
            return
        moment = clock.local_now()
        tasks.run(self, lambda: recontact.worklist(desk, moment), self._show)

    def clear(self) -> None:
        self.desk = None
        self.worklist = Worklist((), 0, recontact_rules.DEFAULT_MAX_ATTEMPTS)
        self.table.records.set_rows([])
        self.summary.clear()

    def _show(self, worklist: Worklist) -> None:
        if self.desk is None:
            return  # locked meanwhile: show nothing
        self.worklist = worklist
        self.table.records.set_rows(list(worklist.rows))
        if worklist.rows:
            self.table.select(worklist.rows[0].item_id)
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
        self.summary.setText(text)
        has_rows = bool(worklist.rows)
        self.attempt_button.setEnabled(has_rows)
        self.open_case_button.setEnabled(has_rows)
        self.loaded.emit()

    def log_attempt(self) -> None:
        desk, row = self.desk, self.table.chosen()
        if desk is None or row is None:
            return
        dialog = AttemptDialog(
            row,
            self.worklist.max_attempts,
            lambda form: recontact.log_attempt(desk, row.item_id, form),
            self,
        )
        dialog.accepted.connect(lambda: self._attempt_logged(dialog.saved))
        self._open_dialog(dialog)

    def _attempt_logged(self, decision: AttemptDecision | None) -> None:
        if decision is not None and decision.closes is not None:
            prompts.show_info(
                self, _("The call-back is closed: {reason}.").format(reason=decision.closes.label)
            )
        self.load()

    def police_referral(self) -> None:
        desk = self.desk
        if desk is None:
            return
        dialog = PoliceReferralDialog(
            lambda form, form_id: recontact.record_police_referral(desk, form, form_id), self
        )
        dialog.accepted.connect(lambda: self._referral_saved(dialog))
        self._open_dialog(dialog)

    def _referral_saved(self, dialog: PoliceReferralDialog) -> None:
        if dialog.saved is not None:
            prompts.show_info(
                self, _("Police referral saved as {code}.").format(code=dialog.saved.case_code)
            )
        self.load()

    def _open_case(self) -> None:
        row = self.table.chosen()
        if row is not None:
            self.open_case.emit(row.case_id)
