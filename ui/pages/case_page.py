"""One case: who, what happened, and the timeline of contacts, sessions and referrals.
Edits are saved against the version that was opened: if someone changed the case since,
the edit is refused and shown, never written over theirs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QSplitter, QVBoxLayout

from app.domain.cases import CaseDetail
from app.domain.codes import ReferralStatus
from app.domain.directory import DirectoryEntry
from app.domain.intake import ConsentForm
from app.domain.roles import Role
from app.errors import EditConflict, ValidationError
from app.i18n import _, current_language
from app.services import cases, referrals, sessions
from app.services.intake import CASE_ROLES
from app.services.open_desk import OpenDesk
from ui import prompts, tasks
from ui.dialogs.appointment_dialog import AppointmentDialog
from ui.dialogs.callback_dialog import CallbackDialog
from ui.dialogs.referral_dialog import ReferralDialog
from ui.dialogs.saving_dialog import SavingDialog
from ui.dialogs.session_dialog import SessionDialog
from ui.pages.base import Page
from ui.pages.case import case_dialogs
from ui.pages.case.case_form import CaseForm, FormScroll
from ui.pages.case.case_header import CaseHeader
from ui.pages.case.timeline_box import TimelineBox
from ui.widgets.field_set import FieldSet

Opening = Callable[[Page, OpenDesk, CaseDetail], SavingDialog[Any]]


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
        self.header = CaseHeader()
        self.fields.add("status", self.header.status)
        self.form = CaseForm(self.fields)
        self.timeline = TimelineBox()
        self._connect()
        splitter = QSplitter()
        splitter.addWidget(_scrolling(self.form))
        splitter.addWidget(self.timeline)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([620, 320])
        splitter.setStretchFactor(0, 1)  # a wider window widens the form, not the timeline
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(splitter, 1)
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        self._show(None)

    def _connect(self) -> None:
        form, timeline = self.form, self.timeline
        self.header.reload_button.clicked.connect(self.reload)
        form.save_button.clicked.connect(self.save)
        form.consents.recorded.connect(self._record_consent)
        form.consents.withdrawn.connect(self._withdraw_consent)
        timeline.add_session_button.clicked.connect(self.add_session)
        timeline.add_referral_button.clicked.connect(self.add_referral)
        timeline.appointment_button.clicked.connect(self.plan_appointment)
        timeline.callback_button.clicked.connect(self.plan_callback)
        timeline.print_button.clicked.connect(self.print_material)
        timeline.session_chosen.connect(self._read_session)
        timeline.status_chosen.connect(self._change_referral_status)

    # -- loading ---------------------------------------------------------------------

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        counsellor = desk.user.has(Role.COUNSELLOR)
        self.timeline.set_counsellor(counsellor)
        self.form.situation.correction.setEnabled(counsellor)

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
        if then:
            # A draft made before a lock: put the typed values back over the case, and keep
            # the version it was typed against, so that a change made since is detected.
            self.fields.set_values(then.get("values", {}))
            self.detail = replace(detail, version=int(then.get("version", detail.version)))
        self._reopen_waiting_dialog()

    def _show(self, detail: CaseDetail | None) -> None:
        self.detail = detail
        self.case_changed.emit((detail.id, detail.code) if detail else None)
        self.header.show_case(detail)
        self.timeline.setEnabled(detail is not None)
        self.form.show_case(detail)
        self.timeline.show_timeline(detail)
        self._shown_values = self.fields.values()

    # -- editing ---------------------------------------------------------------------

    def save(self) -> None:
        desk, detail = self.desk, self.detail
        if desk is None or detail is None:
            return
        self.fields.clear_errors()
        try:
            edit = self.form.edit(detail)
        except ValidationError as error:
            self.fields.report(self, error)
            return
        self.form.save_button.setEnabled(False)
        tasks.run(
            self,
            lambda: cases.update_case(desk, detail.id, detail.version, edit),
            self._saved,
            self._save_failed,
        )

    def _saved(self, detail: CaseDetail) -> None:
        self._show(detail)
        prompts.show_info(self, _("The case was saved."))

    def _save_failed(self, error: BaseException) -> None:
        self.form.save_button.setEnabled(True)
        if isinstance(error, EditConflict):
            self.header.show_conflict(str(error))
        else:
            self.fields.report(self, error)

    def _record_consent(self, form: ConsentForm) -> None:
        desk, detail = self.desk, self.detail
        if desk is not None and detail is not None:
            case_id = detail.id
            tasks.run(self, lambda: cases.record_consent(desk, case_id, form), self._reloaded)

    def _withdraw_consent(self, consent_id: str) -> None:
        desk = self.desk
        if desk is not None:
            tasks.run(self, lambda: cases.withdraw_consent(desk, consent_id), self._reloaded)

    def _change_referral_status(self, referral_id: str, status: ReferralStatus) -> None:
        desk = self.desk
        if desk is not None:
            tasks.run(
                self,
                lambda: referrals.set_referral_status(desk, referral_id, status),
                self._reloaded,
            )

    def _reloaded(self, _result: object) -> None:
        self.reload()

    def _read_session(self, session_id: str) -> None:
        desk, detail = self.desk, self.detail
        if desk is None or detail is None or not desk.user.has(Role.COUNSELLOR):
            return
        tasks.run(
            self,
            lambda: sessions.session_form(desk, session_id),
            lambda form: SessionDialog(detail.code, None, form, self).open(),
        )

    # -- dialogs ---------------------------------------------------------------------

    def _open(self, opening: Opening, reload: bool = False) -> SavingDialog[Any] | None:
        desk, detail = self.desk, self.detail
        if desk is None or detail is None:
            return None
        dialog = opening(self, desk, detail)
        if reload:
            dialog.accepted.connect(self.reload)
        self.open_dialog(dialog)
        return dialog

    def add_session(self) -> None:
        self._open(case_dialogs.session_dialog, reload=True)

    def add_referral(self) -> None:
        self._open(case_dialogs.referral_dialog, reload=True)

    def plan_appointment(self) -> None:
        self._open(case_dialogs.appointment_dialog)

    def plan_callback(self) -> None:
        self._open(case_dialogs.callback_dialog)

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
        dialog = self._open(case_dialogs.referral_dialog, reload=True)
        if isinstance(dialog, ReferralDialog):
            dialog.prefill(entry.service_type, entry.name(current_language()))

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


def _scrolling(form: CaseForm) -> FormScroll:
    scroll = FormScroll()
    scroll.setWidgetResizable(True)
    scroll.setWidget(form)
    return scroll
