"""A listening session, as a counsellor records it (or reads it back, notes included)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.domain.codes import ContactLanguage, RiskLevel, RiskTool, SessionMode, SessionType, Topic
from app.domain.sessions import MAX_DURATION_MINUTES, SessionForm
from app.i18n import _
from ui.dialogs.saving_dialog import SavingDialog
from ui.widgets.coded import CodeChecks, CodeCombo
from ui.widgets.dates import datetime_edit, moment_of, qdatetime


class NextAppointment(QWidget):
    """The next appointment, if one was made: a box to say so and its date and time."""

    def __init__(self) -> None:
        super().__init__()
        self.planned = QCheckBox(_("Next appointment"))
        self.moment = datetime_edit(clock.now() + timedelta(days=7))
        self.moment.setAccessibleName(_("Date of the next appointment"))
        self.moment.setEnabled(False)
        self.planned.toggled.connect(self.moment.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.planned)
        row.addWidget(self.moment, 1)
        # A refusal of the date puts the cursor in it.
        self.setFocusProxy(self.moment)

    def value(self) -> datetime | None:
        return moment_of(self.moment) if self.planned.isChecked() else None

    def set_value(self, moment: datetime | None) -> None:
        self.planned.setChecked(moment is not None)
        if moment is not None:
            self.moment.setDateTime(qdatetime(moment))


class SessionDialog(SavingDialog[object]):
    draft_kind = "session"

    def __init__(
        self,
        case_code: str,
        save: Callable[[str, SessionForm], object] | None,
        shown: SessionForm | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            _("Session · {code}").format(code=case_code), parent, editable=save is not None
        )
        self._save = save
        layout = QVBoxLayout(self)
        layout.addLayout(self._form())
        layout.addWidget(self.buttons)
        shown = shown or SessionForm(held_at=clock.local_now())
        self.fields.show(shown)
        # Its input is named as the refusals name it ("duration"), not as the record does.
        self.duration.setValue(shown.duration_minutes)
        if save is None:
            for widget in self.fields.widgets.values():
                widget.setEnabled(False)
            self.notes.setEnabled(True)
            self.notes.setReadOnly(True)

    def _form(self) -> QFormLayout:
        self.held_at = datetime_edit(clock.now())
        self.duration = QSpinBox()
        self.duration.setRange(1, MAX_DURATION_MINUTES)
        self.duration.setSuffix(" min")
        self.risk_level = CodeCombo(RiskLevel, _("Risk level"), empty_label="—")
        self.next_appointment = NextAppointment()
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(_("Private notes: counsellors only"))
        self.notes.setTabChangesFocus(True)
        rows: list[tuple[str, str, QWidget, bool]] = [
            ("held_at", _("Date and time"), self.held_at, True),
            ("duration", _("Duration"), self.duration, True),
            ("mode", _("Mode"), CodeCombo(SessionMode, _("Mode")), False),
            ("session_type", _("Type"), CodeCombo(SessionType, _("Type of session")), False),
            ("topics", _("Topics"), CodeChecks(Topic, _("Topics")), False),
            ("risk_tool", _("Risk screening"), CodeCombo(RiskTool, _("Risk screening tool")), True),
            ("risk_level", _("Result"), self.risk_level, True),
            ("safety_plan", "", QCheckBox(_("A safety plan was discussed")), False),
            (
                "brochure_language",
                _("Brochure given"),
                CodeCombo(ContactLanguage, _("Brochure given"), empty_label=_("No brochure")),
                False,
            ),
            ("next_appointment", "", self.next_appointment, True),
            ("notes", _("Notes"), self.notes, True),
        ]
        form = QFormLayout()
        for key, label, widget, error in rows:
            self.fields.add_row(form, key, label, widget, error=error)
        return form

    def session(self) -> SessionForm:
        """The session as typed: its duration's input is named as its refusals name it;
        its dates are read apart, as a date that cannot be read is said by its field and
        in a message, not a second time under it."""
        return self.fields.record(
            SessionForm,
            held_at=moment_of(self.held_at),
            duration_minutes=self.duration.value(),
            next_appointment=self.next_appointment.value(),
        )

    def notes_inputs(self) -> tuple[QPlainTextEdit, ...]:
        return (self.notes,)

    def saving(self) -> Callable[[], object]:
        save, session_id, form = self._save, self.form_id, self.session()
        assert save is not None  # a session only read back is never saved
        return lambda: save(session_id, form)
