"""What every page of the main window offers the window."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from app.domain.roles import Role
from app.services.drafts import SavedDraft
from app.services.open_desk import OpenDesk


class Page(QWidget):
    def __init__(self, key: str, title: str, role: Role | tuple[Role, ...] | None) -> None:
        super().__init__()
        #: stable key, used for drafts and to come back to the same page after a lock
        self.key = key
        #: shown in the navigation and the window's heading
        self.title = title
        #: the role (or any of the roles) needed to see the page (None: everyone signed in)
        self.roles: tuple[Role, ...] | None = (role,) if isinstance(role, Role) else role
        self.desk: OpenDesk | None = None

    def open_desk(self, desk: OpenDesk) -> None:
        """Load what the page shows for the signed-in user."""
        self.desk = desk

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.shown()

    def shown(self) -> None:
        """Each time the page comes into view. Pages whose content nobody waits for at
        unlock (and whose reading may be audited) load it here, so it is also fresh."""

    def draft(self) -> dict[str, Any]:
        """Unsaved input worth keeping across a lock (never passwords)."""
        return {}

    def restore(self, draft: dict[str, Any]) -> None:
        """Put back what `draft()` returned."""

    def offer_draft(self, saved: SavedDraft) -> None:
        """A draft found at unlock; pages where losing input matters say so."""
        self.restore(saved.values)

    def clear(self) -> None:
        """Forget everything shown: called when the desk locks."""
        self.desk = None
