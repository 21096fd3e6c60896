"""The desk's own kinds of activity and audiences, kept by the coordinator: a name in each
language (the desk's required), what the network counts it as, and retiring it. A retired
entry stays on the activities recorded with it and in their counts; it is no longer
offered for new ones."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from app.domain.activity_lists import DeskEntry, DeskList, EntryForm, form_of
from app.domain.codes import ActivityKind, Audience, read
from app.domain.protocols import LANGUAGES
from app.i18n import _, language_name, pgettext
from app.services import activity_lists
from app.services.open_desk import OpenDesk
from ui import style
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
                "Retire this kind? It will no longer be offered for new activities; those "
                "recorded with it keep it."
            ),
        )
    return RecordWords(
        table=_("Audiences of the desk"),
        new=_("New audience"),
        save=_("Save the audience"),
        remove=pgettext("desk list", "Retire…"),
        remove_question=_(
            "Retire this audience? It will no longer be offered for new activities; those "
            "recorded with it keep it."
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
        network: CodeCombo[ActivityKind] | CodeCombo[Audience] = (
            CodeCombo(ActivityKind, _network_word(which))
            if kinds
            else CodeCombo(Audience, _network_word(which))
        )
        # TRANSLATORS: a form's label: what the network counts the desk's kind or audience as.
        self.add_field("network", _("Counted as"), network)
        self.remove_button.setAccessibleName(
            _("Retire the kind…") if kinds else _("Retire the audience…")
        )
        layout, form_box = self.layout(), self.side.parentWidget()
        assert layout is not None and form_box is not None
        # Both lists' forms as wide, one above the other.
        layout.setContentsMargins(0, 0, 0, 0)
        form_box.setFixedWidth(FORM_WIDTH)
        self.record_shown.connect(self._retirable)
        self.empty()

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
            names[code] = name
        return names

    def open_desk(self, desk: OpenDesk) -> None:
        # The desk's language is the one name required: its field says so.
        for code, name in self.names.items():
            name.setPlaceholderText(_("required") if code == desk.desk.language else "")
        super().open_desk(desk)

    def _retirable(self, entry: object) -> None:
        self.remove_button.setEnabled(isinstance(entry, DeskEntry) and not entry.retired)


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
