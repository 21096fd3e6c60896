"""A listening session, as a counsellor records it (or reads it back, notes included)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
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
        form = QFormLayout()
        self.held_at = datetime_edit(clock.now())
        self.duration = QSpinBox()
        self.duration.setRange(1, MAX_DURATION_MINUTES)
        self.duration.setSuffix(" min")
        self.mode = CodeCombo(SessionMode, _("Mode"))
        self.session_type = CodeCombo(SessionType, _("Type of session"))
        self.topics = CodeChecks(Topic, _("Topics"))
        self.risk_tool = CodeCombo(RiskTool, _("Risk screening tool"))
        self.risk_level = CodeCombo(RiskLevel, _("Risk level"), empty_label="—")
        self.safety_plan = QCheckBox(_("A safety plan was discussed"))
        self.brochure = CodeCombo(
            ContactLanguage, _("Brochure given"), empty_label=_("No brochure")
        )
        self.has_next = QCheckBox(_("Next appointment"))
        self.next_appointment = datetime_edit(clock.now() + timedelta(days=7))
        self.next_appointment.setEnabled(False)
        self.has_next.toggled.connect(self.next_appointment.setEnabled)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(_("Private notes: counsellors only"))
        self.notes.setTabChangesFocus(True)
        rows: list[tuple[str, str, QWidget]] = [
            ("held_at", _("Date and time"), self.held_at),
            ("duration", _("Duration"), self.duration),
            ("mode", _("Mode"), self.mode),
            ("session_type", _("Type"), self.session_type),
            ("topics", _("Topics"), self.topics),
            ("risk_tool", _("Risk screening"), self.risk_tool),
            ("risk_level", _("Result"), self.risk_level),
            ("safety_plan", "", self.safety_plan),
            ("brochure", _("Brochure given"), self.brochure),
            ("has_next", "", self.has_next),
            ("next_appointment", _("Next appointment"), self.next_appointment),
            ("notes", _("Notes"), self.notes),
        ]
        with_errors = {
            "held_at",
            "duration",
            "risk_tool",
            "risk_level",
            "next_appointment",
            "notes",
        }
        for key, label, widget in rows:
            self.fields.add_row(form, key, label, widget, error=key in with_errors)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.show_session(shown or SessionForm(held_at=clock.local_now()))
        if save is None:
            for widget in self.fields.widgets.values():
                widget.setEnabled(False)
            self.notes.setEnabled(True)
            self.notes.setReadOnly(True)

    def session(self) -> SessionForm:
        held = moment_of(self.held_at)
        following = moment_of(self.next_appointment) if self.has_next.isChecked() else None
        return SessionForm(
            held_at=held,
            duration_minutes=self.duration.value(),
            mode=self.mode.value() or SessionMode.IN_PERSON,
            session_type=self.session_type.value() or SessionType.LISTENING,
            topics=self.topics.value(),
            risk_tool=self.risk_tool.value() or RiskTool.NONE,
            risk_level=self.risk_level.value(),
            safety_plan=self.safety_plan.isChecked(),
            brochure_language=self.brochure.value(),
            next_appointment=following,
            notes=self.notes.toPlainText(),
        )

    def show_session(self, form: SessionForm) -> None:
        self.held_at.setDateTime(qdatetime(form.held_at))
        self.duration.setValue(form.duration_minutes)
        self.mode.set_value(form.mode)
        self.session_type.set_value(form.session_type)
        self.topics.set_value(form.topics)
        self.risk_tool.set_value(form.risk_tool)
        self.risk_level.set_value(form.risk_level)
        self.safety_plan.setChecked(form.safety_plan)
        self.brochure.set_value(form.brochure_language)
        self.has_next.setChecked(form.next_appointment is not None)
        if form.next_appointment is not None:
            self.next_appointment.setDateTime(qdatetime(form.next_appointment))
        self.notes.setPlainText(form.notes)

    def notes_inputs(self) -> tuple[QPlainTextEdit, ...]:
        return (self.notes,)

    def saving(self) -> Callable[[], object]:
        save, session_id, form = self._save, self.form_id, self.session()
        assert save is not None  # a session only read back is never saved
        return lambda: save(session_id, form)
