"""Directory: reception finds the partner service to refer someone to; the coordinator and
the admin also keep the entries up to date and exchange the signed packs, on tabs of their
own."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout

from app.i18n import _
from app.services import directory
from app.services.intake import CASE_ROLES
from app.services.open_desk import OpenDesk
from ui.pages.base import Page
from ui.pages.directory.entries_tab import EntriesTab
from ui.pages.directory.packs_tab import PacksTab
from ui.pages.directory.search_tab import SearchTab


class DirectoryPage(Page):
    #: record a referral to this service on the case that is open
    refer = Signal(object)
    #: print a referral slip for this service (its directory key)
    print_slip = Signal(str)

    def __init__(self) -> None:
        super().__init__("directory", _("Directory"), directory.SEARCH_ROLES)
        self.search = SearchTab()
        self.entries = EntriesTab()
        self.packs = PacksTab()
        self.search.refer.connect(self.refer)
        self.search.print_slip.connect(self.print_slip)
        self.search.edit.connect(self._edit)
        self.entries.saved.connect(lambda _key: self.search.refresh())
        self.packs.imported.connect(self.search.refresh)
        self.packs.imported.connect(self.entries.reload)
        self.tabs = QTabWidget()
        # Reception has the search only: no tab bar over a single screen.
        self.tabs.setTabBarAutoHide(True)
        self.tabs.addTab(self.search, _("Find a service"))
        QVBoxLayout(self).addWidget(self.tabs)

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        upkeep = desk.user.has_any(directory.UPKEEP_ROLES)
        self.search.open_desk(desk, may_refer=desk.user.has_any(CASE_ROLES), may_edit=upkeep)
        if upkeep:
            self.tabs.addTab(self.entries, _("Keep the entries"))
            self.tabs.addTab(self.packs, _("Directory packs"))
            self.entries.open_desk(desk)
            self.packs.desk = desk

    def _edit(self, key: str) -> None:
        self.tabs.setCurrentWidget(self.entries)
        self.entries.show_entry(key)

    def draft(self) -> dict[str, Any]:
        typed = self.entries.draft() if self.tabs.indexOf(self.entries) >= 0 else {}
        return {"tab": self.tabs.currentIndex(), "entry": typed} if typed else {}

    def restore(self, draft: dict[str, Any]) -> None:
        typed = draft.get("entry")
        if self.tabs.indexOf(self.entries) < 0 or not isinstance(typed, dict):
            return
        if draft.get("tab") == self.tabs.indexOf(self.entries):
            self.tabs.setCurrentWidget(self.entries)
        self.entries.restore(typed)

    def clear(self) -> None:
        super().clear()
        self.tabs.setCurrentWidget(self.search)
        for upkeep in (self.entries, self.packs):
            self.tabs.removeTab(self.tabs.indexOf(upkeep))
        self.search.clear()
        self.entries.clear()
        self.packs.desk = None
