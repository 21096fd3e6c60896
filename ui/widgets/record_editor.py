"""One way to keep a list of records: a sortable table beside a form bound to the record's
dataclass, with New, Save and Delete (or Retire). Saving runs in the background and a
refusal shows under the field it names.

A screen describes its records (columns, form fields, words) and the services that load,
save and remove them; the editor does the rest the same way everywhere."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError
from app.i18n import _
from app.services.open_desk import OpenDesk
from ui import prompts, style, tasks
from ui.models.record_model import Column, RecordModel
from ui.models.rows_model import Row
from ui.style import Tone
from ui.widgets import typed_input
from ui.widgets.field_set import FieldSet
from ui.widgets.record_table import RecordTable

Form = TypeVar("Form")
SavedForm = TypeVar("SavedForm", contravariant=True)

#: the form beside the table is at most this wide: the table takes the rest
FORM_WIDTH = 400


@dataclass(frozen=True)
class RecordWords:
    """What the editor says about these records."""

    #: the table's name for screen readers, e.g. "Referents of the network"
    table: str
    #: the New button, e.g. "New referent"
    new: str
    #: the Save button's name for screen readers, e.g. "Save the referent"
    save: str
    #: the remove button ("Delete", "Retire") and the question asked before; no button if ""
    remove: str = ""
    remove_question: str = ""
    #: a line under the form saying what these records are
    note: str = ""


class SaveRecord(Protocol[SavedForm]):
    """Saves a form and gives the record's id. A `new` record's id was made when its form
    started: the record is created under it, or, if an earlier save of the same form made
    it already (its answer lost to a lock), changed, never made twice. Without `new`, the
    id names a record that exists (one deleted meanwhile is refused)."""

    def __call__(self, desk: OpenDesk, form: SavedForm, record_id: str, /, *, new: bool) -> str: ...


@dataclass(frozen=True)
class RecordServices(Generic[Row, Form]):
    """What the editor calls, off the GUI thread, with the open desk."""

    load: Callable[[OpenDesk], list[Row]]
    save: SaveRecord[Form]
    remove: Callable[[OpenDesk, str], object] | None = None


class RecordEditor(QWidget, Generic[Row, Form]):
    #: the records were loaded again (after opening, saving or removing)
    loaded = Signal()
    #: a record was saved: its id
    saved = Signal(str)
    #: a record was deleted or retired: its id
    removed = Signal(str)
    #: the form shows this record (a row), or a new one (None)
    record_shown = Signal(object)

    def __init__(
        self,
        columns: list[Column[Row]],
        id_of: Callable[[Row], str],
        words: RecordWords,
        services: RecordServices[Row, Form],
        *,
        form_of: Callable[[Row], Form],
        blank: Callable[[], Form],
        make: Callable[[FieldSet], Form],
        form_width: int = FORM_WIDTH,
        scrolled: bool = False,
    ) -> None:
        """`form_of` gives the form a record shows, `blank` a new record's, `make` reads the
        form back from the fields (usually `fields.record(TheForm)`). A long form is
        `scrolled`: it scrolls above its buttons, which stay in sight."""
        super().__init__()
        self._services = services
        self._form_of = form_of
        self._blank = blank
        self._make = make
        self._editing: str | None = None
        #: the id a new record in the form is saved under: made when the form starts, kept
        #: in its draft, so that saving it again never makes a second record
        self._new_id = _new_id()
        #: the inputs as the form last showed them: a draft is what differs
        self._shown: dict[str, Any] = {}
        #: counts the records the form has shown: a save or a removal that ends after the
        #: person went on to another record leaves that record's form alone
        self._showing = 0
        self._saving = False
        # A record chosen by the screen itself, not by the person (see `_chosen`).
        self._selecting = False
        self.desk: OpenDesk | None = None
        self.fields = FieldSet()
        self.form = QFormLayout()
        self.table: RecordTable[Row] = RecordTable(columns, id_of, words.table)
        self.model: RecordModel[Row] = self.table.records
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._chosen())
        self._make_buttons(words, services.remove is not None)
        self._lay_out(words.note, form_width, scrolled)
        self._shortcuts(bool(words.new))

    def _make_buttons(self, words: RecordWords, removable: bool) -> None:
        self.new_button = QPushButton(words.new)
        self.new_button.clicked.connect(self.ask_new)
        self.save_button = QPushButton(_("Save"))
        self.save_button.setAccessibleName(words.save)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.remove_button = QPushButton(words.remove)
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self.remove)
        # Hidden where there is none, never shown: shown before it has a parent, a button is
        # a window of its own, which takes the focus from the main window.
        if not words.new:
            self.new_button.hide()
        if not words.remove or not removable:
            self.remove_button.hide()
        self._remove_question = words.remove_question
        self.buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.remove_button):
            self.buttons.addWidget(button)
        self.buttons.addStretch(1)

    def _lay_out(self, note: str, form_width: int, scrolled: bool) -> None:
        self.above_table = QVBoxLayout()
        self.above_table.addWidget(self.table, 1)
        self.side = QVBoxLayout()
        self._scroll = _scrolling(self.form) if scrolled else None
        if self._scroll is not None:
            self.side.addWidget(self._scroll, 1)
        else:
            self.side.addLayout(self.form)
        self.side.addLayout(self.buttons)
        if note:
            self.side.addWidget(_note(note))
        if not scrolled:
            self.side.addStretch(1)
        self._side = QWidget()
        self._side.setLayout(self.side)
        self._side.setMaximumWidth(form_width)
        layout = QHBoxLayout(self)
        layout.addLayout(self.above_table, 1)
        layout.addWidget(self._side)

    def _shortcuts(self, new: bool) -> None:
        # The window's keys, for the editor in view: they work as soon as its tab shows,
        # before anything in it is clicked (Qt leaves out the editors of hidden tabs).
        keys = [(QKeySequence.StandardKey.Save, self.save)]
        if new:
            keys.append((QKeySequence.StandardKey.New, self.ask_new))
        for key, action in keys:
            shortcut = QShortcut(key, self, action)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activatedAmbiguously.connect(lambda key=key: _to_the_focused_editor(key))
        remove = QShortcut(QKeySequence.StandardKey.Delete, self.table, self.remove)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)

    def add_field(self, key: str, label: str, widget: QWidget, error: bool = True) -> None:
        """A field of the form, bound to the record's field `key`, with an error line under
        it when a refusal can name it."""
        self.fields.add_row(self.form, key, label, widget, error=error)

    # -- the desk ---------------------------------------------------------------------------

    def open_desk(self, desk: OpenDesk) -> None:
        """Work on `desk`: its records are read when the editor comes into view (and each
        time again), as reading them may be audited."""
        self.desk = desk
        self.new()
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()

    def clear(self) -> None:
        """Forget every record shown: the desk locks."""
        self.desk = None
        self.model.set_rows([])
        self._editing = None
        self._new_id = _new_id()
        self._saving = False
        self._show_form(self._blank())
        self.remove_button.setEnabled(False)
        self.record_shown.emit(None)

    def reload(self, select: str | None = None) -> None:
        """Read the records again; `select` (a record just saved) then fills the form."""
        desk = self.desk
        if desk is None:
            return

        records = self.records_to_load()

        def load() -> tuple[object, list[Row]]:
            return self.load_options(desk), records(desk)

        tasks.run(self, load, lambda loaded: self._show(*loaded, select))

    def records_to_load(self) -> Callable[[OpenDesk], list[Row]]:
        """How to read the records, decided on the GUI thread: screens whose list depends
        on what is chosen on screen (a month, a unit) read it here, never from the
        background work, where the choice may have changed meanwhile."""
        return self._services.load

    def load_options(self, desk: OpenDesk) -> object:
        """What the inputs offer to choose from, read with the records (off the GUI
        thread), for `show_options`. Screens whose choices come from the desk say which."""
        return None

    def show_options(self, options: object) -> None:
        """Fill the inputs' choices with what `load_options` read."""

    def _show(self, options: object, rows: list[Row], select: str | None) -> None:
        if self.desk is None:
            return
        untouched = typed_input.read(self._side) == self._shown
        self.show_options(options)
        if untouched:  # filling the choices is not typing
            self._shown = typed_input.read(self._side)
        self.model.set_rows(rows)
        if select is not None:
            self.select(select)
        elif self._editing is not None:
            # The record being edited stays highlighted; what is typed in it stays too.
            with QSignalBlocker(self.table.selectionModel()):
                self.select(self._editing)
        else:
            self._edit_if_saved()
        self.loaded.emit()

    def _edit_if_saved(self) -> None:
        """The new record in the form is listed: its save committed and the answer was lost
        (the desk locked first). The form edits it now, as the answer would have said."""
        with QSignalBlocker(self.table.selectionModel()):
            if self.select(self._new_id):
                self._editing = self._new_id
                self.remove_button.setEnabled(True)

    # -- choosing ---------------------------------------------------------------------------

    @property
    def editing(self) -> str | None:
        """The id of the record in the form; None for a new one."""
        return self._editing

    def chosen(self) -> Row | None:
        return self.table.chosen()

    def rows(self) -> list[Row]:
        return self.table.rows()

    def select(self, record_id: str) -> bool:
        """Select the record `record_id` (its form fills in); False if it is not listed."""
        self._selecting = True
        try:
            return self.table.select(record_id)
        finally:
            self._selecting = False

    def _chosen(self) -> None:
        row = self.chosen()
        if row is None:
            return
        record_id = self.model.id_of(row)
        if not self._selecting and record_id != self._editing and not self._may_leave_typing():
            # The person stays on what they typed: the list shows that record again.
            with QSignalBlocker(self.table.selectionModel()):
                if self._editing is None:
                    self.table.clearSelection()
                else:
                    self.table.select(self._editing)
            return
        self._editing = record_id
        self._show_form(self._form_of(row))
        self.remove_button.setEnabled(True)
        self.record_shown.emit(row)

    def ask_new(self) -> None:
        """New, as a person asks for it: what is typed and not saved is not thrown away
        without asking."""
        if self._may_leave_typing():
            self.new()

    def _may_leave_typing(self) -> bool:
        """Nothing typed and unsaved, or the person said to leave it (New, another row)."""
        return not self.draft() or prompts.confirm(
            self,
            _("Leave what you typed without saving it?"),
            _("Leave it"),
        )

    def new(self) -> None:
        """An empty form for a new record, the cursor in its first field."""
        self.empty()
        first = next(iter(self.fields.widgets.values()), None)
        if first is not None:
            first.setFocus()

    def empty(self) -> None:
        """An empty form for a new record, the cursor left where it is: for a change made
        elsewhere on the screen (another list chose what the records belong to)."""
        self._editing = None
        self._new_id = _new_id()
        self.table.clearSelection()
        self._show_form(self._blank())
        self.remove_button.setEnabled(False)
        self.record_shown.emit(None)

    # -- saving -----------------------------------------------------------------------------

    def save(self) -> None:
        desk = self.desk
        # A second press while saving would save a new record twice.
        if desk is None or not self.save_button.isEnabled() or self._saving:
            return
        self.fields.clear_errors()
        try:
            form = self._make(self.fields)
        except ValidationError as refused:
            self._refused(refused)
            return
        editing, showing, typed = self._editing, self._showing, typed_input.read(self._side)
        target, new = (self._new_id, True) if editing is None else (editing, False)
        self._saving = True
        tasks.run(
            self,
            lambda: self._services.save(desk, form, target, new=new),
            lambda record_id: self._saved(record_id, showing, typed),
            self._refused,
        )

    def _refused(self, error: BaseException) -> None:
        self._saving = False
        self.fields.report(self, error)
        scroll = self._scroll
        shown = [label for label in self.fields.errors.values() if not label.isHidden()]
        if scroll is not None and shown:
            # Once laid out with the message: the field and what is wrong with it in sight.
            QTimer.singleShot(0, self, lambda: scroll.ensureWidgetVisible(shown[0]))

    def _saved(self, record_id: str, showing: int, typed: dict[str, Any]) -> None:
        self._saving = False
        if showing != self._showing:
            self.reload()  # the person went on to another record: theirs to finish
        elif typed_input.read(self._side) != typed:
            # Typed on meanwhile: the record now exists, and what is typed stays.
            self._editing = record_id
            self.reload()
        else:
            self._editing = record_id
            self.reload(select=record_id)
        self.saved.emit(record_id)

    def remove(self) -> None:
        desk, record_id, remove = self.desk, self._editing, self._services.remove
        if desk is None or record_id is None or remove is None:
            return
        if not prompts.confirm(self, self.remove_question(), self.remove_button.text()):
            return
        showing = self._showing
        tasks.run(
            self, lambda: remove(desk, record_id), lambda _done: self._removed(record_id, showing)
        )

    def remove_question(self) -> str:
        """What is asked before removing the record in the form; screens may name it."""
        return self._remove_question

    def _removed(self, record_id: str, showing: int) -> None:
        if showing == self._showing:
            self.new()
        self.reload()
        self.removed.emit(record_id)

    # -- drafts -----------------------------------------------------------------------------

    def _show_form(self, form: Form) -> None:
        self._showing += 1
        self.fields.show(form)
        self._shown = typed_input.read(self._side)

    def draft(self) -> dict[str, Any]:
        """What is typed in the form and not saved, and which record it is, worth keeping
        across a lock; nothing if the form shows a record (or a new one) as it is."""
        inputs = typed_input.read(self._side)
        if inputs == self._shown:
            return {}
        if self._editing is not None:
            return {"id": self._editing, "inputs": inputs}
        return {"id": None, "new": self._new_id, "inputs": inputs}

    @property
    def new_id(self) -> str:
        """The id a new record typed in the form is saved under (kept in its draft)."""
        return self._new_id

    def restore(self, draft: dict[str, Any]) -> None:
        editing, new = draft.get("id"), draft.get("new")
        if isinstance(editing, str):
            self.select(editing)
        self._editing = editing if isinstance(editing, str) else None
        if isinstance(new, str):
            self._new_id = new
            self._edit_if_saved()
        typed_input.write(self._side, draft.get("inputs"))


def _new_id() -> str:
    return str(uuid.uuid4())


def _scrolling(form: QFormLayout) -> QScrollArea:
    inside = QWidget()
    inside.setLayout(form)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    # Up and down only: the form fits the column's width, long rows wrap under their label.
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    area.setWidget(inside)
    return area


def _to_the_focused_editor(key: QKeySequence.StandardKey) -> None:
    """Two editors in view answer the same key: the one holding the cursor acts, the other
    (or both, if the cursor is in neither) leaves it."""
    widget = QApplication.focusWidget()
    while widget is not None and not isinstance(widget, RecordEditor):
        widget = widget.parentWidget()
    if widget is None:
        return
    for shortcut in widget.findChildren(
        QShortcut, options=Qt.FindChildOption.FindDirectChildrenOnly
    ):
        if shortcut.key() == QKeySequence(key):
            shortcut.activated.emit()


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    style.tone(label, Tone.NOTE)
    return label
