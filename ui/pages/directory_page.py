"""Directory: reception finds the partner service to refer someone to; the coordinator and
the admin also keep the entries up to date, see those due for review and exchange the
signed packs, on tabs of their own."""

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
from ui.pages.directory.review_tab import ReviewTab
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
        self.review = ReviewTab()
        self.search.refer.connect(self.refer)
        self.search.print_slip.connect(self.print_slip)
        self.search.edit.connect(self._edit)
        self.entries.saved.connect(lambda _key: self.search.refresh())
        self.entries.saved.connect(lambda _key: self.review.reload())
        self.entries.changed.connect(self.review.reload)
        self.entries.removed.connect(lambda _key: self.review.reload())
        self.packs.imported.connect(self.search.refresh)
        self.packs.imported.connect(self.entries.reload)
        self.packs.imported.connect(self.review.reload)
        self.review.open_entry.connect(self._edit)
        self.review.counted.connect(self._review_title)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.search, _("Find a service"))
        self.tabs.addTab(self.entries, _("Keep the entries"))
        self.tabs.addTab(self.review, "")
        self.tabs.addTab(self.packs, _("Directory packs"))
        self._review_title(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # each tab has its own
        layout.addWidget(self.tabs)
        self._upkeep(False)

    def _upkeep(self, shown: bool) -> None:
        # Hidden, not taken away: a tab keeps its place among the page's widgets, where a
        # draft finds the cursor by its path. Reception has the search only.
        for tab in (self.entries, self.review, self.packs):
            self.tabs.setTabVisible(self.tabs.indexOf(tab), shown)
        self.tabs.tabBar().setVisible(shown)
        # Without tabs, no frame around the search either: it keeps the page's whole room.
        self.tabs.setDocumentMode(not shown)

    def _keeping(self) -> bool:
        """The signed-in person keeps the directory (the upkeep tabs are there)."""
        return self.tabs.isTabVisible(self.tabs.indexOf(self.entries))

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        upkeep = desk.user.has_any(directory.UPKEEP_ROLES)
        self.search.open_desk(desk, may_refer=desk.user.has_any(CASE_ROLES), may_edit=upkeep)
        self._upkeep(upkeep)
        if upkeep:
            self.entries.open_desk(desk)
            self.review.open_desk(desk)
            self.packs.desk = desk

    def _review_title(self, due: int) -> None:
        # TRANSLATORS: a tab: the directory entries due for review, and how many.
        title = _("To review ({count})").format(count=due) if due else _("To review")
        self.tabs.setTabText(self.tabs.indexOf(self.review), title)

    def _edit(self, key: str) -> None:
        self.tabs.setCurrentWidget(self.entries)
        self.entries.show_entry(key)

    def draft(self) -> dict[str, Any]:
        typed = self.entries.draft() if self._keeping() else {}
        return {"tab": self.tabs.currentIndex(), "entry": typed} if typed else {}

    def restore(self, draft: dict[str, Any]) -> None:
        typed = draft.get("entry")
        if not self._keeping() or not isinstance(typed, dict):
            return
        if draft.get("tab") == self.tabs.indexOf(self.entries):
            self.tabs.setCurrentWidget(self.entries)
        self.entries.restore(typed)

    def clear(self) -> None:
        super().clear()
        self.tabs.setCurrentWidget(self.search)
        self._upkeep(False)
        self.search.clear()
        self.entries.clear()
        self.review.clear()
        self._review_title(0)
        self.packs.desk = None
