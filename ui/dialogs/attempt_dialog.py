"""Log one attempt to reach a person of the recontact worklist: when, what came of it,
and what happens next. Outside the person's safe times the dialog says so and asks why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app import clock
from app.domain import recontact
from app.domain.codes import AttemptOutcome, NextStep, SafeTime
from app.domain.recontact import AttemptDecision, AttemptForm, WorklistRow
from app.domain.safe_hours import HourRange
from app.i18n import _
from ui import style
from ui.dialogs.saving_dialog import SavingDialog
from ui.style import Tone
from ui.widgets.coded import CodeCombo
from ui.widgets.dates import date_edit, datetime_edit, day_of, moment_of


def safe_times_label(windows: frozenset[SafeTime], hours: tuple[HourRange, ...] = ()) -> str:
    return recontact.describe_safe_times(windows, hours) or _("none given")


class AttemptDialog(SavingDialog[AttemptDecision]):
    draft_kind = "attempt"

    def __init__(
        self,
        row: WorklistRow,
        max_attempts: int,
        save: Callable[[AttemptForm], AttemptDecision],
        parent: QWidget | None,
    ) -> None:
        super().__init__(_("Call-back attempt · {code}").format(code=row.case_code), parent)
        self.row = row
        self._save = save
        who = QLabel(
            _(
                "<b>{name}</b> · {channel}: {reach}<br>Safe times: {times} · Voicemail: "
                "{voicemail}<br>Failed attempts so far: {failed} of {most}"
            ).format(
                name=row.pseudonym or _("(no name)"),
                channel=row.channel.label,
                reach=row.phone or row.email or "—",
                times=safe_times_label(row.safe_times, row.safe_hours),
                voicemail=_("allowed") if row.voicemail_ok else _("no message"),
                failed=row.failed_attempts,
                most=max_attempts,
            )
        )
        who.setWordWrap(True)
        self.warning = QLabel()
        style.tone(self.warning, Tone.ALERT)
        self.warning.setWordWrap(True)
        self.attempted_at = datetime_edit(clock.now())
        self.attempted_at.dateTimeChanged.connect(self._check_window)
        self.outcome = CodeCombo(AttemptOutcome, _("Outcome"))
        self.next_step = CodeCombo(NextStep, _("Next step"))
        self.next_step.currentIndexChanged.connect(self._next_step_changed)
        self.next_due = date_edit(_("Try again on"), clock.today() + timedelta(days=1))
        self.reason = QLineEdit()
        self.reason.setMaxLength(400)
        self.reason.setPlaceholderText(_("only when calling outside the safe times"))
        form = QFormLayout(self)
        form.addRow(who)
        form.addRow(self.warning)
        for key, label, widget in (
            ("attempted_at", _("Date and time"), self.attempted_at),
            ("outcome", _("Outcome"), self.outcome),
            ("next_step", _("Next step"), self.next_step),
            ("next_due", _("Try again on"), self.next_due),
            ("outside_window_reason", _("Reason for calling now"), self.reason),
        ):
            self.fields.add_row(form, key, label, widget, error=True)
        form.addRow(QLabel(_("The attempt is written to the audit log.")))
        form.addRow(self.buttons)
        self.outcome.setFocus()
        self._check_window()
        self._next_step_changed()

    def draft_context(self) -> dict[str, Any]:
        return {"item_id": self.row.item_id}

    def _check_window(self) -> None:
        outside = not recontact.window_open(
            self.row.safe_times, self.attempted_at.moment(), self.row.safe_hours
        )
        self.warning.setText(
            _(
                "Outside the safe times the person gave ({times}). Calling now may put them "
                "in danger: wait, or give the reason below."
            ).format(times=safe_times_label(self.row.safe_times, self.row.safe_hours))
        )
        self.warning.setVisible(outside)

    def _next_step_changed(self) -> None:
        self.next_due.setEnabled(self.next_step.value() is NextStep.TRY_AGAIN)

    def form(self) -> AttemptForm:
        step = self.next_step.value() or NextStep.TRY_AGAIN
        return AttemptForm(
            attempted_at=moment_of(self.attempted_at),
            outcome=self.outcome.value() or AttemptOutcome.NO_ANSWER,
            next_step=step,
            next_due=day_of(self.next_due) if step is NextStep.TRY_AGAIN else None,
            outside_window_reason=self.reason.text(),
        )

    def saving(self) -> Callable[[], AttemptDecision]:
        form, save = self.form(), self._save
        return lambda: save(form)
