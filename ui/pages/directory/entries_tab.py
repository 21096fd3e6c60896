"""The upkeep of the directory (coordinator, admin): the entries, found by what is typed,
beside the form of one; a new entry, an edit, retire and restore, marked verified; and the
Every field is checked by the same rules as an entry from a pack, and a
refusal shows under its field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPushButton

from app.domain.codes import ContactLanguage, ServiceType
from app.domain.directory import (
    SPOKEN,
    DirectoryEntry,
    DirectoryQuery,
    Origin,
    Verification,
    dialable,
)
from app.domain.phone_format import belgian_display
from app.i18n import _, current_language, format_date, pgettext
from app.services import directory
from app.services.open_desk import OpenDesk
from ui import tasks
from ui.models.record_model import Column
from ui.pages.directory.entry_inputs import (
    AreaInput,
    FlagBox,
    HoursInput,
    PerLanguage,
    PhoneLine,
    PhonesLine,
    SourcesBox,
    Ticks,
)
from ui.pages.directory.searching import delayed, found_text, search_line
from ui.widgets.coded import CodeCombo
from ui.widgets.record_editor import RecordEditor, RecordServices, RecordWords

FORM_WIDTH = 520


def _state(entry: DirectoryEntry) -> str:
    if entry.retired:
        # TRANSLATORS: said of one directory entry: no longer offered, but kept.
        return pgettext("directory entry", "retired")
    return _("to verify") if entry.verification is Verification.TO_VERIFY else ""


def _verified_short(entry: DirectoryEntry) -> str:
    """ "17/11/2026, Cora": the day and who, compact for the list."""
    if entry.last_verified is None:
        return ""
    day = format_date(entry.last_verified)
    return f"{day}, {entry.verified_by.short_text()}" if entry.verified_by else day


def _blank() -> DirectoryEntry:
    # A new entry is to verify until checked against its live source.
    return DirectoryEntry(
        key="", service_type=next(iter(ServiceType)), names={}, verification=Verification.TO_VERIFY
    )


def _save(desk: OpenDesk, typed: DirectoryEntry, key: str, /, *, new: bool) -> str:
    """A new entry under the key typed (its form's id names nothing here); an edited one
    keeps what the form does not show (its hours note, whether it is retired). When and by
    whom it was verified is the service's to say, never the form's."""
    if new:
        return directory.save(desk, typed, is_new=True).key
    stored = directory.entry(desk, key)
    edited = replace(typed, key=key, hours_note=stored.hours_note, retired=stored.retired)
    return directory.save(desk, edited, is_new=False).key


def _retire(desk: OpenDesk, key: str) -> object:
    return directory.retire(desk, key)


def _columns() -> list[Column[DirectoryEntry]]:
    return [
        Column(_("Service"), lambda e: e.name(current_language())),
        Column(_("Note"), _state),
        # By the digits: "080 64 37 34" (a Malmedy landline) comes after "0800 30 030".
        Column(_("Phone"), lambda e: belgian_display(e.phone), sort=lambda e: dialable(e.phone)),
        Column(
            _("Last verified"),
            _verified_short,
            sort=lambda e: e.last_verified.toordinal() if e.last_verified else 0,
            tip=DirectoryEntry.verified_text,
        ),
        # Last: it takes what the others leave.
        Column(_("Kind"), lambda e: e.service_type.label),
    ]


def _words() -> RecordWords:
    return RecordWords(
        table=_("Directory entries"),
        new=_("New entry…"),
        save=_("Save the entry"),
        # TRANSLATORS: a button: the entry is no longer offered, but kept and can be
        # restored.
        remove=_("Retire"),
        remove_question=_("Retire this entry? It will no longer be found or printed."),
    )


class EntriesTab(RecordEditor[DirectoryEntry, DirectoryEntry]):
    #: an entry was retired, restored or marked verified
    changed = Signal()

    def __init__(self) -> None:
        super().__init__(
            _columns(),
            lambda entry: entry.key,
            _words(),
            RecordServices(self._load, _save, _retire),
            form_of=lambda entry: entry,
            blank=_blank,
            make=lambda fields: fields.record(DirectoryEntry),
            form_width=FORM_WIDTH,
            scrolled=True,
        )
        self._inputs()
        # The column has margins already: the form's own would push its right edge under
        # the scroll bar where a language's words are long (French, at 1100 px).
        self.form.setContentsMargins(0, 0, 0, 0)
        self._more_buttons()
        self.search_line = search_line()
        self.show_retired = QCheckBox(_("Show retired entries"))
        self.count = QLabel()
        self.count.setAccessibleName(_("Number of services found"))
        self._found = ""
        self._query = DirectoryQuery()
        self.loaded.connect(lambda: self.count.setText(self._found))
        finding = QHBoxLayout()
        finding.addWidget(self.search_line, 1)
        finding.addWidget(self.show_retired)
        self.above_table.insertLayout(0, finding)
        self.above_table.insertWidget(1, self.count)
        self._delay = delayed(self, self.reload)
        self.search_line.textChanged.connect(self._delay.start)
        self.show_retired.toggled.connect(self.reload)

    def _more_buttons(self) -> None:
        self.restore_button = QPushButton(_("Restore"))
        self.restore_button.clicked.connect(self._restore)
        self.verify_button = QPushButton(_("Mark verified today"))
        self.verify_button.clicked.connect(self._mark_verified)
        for position, button in enumerate((self.restore_button, self.verify_button), start=3):
            self.buttons.insertWidget(position, button)
        self.record_shown.connect(self._on_record)
        self._on_record(None)

    def _inputs(self) -> None:
        self.key = QLineEdit()
        self.key.setPlaceholderText(_("e.g. maison-des-femmes (never changes)"))
        self.add_field("key", _("Key"), self.key)
        self.add_field(
            "service_type", _("Kind of service"), CodeCombo(ServiceType, _("Kind of service"))
        )
        self.add_field("names", _("Name"), PerLanguage(_("Name")))
        self.add_field(
            "descriptions", _("What it does"), PerLanguage(_("What it does"), multiline=True)
        )
        self.add_field(
            "keywords", _("Keywords (commas)"), PerLanguage(_("Keywords (commas)"), listed=True)
        )
        self.add_field("phone", _("Phone"), PhoneLine())
        self.add_field("other_phones", _("Other numbers"), PhonesLine())
        self.add_field("website", _("Website"), QLineEdit())
        self.add_field("email", _("E-mail"), QLineEdit())
        self.add_field("hours", _("Opening hours"), HoursInput(self.fields))
        spoken = [(code, ContactLanguage(code).label) for code in SPOKEN]
        self.add_field("languages", _("Languages spoken"), Ticks(spoken, 3))
        self.add_field("area", _("Area served"), AreaInput())
        self.add_field("address", _("Address"), QLineEdit())
        self.add_field(
            "confidential_address",
            "",
            QCheckBox(_("Confidential address (shelter): never shown or printed")),
            error=False,
        )
        self.add_field("sources", _("Sources (one per line: address, date)"), SourcesBox())
        verified = FlagBox(
            _("Checked against the live source (otherwise: to verify)"),
            Verification.VERIFIED,
            Verification.TO_VERIFY,
        )
        self.add_field("verification", _("Verification"), verified)
        # When and by whom: stamped by "Mark verified today", never typed.
        self.verified_line = QLabel()
        self.verified_line.setWordWrap(True)
        self.verified_line.setAccessibleName(_("Last verification"))
        self.form.addRow("", self.verified_line)
        local = FlagBox(
            _("Only for this desk (not sent in directory packs)"), Origin.LOCAL, Origin.NETWORK
        )
        self.add_field("origin", "", local, error=False)

    def clear(self) -> None:
        self._delay.stop()
        self.search_line.clear()
        self.count.clear()
        super().clear()

    def _load(self, desk: OpenDesk) -> list[DirectoryEntry]:
        # Off the GUI thread, with the query read from the inputs when the list was asked
        # for: the same search as reception's, retired entries too if asked, every match
        # up to the search's limit.
        results = directory.search(desk, self._query, limit=directory.ALL)
        self._found = found_text(results)
        return [hit.entry for hit in results.hits]

    def reload(self, select: str | None = None) -> None:
        self._query = DirectoryQuery(
            text=self.search_line.text(), include_retired=self.show_retired.isChecked()
        )
        super().reload(select)

    def show_entry(self, key: str) -> None:
        """List every entry and fill the form with the one of `key`."""
        self.search_line.clear()
        self._delay.stop()
        self.reload(select=key)

    def remove(self) -> None:
        # The Delete key too: a retired entry is restored, not retired again.
        if not self.remove_button.isHidden():
            super().remove()

    def _on_record(self, entry: DirectoryEntry | None) -> None:
        # The key names the entry in packs and referrals: it never changes once saved.
        self.key.setReadOnly(entry is not None)
        retired = entry is not None and entry.retired
        self.remove_button.setVisible(not retired)
        self.restore_button.setVisible(retired)
        self.verify_button.setEnabled(entry is not None and not retired)
        self.verified_line.setText(entry.verified_text() if entry is not None else "")

    def _restore(self) -> None:
        # Restoring is the undo of retiring: nothing to confirm.
        self._change(lambda desk, key: directory.retire(desk, key, False))

    def _mark_verified(self) -> None:
        self._change(directory.mark_verified)

    def _change(self, change: Callable[[OpenDesk, str], DirectoryEntry]) -> None:
        desk, key = self.desk, self.editing
        if desk is not None and key is not None:
            tasks.run(self, lambda: change(desk, key), self._changed)

    def _changed(self, entry: DirectoryEntry) -> None:
        self.reload(entry.key)
        self.changed.emit()
