"""Awareness actions, group work and emergency housing: what the desk did in a
month, with participant counts, and the occupancy of its housing units. No one is named."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout

from app import clock
from app.domain.periods import Month
from app.domain.roles import Role
from app.i18n import _
from app.services import activities
from app.services.open_desk import OpenDesk
from ui.pages.activities.activities_tab import ActivitiesTab
from ui.pages.activities.housing_tab import HousingTab
from ui.pages.activities.lists_tab import ListsTab
from ui.pages.base import Page
from ui.widgets.month_picker import MonthPicker

MONTHS_BACK = 36
MONTHS_AHEAD = 3


class ActivitiesPage(Page):
    def __init__(self) -> None:
        super().__init__("activities", _("Activities and housing"), activities.ACTIVITY_ROLES)
        self.month = MonthPicker(_("Month"))
        self.month.currentIndexChanged.connect(self._month_chosen)
        self.activities = ActivitiesTab()
        self.activities.month_wanted.connect(self._show_month)
        self.housing = HousingTab()
        self.lists = ListsTab()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.activities, _("Activities"))
        self.tabs.addTab(self.housing, _("Emergency housing"))
        self.tabs.addTab(self.lists, _("Kinds and audiences"))
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Month")))
        top.addWidget(self.month)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        # Each tab reads its records when it comes into view (and each time again), not at
        # every unlock.
        self.activities.desk = desk
        self.housing.open_desk(desk)
        # The coordinator keeps the desk's lists; the others choose from them.
        keeper = desk.user.has(Role.COORDINATOR)
        self.tabs.setTabVisible(self.tabs.indexOf(self.lists), keeper)
        if keeper:
            self.lists.open_desk(desk)
        today = Month.of(clock.today())
        self.month.set_months(today.shifted(-MONTHS_BACK), today.shifted(MONTHS_AHEAD), today)

    def clear(self) -> None:
        super().clear()
        self.activities.clear()
        self.housing.clear()
        self.lists.clear()

    def _month_chosen(self) -> None:
        self.housing.set_month(self.month.month())
        self.activities.set_month(self.month.month())

    def _show_month(self, month: str) -> None:
        # A month beyond those offered (planned far ahead): the newest offered.
        self.month.setCurrentIndex(max(0, self.month.findData(month)))

    def draft(self) -> dict[str, Any]:
        """The activity, the housing unit and stay, the kind and audience being typed, kept
        across a lock."""
        parts = {
            "activity": self.activities.draft(),
            "stay": self.housing.draft(),
            "kind": self.lists.kinds.draft(),
            "audience": self.lists.audiences.draft(),
        }
        return {key: value for key, value in parts.items() if value}

    def restore(self, draft: dict[str, Any]) -> None:
        activity, stay = draft.get("activity"), draft.get("stay")
        if isinstance(activity, dict):
            self.activities.restore(activity)
        if isinstance(stay, dict):
            self.housing.restore(stay)
        for editor, key in ((self.lists.kinds, "kind"), (self.lists.audiences, "audience")):
            typed = draft.get(key)
            if isinstance(typed, dict):
                editor.restore(typed)
