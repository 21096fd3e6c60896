"""Follow-up: the call-backs due now and the appointments of the day or week, one tab each.

Both lists name people and cases: they are read each time the page is shown (each read is
audited) and emptied at every lock, the quick exit included."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QVBoxLayout

from app.i18n import _
from app.services.intake import CASE_ROLES
from app.services.open_desk import OpenDesk
from ui import prompts
from ui.dialogs.attempt_dialog import AttemptDialog
from ui.dialogs.police_referral_dialog import PoliceReferralDialog
from ui.pages.base import Page
from ui.pages.follow_up.agenda_tab import AgendaTab
from ui.pages.follow_up.callbacks_tab import CallbacksTab


class FollowUpPage(Page):
    open_case = Signal(str)

    def __init__(self) -> None:
        super().__init__("follow_up", _("Follow-up"), CASE_ROLES)
        #: an attempt's draft, waiting for the worklist to show its call-back
        self._waiting_attempt: dict[str, Any] | None = None
        self.callbacks = CallbacksTab(self.open_dialog)
        self.callbacks.loaded.connect(self._reopen_waiting_attempt)
        self.agenda = AgendaTab()
        for tab in (self.callbacks, self.agenda):
            tab.open_case.connect(self.open_case)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.callbacks, _("Call-backs"))
        self.tabs.addTab(self.agenda, _("Appointments"))
        self.tabs.currentChanged.connect(lambda _index: self.shown())
        QVBoxLayout(self).addWidget(self.tabs)
        refresh = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh.activated.connect(self.shown)

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        self.callbacks.desk = desk
        self.agenda.desk = desk

    def shown(self) -> None:
        if not self.isVisible() or self.desk is None:
            return
        if self.tabs.currentWidget() is self.callbacks:
            self.callbacks.load()
        else:
            self.agenda.load()

    def reopen_dialog(self, draft: dict[str, Any]) -> None:
        if draft.get("kind") == AttemptDialog.draft_kind:
            # The call-back it was for must be in the worklist first.
            self._waiting_attempt = draft
            self.callbacks.load()
        else:
            self.reopen(draft, {PoliceReferralDialog.draft_kind: self.callbacks.police_referral})

    def _reopen_waiting_attempt(self) -> None:
        draft, self._waiting_attempt = self._waiting_attempt, None
        context = draft.get("context") if draft else None
        if draft is None or not isinstance(context, dict):
            return
        if not self.callbacks.table.select(str(context.get("item_id"))):
            prompts.show_info(
                self,
                _(
                    "The call-back attempt you were writing down is not in today's worklist "
                    "any more (done by a colleague, or outside its safe times): it was not "
                    "opened again."
                ),
            )
            return
        self.reopen(draft, {AttemptDialog.draft_kind: self.callbacks.log_attempt})

    def clear(self) -> None:
        super().clear()
        self._waiting_attempt = None
        self.callbacks.clear()
        self.agenda.clear()
