"""Administration: the accounts of the desk, and the desk's settings and data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout

from app.domain.roles import Role
from app.i18n import _
from app.services.open_desk import OpenDesk
from ui.pages.admin.accounts_tab import AccountsTab
from ui.pages.admin.desk_tab import DeskTab
from ui.pages.base import Page


class AdminPage(Page):
    idle_minutes_saved = Signal(int)
    #: the admin's password was checked: lock, then rotate with a backup to the path
    rotation_requested = Signal(Path, str)

    def __init__(self) -> None:
        super().__init__("admin", _("Administration"), Role.ADMIN)
        self.accounts = AccountsTab()
        self.desk_tab = DeskTab()
        self.desk_tab.idle_minutes_saved.connect(self.idle_minutes_saved)
        self.desk_tab.rotation_requested.connect(self.rotation_requested)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.accounts, _("Accounts"))
        self.tabs.addTab(self.desk_tab, _("Desk and data"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        self.accounts.open_desk(desk)
        self.desk_tab.open_desk(desk)

    # The drafts of both tabs side by side: user_name, display_name, roles (and the account
    # whose roles are being changed), idle_minutes.
    def draft(self) -> dict[str, Any]:
        return {**self.accounts.draft(), **self.desk_tab.draft()}

    def restore(self, draft: dict[str, Any]) -> None:
        self.accounts.restore(draft)
        self.desk_tab.restore(draft)

    def clear(self) -> None:
        super().clear()
        self.accounts.clear()
        self.desk_tab.clear()
