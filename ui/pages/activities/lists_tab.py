"""The desk's own kinds of activity and audiences, kept by the coordinator: a name in each
language (the desk's required), what the network counts it as, and retiring it. A retired
entry stays on the activities recorded with it and in their counts; it is no longer
offered for new ones."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.domain.activity_lists import DeskEntry, DeskList, EntryForm, form_of
from app.domain.codes import ActivityKind, Audience, read
from app.domain.protocols import LANGUAGES
from app.i18n import _, language_name, pgettext
from app.services import activity_lists
from app.services.open_desk import OpenDesk
from ui import prompts, style, tasks
from ui.models.record_model import Column
from ui.style import Tone
from ui.widgets.coded import CodeCombo
from ui.widgets.record_editor import (
    FORM_WIDTH,
    RecordEditor,
    RecordServices,
    RecordWords,
    SaveRecord,
)


def _network_label(which: DeskList, code: str) -> str:
    return read(ActivityKind, code).label if which is DeskList.KINDS else read(Audience, code).label


def _state(entry: DeskEntry) -> str:
    # TRANSLATORS: the state of a kind of activity or an audience of the desk's lists.
    return pgettext("desk list", "retired") if entry.retired else pgettext("desk list", "in use")


def _network_word(which: DeskList) -> str:
    return _("Network's kind") if which is DeskList.KINDS else _("Network's audience")


def _columns(which: DeskList) -> list[Column[DeskEntry]]:
    return [
        Column(_("Name"), lambda e: e.label),
        Column(_network_word(which), lambda e: _network_label(which, e.network)),
        Column(_("State"), _state, sort=lambda e: (e.retired, e.label)),
    ]


def _words(which: DeskList) -> RecordWords:
    if which is DeskList.KINDS:
        return RecordWords(
            table=_("Kinds of activity of the desk"),
            new=_("New kind"),
            save=_("Save the kind of activity"),
            # TRANSLATORS: a button: the kind is no longer offered for new activities (the
            # activities recorded with it keep it, and their counts).
            remove=pgettext("desk list", "Retire…"),
            remove_question=_(
                "Retire “{name}”? This kind will no longer be offered for new "
                "activities; those recorded with it keep it."
            ),
        )
    return RecordWords(
        table=_("Audiences of the desk"),
        new=_("New audience"),
        save=_("Save the audience"),
        remove=pgettext("desk list", "Retire…"),
        remove_question=_(
            "Retire “{name}”? This audience will no longer be offered for new "
            "activities; those recorded with it keep it."
        ),
    )


def _saver(which: DeskList) -> SaveRecord[EntryForm]:
    def save(desk: OpenDesk, form: EntryForm, entry_id: str, /, *, new: bool) -> str:
        return activity_lists.save_entry(desk, which, form, entry_id, new=new)

    return save


class EntriesEditor(RecordEditor[DeskEntry, EntryForm]):
    """One of the desk's two lists."""

    def __init__(self, which: DeskList) -> None:
        super().__init__(
            _columns(which),
            lambda entry: entry.id,
            _words(which),
            RecordServices(
                lambda desk: list(activity_lists.desk_lists(desk).entries(which)),
                _saver(which),
                activity_lists.retire_entry,
            ),
            form_of=form_of,
            blank=lambda: EntryForm("", "", "", "", self._default_network),
            make=lambda fields: fields.record(EntryForm),
        )
        self.which = which
        kinds = which is DeskList.KINDS
        self._default_network: str = ActivityKind.OTHER if kinds else Audience.GENERAL_PUBLIC
        title = QLabel(_("Kinds of activity") if kinds else _("Audiences"))
        style.tone(title, Tone.SECTION)
        self.above_table.insertWidget(0, title)
        self.names = self._name_fields()
        self._network_field()
        self.remove_button.setAccessibleName(
            _("Retire the kind…") if kinds else _("Retire the audience…")
        )
        layout, form_box = self.layout(), self.side.parentWidget()
        assert layout is not None and form_box is not None
        # Both lists' forms as wide, one above the other.
        layout.setContentsMargins(0, 0, 0, 0)
        form_box.setFixedWidth(FORM_WIDTH)
        self.restore_button = self._put_back_button()
        #: the ids of the entries activities are recorded with (read with the list)
        self._in_use: frozenset[str] = frozenset()
        self._fit_columns()
        self.record_shown.connect(self._retirable)
        self.empty()

    def _network_field(self) -> None:
        network: CodeCombo[ActivityKind] | CodeCombo[Audience] = (
            CodeCombo(ActivityKind, _network_word(self.which))
            if self.which is DeskList.KINDS
            else CodeCombo(Audience, _network_word(self.which))
        )
        # TRANSLATORS: a form's label: what the network counts the desk's kind or audience as.
        self.add_field("network", _("Counted as"), network)

    def _put_back_button(self) -> QPushButton:
        """In the retire button's place when the entry shown is retired."""
        # TRANSLATORS: a button: a retired kind or audience is offered again for new activities.
        button = QPushButton(pgettext("desk list", "Put back in use"))
        button.hide()
        button.clicked.connect(self.put_back)
        self.buttons.insertWidget(self.buttons.count() - 1, button)
        return button

    def _fit_columns(self) -> None:
        """The two names share the room the state (as wide as its words) leaves: the table
        fits a small screen without scrolling sideways, long names wrapped or cut."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

    def _name_fields(self) -> dict[str, QLineEdit]:
        """A name in each language; screen readers hear which list's."""
        names: dict[str, QLineEdit] = {}
        for code in LANGUAGES:
            name = QLineEdit()
            language = language_name(code)
            name.setAccessibleName(
                _("Name of the kind ({language})").format(language=language)
                if self.which is DeskList.KINDS
                else _("Name of the audience ({language})").format(language=language)
            )
            self.add_field(f"name_{code}", _("Name ({language})").format(language=language), name)
            name.textEdited.connect(lambda _text, key=f"name_{code}": self._corrected(key))
            names[code] = name
        return names

    def open_desk(self, desk: OpenDesk) -> None:
        # The desk's language is the one name required: its field says so, and why.
        for code, name in self.names.items():
            name.setPlaceholderText(
                # TRANSLATORS: in the empty name field of the desk's language.
                _("required: the desk's language") if code == desk.desk.language else ""
            )
        super().open_desk(desk)

    def load_options(self, desk: OpenDesk) -> object:
        return activity_lists.entries_in_use(desk, self.which)

    def show_options(self, options: object) -> None:
        if isinstance(options, frozenset):
            self._in_use = frozenset(str(code) for code in options)

    def _corrected(self, key: str) -> None:
        """A name typed again: what was wrong with it no longer stands under it."""
        error = self.fields.errors.get(key)
        if error is not None:
            error.clear()
            error.hide()

    def _retirable(self, entry: object) -> None:
        retired = isinstance(entry, DeskEntry) and entry.retired
        self.remove_button.setEnabled(isinstance(entry, DeskEntry) and not retired)
        self.remove_button.setVisible(not retired)
        self.restore_button.setVisible(retired)
        # A long name shows from its start, not its end.
        for name in self.names.values():
            name.setCursorPosition(0)

    def remove_question(self) -> str:
        entry = self.chosen()
        return super().remove_question().format(name=entry.label if entry else "")

    def save(self) -> None:
        """Counting an entry that activities use as another network answer changes the
        counts of every month they were held in, those already sent too: asked first."""
        entry = self.chosen() if self.editing is not None else None
        network = self.fields.widgets["network"]
        chosen = network.value() if isinstance(network, CodeCombo) else None
        if (
            entry is not None
            and entry.id == self.editing
            and entry.id in self._in_use
            and chosen is not None
            and chosen.value != entry.network
            and not prompts.confirm(self, self._recount_question(chosen.label), _("Change it"))
        ):
            return
        super().save()

    def _recount_question(self, counted_as: str) -> str:
        return (
            _(
                "The activities already recorded of this kind will be counted as “"
                "{network}”: the months already sent to the network will change if "
                "they are exported again."
            )
            if self.which is DeskList.KINDS
            else _(
                "The activities already recorded for this audience will be counted as "
                "“{network}”: the months already sent to the network will change "
                "if they are exported again."
            )
        ).format(network=counted_as)

    def put_back(self) -> None:
        desk, entry_id = self.desk, self.editing
        if desk is None or entry_id is None:
            return
        tasks.run(
            self,
            lambda: activity_lists.restore_entry(desk, entry_id),
            lambda _done: self.reload(select=entry_id),
        )


class ListsTab(QWidget):
    """Both lists, one above the other."""

    def __init__(self) -> None:
        super().__init__()
        self.kinds = EntriesEditor(DeskList.KINDS)
        self.audiences = EntriesEditor(DeskList.AUDIENCES)
        note = QLabel(
            _(
                "The desk's own names for its activities and audiences. The monthly counts "
                "file carries what the network counts each as, so that desks can be compared."
            )
        )
        note.setWordWrap(True)
        style.tone(note, Tone.NOTE)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.kinds, 1)
        layout.addWidget(self.audiences, 1)

    def open_desk(self, desk: OpenDesk) -> None:
        self.kinds.open_desk(desk)
        self.audiences.open_desk(desk)

    def clear(self) -> None:
        self.kinds.clear()
        self.audiences.clear()
