"""Network resources, for the network's coordinator: the register of referents (staff
data, kept apart from client data), the partnership agreements with their renewal
reminders, the training plan with its attendance, and the intervention protocols."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTabWidget, QVBoxLayout

from app.i18n import _
from app.services import network_resources
from app.services.open_desk import OpenDesk
from ui.pages.base import Page
from ui.pages.network_resources.agreements_tab import AgreementsTab
from ui.pages.network_resources.protocols_tab import ProtocolsTab
from ui.pages.network_resources.referents_tab import ReferentsTab
from ui.pages.network_resources.trainings_tab import TrainingsTab
from ui.widgets.record_editor import RecordEditor


class NetworkResourcesPage(Page):
    def __init__(self) -> None:
        super().__init__("network_resources", _("Network resources"), network_resources.KEEP_ROLES)
        self.referents = ReferentsTab()
        self.agreements = AgreementsTab()
        self.trainings = TrainingsTab()
        self.protocols = ProtocolsTab()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.referents, _("Referents"))
        self.tabs.addTab(self.agreements, _("Agreements"))
        self.tabs.addTab(self.trainings, _("Training plan"))
        self.tabs.addTab(self.protocols, _("Protocols"))
        QVBoxLayout(self).addWidget(self.tabs)

    def _editors(self) -> list[RecordEditor[Any, Any]]:
        return [self.referents, self.agreements, self.trainings, self.protocols]

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        for editor in self._editors():
            editor.open_desk(desk)

    def draft(self) -> dict[str, Any]:
        typed = [editor.draft() for editor in self._editors()]
        return {"tab": self.tabs.currentIndex(), "editors": typed} if any(typed) else {}

    def restore(self, draft: dict[str, Any]) -> None:
        tab = draft.get("tab")
        if isinstance(tab, int) and 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)
        editors = draft.get("editors")
        if isinstance(editors, list):
            for editor, typed in zip(self._editors(), editors, strict=False):
                if isinstance(typed, dict):
                    editor.restore(typed)

    def clear(self) -> None:
        super().clear()
        for editor in self._editors():
            editor.clear()
