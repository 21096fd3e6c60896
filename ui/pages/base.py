"""What every page of the main window offers the window."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from app.domain.roles import Role
from app.services.drafts import SavedDraft
from app.services.open_desk import OpenDesk
from ui.dialogs.saving_dialog import SavingDialog


class Page(QWidget):
    #: what is typed changed in a way to write down at once (a dialog saved or cancelled,
    #: a form emptied), not only at the next autosave
    drafts_changed = Signal()

    def __init__(self, key: str, title: str, role: Role | tuple[Role, ...] | None) -> None:
        super().__init__()
        #: stable key, used for drafts and to come back to the same page after a lock
        self.key = key
        #: shown in the navigation and the window's heading
        self.title = title
        #: the role (or any of the roles) needed to see the page (None: everyone signed in)
        self.roles: tuple[Role, ...] | None = (role,) if isinstance(role, Role) else role
        self.desk: OpenDesk | None = None
        self._dialog: SavingDialog[Any] | None = None
        #: a dialog's draft, for the dialog `reopen` is opening
        self._reopening: dict[str, Any] | None = None

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

    def open_dialog(self, dialog: SavingDialog[Any]) -> None:
        """Open `dialog`, its typed input kept with the page's drafts while it is open."""
        if self._reopening is not None:
            dialog.restore_draft(self._reopening)
            self._reopening = None
        self._dialog = dialog
        dialog.finished.connect(lambda _result: self._dialog_finished(dialog))
        dialog.open()

    def _dialog_finished(self, dialog: SavingDialog[Any]) -> None:
        if self._dialog is dialog:
            self._dialog = None
            self.drafts_changed.emit()

    def dialog_draft(self) -> dict[str, Any]:
        """The open dialog's input (see SavingDialog.draft)."""
        return self._dialog.draft() if self._dialog is not None else {}

    def reopen_dialog(self, draft: dict[str, Any]) -> None:
        """A dialog's draft found at sign-in: open that dialog again as it was. Pages whose
        dialogs can be typed in say how, with `reopen`."""

    def reopen(self, draft: dict[str, Any], openers: dict[str, Callable[[], None]]) -> None:
        """Open again the dialog of `draft`, by the action of `openers` (dialog kind →
        what opens it) that opens it anew, its input put back."""
        opening = openers.get(str(draft.get("kind")))
        if opening is None:
            return
        self._reopening = draft
        try:
            opening()
        finally:
            self._reopening = None

    def clear(self) -> None:
        """Forget everything shown: called when the desk locks."""
        self.desk = None
