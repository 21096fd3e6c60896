"""A dialog of fields saved on the database thread: an error shows under its field, the
buttons are off while saving, and the dialog closes once saved, keeping the result.

What is typed in it is kept as a draft at a lock and every few seconds (see `draft`): the
page that opened the dialog opens it again at the next sign-in, as it was."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QWidget

from app.errors import ValidationError
from ui import tasks
from ui.widgets import focus_path, typed_input, wheel_guard
from ui.widgets.field_set import FieldSet

T = TypeVar("T")


class SavingDialog(QDialog, Generic[T]):
    #: which dialog a draft is of, for the page that opens it again
    draft_kind: ClassVar[str]
    #: the save to run, with what the fields hold now (read on the GUI thread); a
    #: ValidationError names the field at fault
    saving: Callable[[], Callable[[], T]]

    def __init__(self, title: str, parent: QWidget | None, editable: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.fields = FieldSet()
        self.editable = editable
        #: what the save returned, once the dialog is accepted
        self.saved: T | None = None
        #: chosen once and kept in drafts: saving twice (a double click, a retry, a draft
        #: given back after a crash that followed the save) records once, where the save
        #: takes it
        self.form_id = str(uuid.uuid4())
        #: the fields as the dialog opened (prefilled included): nothing typed, no draft
        self._opened_with: tuple[dict[str, Any], dict[str, str]] | None = None
        self._saving = False
        #: where the cursor goes once shown (a draft's), instead of the first field
        self._focus_when_shown: object = None
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
            if editable
            else QDialogButtonBox.StandardButton.Close
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._opened_with is None:  # the first show: the dialog is built
            self._opened_with = self._input()
            wheel_guard.guard(self)
        if self._focus_when_shown is not None:
            # After the show has given the focus to the first field.
            focus, self._focus_when_shown = self._focus_when_shown, None
            QTimer.singleShot(0, self, lambda: focus_path.put_back(self, focus))

    # -- drafts ---------------------------------------------------------------------

    def draft_context(self) -> dict[str, Any]:
        """What the page needs besides the fields to open this dialog again (which case,
        which entry); plain JSON values."""
        return {}

    def draft(self) -> dict[str, Any]:
        """The dialog's typed input with where the cursor is; empty if nothing was typed.
        What `notes_inputs` hold is kept apart, under "notes", for the notes key."""
        if not self.editable or not self.isVisible() or self._saving:
            # While saving: the save will land, and its draft offered again would be saved
            # twice.
            return {}
        values, notes = self._input()
        if (values, notes) == self._opened_with:
            return {}
        draft: dict[str, Any] = {
            "kind": self.draft_kind,
            "form_id": self.form_id,
            "context": self.draft_context(),
            "values": values,
            "focus": focus_path.where(self),
        }
        if any(notes.values()):
            draft["notes"] = notes
        return draft

    def notes_inputs(self) -> tuple[QPlainTextEdit, ...]:
        """Counselling notes typed here: in a draft, they are sealed with the notes key."""
        return ()

    def restore_draft(self, draft: dict[str, Any]) -> None:
        """Put back what `draft` kept, the cursor included (call before the dialog opens)."""
        # What the dialog held before: the restored input stays a draft until saved.
        self._opened_with = self._input()
        typed_input.write(self, draft.get("values"))
        typed_input.write(self, draft.get("notes"))
        self._focus_when_shown = draft.get("focus")
        form_id = draft.get("form_id")
        if isinstance(form_id, str) and _is_uuid(form_id):
            self.form_id = form_id

    def _input(self) -> tuple[dict[str, Any], dict[str, str]]:
        values = typed_input.read(self, leave_out=self.notes_inputs())
        notes = {
            typed_input.key_of(self, widget): widget.toPlainText() for widget in self.notes_inputs()
        }
        return values, notes

    # -- saving ---------------------------------------------------------------------

    def submit(self) -> None:
        if not self.editable:
            self.accept()
            return
        self.fields.clear_errors()
        try:
            work = self.saving()
        except ValidationError as error:
            self.fields.report(self, error)
            self.grow_to_fit()
            return
        self._set_saving(True)
        tasks.run(self, work, self._saved, self._failed)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.buttons.setEnabled(not saving)

    def _saved(self, result: T) -> None:
        self._set_saving(False)
        self.saved = result
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_saving(False)
        self.fields.report(self, error)
        self.grow_to_fit()

    def grow_to_fit(self) -> None:
        """Taller if a message shown under a field needs it: a dialog keeps the height it
        opened with, which cut a long message after its second line."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = (
            layout.totalHeightForWidth(self.width())
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if needed > self.height():
            self.resize(self.width(), needed)


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
