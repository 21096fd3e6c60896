"""One case: who, what happened, and the timeline of contacts, sessions and referrals.
Edits are saved against the version that was opened: if someone changed the case since,
the edit is refused and shown, never written over theirs."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.cases import CaseDetail, CaseEdit, TimelineEntry, TimelineKind, sharing_consent
from app.domain.codes import (
    THIRD_PARTY_ROLES,
    CaseStatus,
    ConsentDecision,
    ConsentScope,
    ReferralStatus,
)
from app.domain.directory import DirectoryEntry
from app.domain.intake import ConsentForm, PersonForm, SituationForm
from app.domain.roles import Role
from app.errors import EditConflict, ValidationError
from app.i18n import N_, _, current_language, format_date, format_datetime
from app.services import appointments, cases, recontact, referrals, sessions
from app.services.intake import CASE_ROLES
from app.services.open_desk import OpenDesk
from ui import prompts, style, tasks
from ui.dialogs.appointment_dialog import AppointmentDialog
from ui.dialogs.callback_dialog import CallbackDialog
from ui.dialogs.referral_dialog import ReferralDialog
from ui.dialogs.session_dialog import SessionDialog
from ui.pages.base import Page
from ui.style import Tone
from ui.widgets.case_sections import (
    IdentitySection,
    PersonSection,
    SituationSection,
    person_form,
)
from ui.widgets.coded import CodeCombo
from ui.widgets.field_set import FieldSet

_KIND_LABELS = {
    TimelineKind.CONTACT: N_("Contact"),
    TimelineKind.SESSION: N_("Session"),
    TimelineKind.REFERRAL: N_("Referral"),
    TimelineKind.ATTEMPT: N_("Call-back attempt"),
    TimelineKind.HANDOUT: N_("Handed out"),
}


class CasePage(Page):
    #: the case shown changed: (id, code), or None when no case is open
    case_changed = Signal(object)
    #: printed material asked for, for the person of the case shown
    print_material = Signal()

    def __init__(self) -> None:
        super().__init__("case", _("Case"), CASE_ROLES)
        self.detail: CaseDetail | None = None
        #: a dialog's draft, waiting for its case to be shown
        self._waiting_dialog: dict[str, Any] | None = None
        #: the fields as the case filled them: a draft keeps only what was typed over them
        self._shown_values: dict[str, Any] = {}
        self.fields = FieldSet()
        self.heading = QLabel(_("Open a case from the case list."))
        style.tone(self.heading, Tone.HEADING)
        self.heading.setAccessibleName(_("Case"))
        # On two lines rather than cut where the badge and the status leave too little room.
        self.heading.setWordWrap(True)
        self.do_not_recontact = QLabel(_("DO NOT RECONTACT"))
        style.tone(self.do_not_recontact, Tone.ALERT)
        self.do_not_recontact.hide()
        self.status = CodeCombo(CaseStatus, _("Status"))
        self.fields.add("status", self.status)
        self.conflict = QLabel()
        style.tone(self.conflict, Tone.ERROR)
        self.conflict.setWordWrap(True)
        self.conflict.hide()
        self.reload_button = QPushButton(_("Reload the case"))
        self.reload_button.clicked.connect(self.reload)
        self.reload_button.hide()

        self.person = PersonSection(self.fields)
        self.identity = IdentitySection(self.fields)
        self.situation = SituationSection(self.fields, may_correct=True)
        self.consent_list = QListWidget()
        self.consent_list.setAccessibleName(_("Consents"))
        self.consent_list.setMaximumHeight(110)
        self.consent_scope = CodeCombo(ConsentScope, _("Consent"))
        self.consent_decision = CodeCombo(
            ConsentDecision,
            _("Decision"),
            members=(ConsentDecision.GIVEN, ConsentDecision.REFUSED),
        )
        self.record_consent_button = QPushButton(_("Record"))
        self.record_consent_button.clicked.connect(self.record_consent)
        self.withdraw_button = QPushButton(_("Withdraw the selected consent"))
        self.withdraw_button.clicked.connect(self.withdraw_consent)
        consent_box = QGroupBox(_("Consents"))
        consent_layout = QVBoxLayout(consent_box)
        consent_layout.addWidget(self.consent_list)
        consent_row = QHBoxLayout()
        consent_row.addWidget(self.consent_scope)
        consent_row.addWidget(self.consent_decision)
        consent_row.addWidget(self.record_consent_button)
        consent_layout.addLayout(consent_row)
        consent_layout.addWidget(self.withdraw_button)
        self.save_button = QPushButton(_("Save the changes (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)

        edit_body = QWidget()
        edit_column = QVBoxLayout(edit_body)
        for part in (self.person, self.identity, consent_box, self.situation):
            edit_column.addWidget(part)
        edit_column.addWidget(self.save_button)
        edit_scroll = FormScroll()
        edit_scroll.setWidgetResizable(True)
        edit_scroll.setWidget(edit_body)

        self.timeline = QListWidget()
        self.timeline.setAccessibleName(_("Timeline"))
        self.timeline.setWordWrap(True)
        self.timeline.itemActivated.connect(self._open_entry)
        self.add_session_button = QPushButton(_("Add a session…"))
        self.add_session_button.clicked.connect(self.add_session)
        self.read_button = QPushButton(_("Open the selected session"))
        self.read_button.clicked.connect(self._open_selected)
        self.add_referral_button = QPushButton(_("Add a referral…"))
        self.add_referral_button.clicked.connect(self.add_referral)
        self.print_button = QPushButton(_("Printed material…"))
        self.print_button.setToolTip(
            _("Brochure, wallet card or referral slip in this person's language and municipality")
        )
        self.print_button.clicked.connect(self.print_material)
        self.referral_status = CodeCombo(ReferralStatus, _("Status of the selected referral"))
        self.referral_status_button = QPushButton(_("Change"))
        self.referral_status_button.setAccessibleName(_("Change the status of the referral"))
        self.referral_status_button.clicked.connect(self.change_referral_status)
        self.appointment_button = QPushButton(_("Plan an appointment…"))
        self.appointment_button.clicked.connect(self.plan_appointment)
        self.callback_button = QPushButton(_("Plan a call-back…"))
        self.callback_button.clicked.connect(self.plan_callback)
        self.timeline.currentItemChanged.connect(self._selection_changed)
        timeline_box = QGroupBox(_("Timeline"))
        timeline_layout = QVBoxLayout(timeline_box)
        timeline_layout.addWidget(self.timeline, 1)
        for button in (
            self.add_session_button,
            self.read_button,
            self.add_referral_button,
            self.print_button,
        ):
            timeline_layout.addWidget(button)
        # One under the other, as the buttons above: side by side, their French and German
        # names made the timeline too wide for the form beside it at 1024 pixels.
        timeline_layout.addWidget(self.appointment_button)
        timeline_layout.addWidget(self.callback_button)
        status_row = QHBoxLayout()
        status_row.addWidget(self.referral_status, 1)
        status_row.addWidget(self.referral_status_button)
        # Wrapped, and the list as narrow as a short status: the timeline leaves the form
        # beside it the width its fields need.
        status_label = QLabel(_("Status of the selected referral"))
        status_label.setWordWrap(True)
        self.referral_status.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.referral_status.setMinimumContentsLength(10)
        timeline_layout.addWidget(status_label)
        timeline_layout.addLayout(status_row)

        splitter = QSplitter()
        splitter.addWidget(edit_scroll)
        splitter.addWidget(timeline_box)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([620, 320])
        splitter.setStretchFactor(0, 1)  # a wider window widens the form, not the timeline
        header = QHBoxLayout()
        header.addWidget(self.heading, 1)
        header.addWidget(self.do_not_recontact, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addStretch()
        header.addWidget(QLabel(_("Status")))
        header.addWidget(self.status)
        conflict_row = QHBoxLayout()
        conflict_row.addWidget(self.conflict, 1)
        conflict_row.addWidget(self.reload_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(conflict_row)
        layout.addWidget(splitter, 1)
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        self._show(None)

    # -- loading ---------------------------------------------------------------------

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        counsellor = desk.user.has(Role.COUNSELLOR)
        self.add_session_button.setVisible(counsellor)
        self.read_button.setVisible(counsellor)
        self.situation.correction.setEnabled(counsellor)

    def show_case(self, case_id: str, then: dict[str, Any] | None = None) -> None:
        desk = self.desk
        if desk is None:
            return
        tasks.run(self, lambda: cases.case_detail(desk, case_id), lambda d: self._loaded(d, then))

    def reload(self) -> None:
        if self.detail is not None:
            self.show_case(self.detail.id)

    def _loaded(self, detail: CaseDetail, then: dict[str, Any] | None) -> None:
        if self.desk is None:
            return
        self._show(detail)
        self._shown_values = self.fields.values()
        if then:
            # A draft made before a lock: put the typed values back over the case, and keep
            # the version it was typed against, so that a change made since is detected.
            self.fields.set_values(then.get("values", {}))
            self.detail = replace(detail, version=int(then.get("version", detail.version)))
        self._reopen_waiting_dialog()

    def _show(self, detail: CaseDetail | None) -> None:
        kept = (
            self.selected_entry()
            if detail and self.detail and detail.id == self.detail.id
            else None
        )
        self.detail = detail
        self.case_changed.emit((detail.id, detail.code) if detail else None)
        self.conflict.hide()
        self.reload_button.hide()
        self.fields.clear_errors()
        enabled = detail is not None
        for widget in (
            self.status,
            self.situation,
            self.save_button,
            self.add_session_button,
            self.add_referral_button,
            self.print_button,
            self.timeline,
        ):
            widget.setEnabled(enabled)
        has_person = detail is not None and detail.person is not None
        for part in (self.person, self.identity, self.consent_list, self.record_consent_button):
            part.setEnabled(has_person)
        self.withdraw_button.setEnabled(has_person)
        self.timeline.clear()
        self.consent_list.clear()
        if detail is None:
            self.heading.setText(_("Open a case from the case list."))
            self.do_not_recontact.hide()
            return
        self.heading.setText(
            _("{code} · opened {date}").format(code=detail.code, date=format_date(detail.opened_at))
        )
        self.do_not_recontact.setVisible(detail.do_not_recontact)
        self.status.set_value(detail.status)
        # Every section is filled, empty when the case has none: nothing of the case shown
        # before may stay on screen (an anonymous case would show the last one's name).
        self.person.show_person(detail.person or PersonForm())
        self.person.about_the_caller(detail.first_role in THIRD_PARTY_ROLES)
        self.identity.show_identity(detail.person or PersonForm(), detail.identity)
        self.situation.show_situation(detail.situation or SituationForm())
        for consent in detail.consents:
            text = _("{scope}: {decision} on {date}").format(
                scope=consent.scope.label,
                decision=consent.decision.label,
                date=format_date(consent.given_on),
            )
            if consent.withdrawn_on is not None:
                text += " · " + _("withdrawn on {date}").format(
                    date=format_date(consent.withdrawn_on)
                )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, consent.id)
            self.consent_list.addItem(item)
        for entry in detail.timeline:
            self.timeline.addItem(self._timeline_item(entry))
            if kept is not None and entry.id == kept.id:  # the same entry stays selected
                self.timeline.setCurrentRow(self.timeline.count() - 1)
        self._selection_changed()

    def _timeline_item(self, entry: TimelineEntry) -> QListWidgetItem:
        when = format_datetime(entry.at, "short") if entry.timed else format_date(entry.at, "short")
        text = f"{when} · {_(_KIND_LABELS[entry.kind])} · {entry.summary}"
        if entry.who:
            text += f" · {entry.who}"
        if entry.has_notes:
            text += " · " + _("notes")
        if entry.note:
            text += "\n" + _("Note: {note}").format(note=entry.note)
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, (entry.kind.value, entry.id))
        return item

    def selected_entry(self) -> TimelineEntry | None:
        item = self.timeline.currentItem()
        if self.detail is None or item is None:
            return None
        _kind, entry_id = item.data(Qt.ItemDataRole.UserRole)
        return next((e for e in self.detail.timeline if e.id == entry_id), None)

    def _selection_changed(self) -> None:
        entry = self.selected_entry()
        referral = entry is not None and entry.kind is TimelineKind.REFERRAL
        self.read_button.setEnabled(entry is not None and entry.kind is TimelineKind.SESSION)
        self.referral_status.setEnabled(referral)
        self.referral_status_button.setEnabled(referral)
        if entry is not None and entry.referral_status is not None:
            self.referral_status.set_value(entry.referral_status)

    # -- editing ---------------------------------------------------------------------

    def edit(self) -> CaseEdit:
        assert self.detail is not None
        has_person = self.detail.person is not None
        return CaseEdit(
            status=self.status.value() or CaseStatus.OPEN,
            person=(
                person_form(self.person, self.identity, self.detail.first_role in THIRD_PARTY_ROLES)
                if has_person
                else None
            ),
            identity=self.identity.identity() if has_person else None,
            situation=self.situation.situation(),
        )

    def save(self) -> None:
        desk, detail = self.desk, self.detail
        if desk is None or detail is None:
            return
        self.fields.clear_errors()
        try:
            edit = self.edit()
        except ValidationError as error:
            self.fields.report(self, error)
            return
        self.save_button.setEnabled(False)
        tasks.run(
            self,
            lambda: cases.update_case(desk, detail.id, detail.version, edit),
            self._saved,
            self._save_failed,
        )

    def _saved(self, detail: CaseDetail) -> None:
        self._show(detail)
        self._shown_values = self.fields.values()
        prompts.show_info(self, _("The case was saved."))

    def _save_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, EditConflict):
            self.conflict.setText(str(error))
            self.conflict.show()
            self.reload_button.show()
        else:
            self.fields.report(self, error)

    def record_consent(self) -> None:
        desk, detail = self.desk, self.detail
        scope, decision = self.consent_scope.value(), self.consent_decision.value()
        if desk is None or detail is None or scope is None or decision is None:
            return
        tasks.run(
            self,
            lambda: cases.record_consent(desk, detail.id, ConsentForm(scope, decision)),
            lambda _r: self.reload(),
        )

    def withdraw_consent(self) -> None:
        desk, item = self.desk, self.consent_list.currentItem()
        if desk is None or item is None:
            return
        consent_id = item.data(Qt.ItemDataRole.UserRole)
        tasks.run(self, lambda: cases.withdraw_consent(desk, consent_id), lambda _r: self.reload())

    def add_session(self) -> None:
        desk, detail = self.desk, self.detail
        if desk is None or detail is None:
            return
        dialog = SessionDialog(
            detail.code,
            lambda session_id, form: sessions.add_session(desk, detail.id, form, session_id),
            parent=self,
        )
        dialog.accepted.connect(self.reload)
        self.open_dialog(dialog)

    def plan_appointment(self) -> None:
        desk, detail = self.desk, self.detail
        if desk is None or detail is None:
            return
        dialog = AppointmentDialog(
            detail.id, detail.code, lambda form: appointments.plan(desk, form), self
        )
        dialog.accepted.connect(
            lambda: prompts.show_info(self, _("Appointment planned: see Follow-up → Appointments."))
        )
        self.open_dialog(dialog)

    def plan_callback(self) -> None:
        desk, detail = self.desk, self.detail
        if desk is None or detail is None:
            return
        case_id = detail.id
        dialog = CallbackDialog(
            detail.code, lambda day: recontact.plan_callback(desk, case_id, day), self
        )
        dialog.accepted.connect(
            lambda: prompts.show_info(self, _("Call-back planned: see Follow-up → Call-backs."))
        )
        self.open_dialog(dialog)

    def add_referral(self) -> None:
        dialog = self._referral_dialog()
        if dialog is not None:
            self.open_dialog(dialog)

    def _referral_dialog(self) -> ReferralDialog | None:
        desk, detail = self.desk, self.detail
        if desk is None or detail is None:
            return None
        dialog = ReferralDialog(
            detail.code,
            lambda form: referrals.add_referral(desk, detail.id, form),
            self,
            consent=sharing_consent(detail.consents),
            anonymous=detail.person is None,
        )

        def recorded() -> None:
            self.reload()
            prompts.show_info(
                self,
                _("Referral of {code} to {partner} recorded.").format(
                    code=detail.code, partner=dialog.partner.text()
                ),
            )

        dialog.accepted.connect(recorded)
        return dialog

    def change_referral_status(self) -> None:
        desk, entry, status = self.desk, self.selected_entry(), self.referral_status.value()
        if desk is None or entry is None or entry.kind is not TimelineKind.REFERRAL:
            return
        if status is None or status is entry.referral_status:
            return
        tasks.run(
            self,
            lambda: referrals.set_referral_status(desk, entry.id, status),
            lambda _r: self.reload(),
        )

    def refer_to(self, entry: DirectoryEntry) -> None:
        """From the directory: a referral to `entry` on the case that is open."""
        if self.desk is None:
            return
        if self.detail is None:
            prompts.show_info(
                self,
                _(
                    "Open the person's case first (Cases), then record the referral from the "
                    "directory."
                ),
            )
            return
        dialog = self._referral_dialog()
        if dialog is not None:
            dialog.prefill(entry.service_type, entry.name(current_language()))
            self.open_dialog(dialog)

    def _open_selected(self) -> None:
        item = self.timeline.currentItem()
        if item is not None:
            self._open_entry(item)

    def _open_entry(self, item: QListWidgetItem) -> None:
        desk, detail = self.desk, self.detail
        kind, entry_id = item.data(Qt.ItemDataRole.UserRole)
        if desk is None or detail is None or kind != TimelineKind.SESSION.value:
            return
        if not desk.user.has(Role.COUNSELLOR):
            return
        tasks.run(
            self,
            lambda: sessions.session_form(desk, entry_id),
            lambda form: SessionDialog(detail.code, None, form, self).open(),
        )

    # -- lock ------------------------------------------------------------------------

    def draft(self) -> dict[str, Any]:
        """The case shown, and only what was typed over it: what the case held is read
        again at sign-in (an identity forgotten since is not written back from a draft)."""
        if self.detail is None:
            return {}
        typed = {
            key: value
            for key, value in self.fields.values().items()
            if value != self._shown_values.get(key)
        }
        return {"case_id": self.detail.id, "version": self.detail.version, "values": typed}

    def restore(self, draft: dict[str, Any]) -> None:
        case_id = draft.get("case_id")
        if isinstance(case_id, str):
            self.show_case(case_id, then=draft)

    def dialog_draft(self) -> dict[str, Any]:
        draft = super().dialog_draft()
        if draft and self.detail is not None:
            draft["context"]["case_id"] = self.detail.id
        return draft

    def reopen_dialog(self, draft: dict[str, Any]) -> None:
        """Once the case it was typed for is shown (see `_loaded`)."""
        self._waiting_dialog = draft
        self._reopen_waiting_dialog()

    def _reopen_waiting_dialog(self) -> None:
        draft, detail = self._waiting_dialog, self.detail
        if draft is None or detail is None:
            return
        context = draft.get("context")
        if not isinstance(context, dict) or context.get("case_id") != detail.id:
            return
        self._waiting_dialog = None
        self.reopen(
            draft,
            {
                SessionDialog.draft_kind: self.add_session,
                AppointmentDialog.draft_kind: self.plan_appointment,
                CallbackDialog.draft_kind: self.plan_callback,
                ReferralDialog.draft_kind: self.add_referral,
            },
        )

    def clear(self) -> None:
        super().clear()
        self._waiting_dialog = None
        self._show(None)
        self.person.show_person(PersonForm())
        self.identity.show_identity(PersonForm(), None)
        self.situation.show_situation(SituationForm())


class FormScroll(QScrollArea):
    """A form that scrolls up and down, never sideways: its width is the least its fields
    need, so a splitter beside it narrows the other side instead of cutting fields."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        body = self.widget()
        if body is None:
            return hint
        width = (
            body.minimumSizeHint().width()
            + self.verticalScrollBar().sizeHint().width()
            + 2 * self.frameWidth()
        )
        return QSize(width, hint.height())
