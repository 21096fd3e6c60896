"""Add or edit a directory entry (coordinator, admin). Every field is checked by the same
rules as an entry from a pack; a refusal is shown at its field and nothing is saved."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.domain.areas import PROVINCE_LABELS, REGION_LABELS, Area, Province, Region
from app.domain.codes import ContactLanguage, ServiceType
from app.domain.directory import (
    LANGUAGES,
    SPOKEN,
    DirectoryEntry,
    Hours,
    Origin,
    Verification,
    checked_hours,
    day_slots_text,
    parse_day_slots,
)
from app.domain.phone_format import belgian_display
from app.i18n import _, weekday_names
from ui.dialogs.saving_dialog import SavingDialog
from ui.widgets.coded import CodeCombo


def _checks(items: list[tuple[str, str]], columns: int) -> tuple[QWidget, dict[str, QCheckBox]]:
    box = QWidget()
    grid = QGridLayout(box)
    grid.setContentsMargins(0, 0, 0, 0)
    checks: dict[str, QCheckBox] = {}
    for index, (code, label) in enumerate(items):
        check = QCheckBox(label)
        grid.addWidget(check, index // columns, index % columns)
        checks[code] = check
    return box, checks


# What the window's frame and title bar add to a dialog's height, about.
TITLE_BAR = 40


def size_on_screen(wanted: QSize, parent: QWidget | None) -> QSize:
    """`wanted`, or less where the screen is smaller: 720 pixels of form were taller than
    a 1024 x 768 screen's room under a task bar. The form scrolls inside."""
    screen = parent.screen() if parent is not None else QGuiApplication.primaryScreen()
    return wanted.boundedTo(screen.availableGeometry().size() - QSize(0, TITLE_BAR))


class DirectoryEntryDialog(SavingDialog[object]):
    draft_kind = "directory_entry"

    def __init__(
        self,
        entry: DirectoryEntry | None,
        save: Callable[[DirectoryEntry], object],
        parent: QWidget | None,
    ) -> None:
        super().__init__(_("New directory entry") if entry is None else _("Edit the entry"), parent)
        self.resize(size_on_screen(QSize(760, 720), parent))
        self._entry = entry
        self._save = save
        self.key = QLineEdit()
        self.key.setPlaceholderText(_("e.g. maison-des-femmes (never changes)"))
        self.kind = CodeCombo(ServiceType, _("Kind of service"))
        self.names = {code: QLineEdit() for code in LANGUAGES}
        self.descriptions = {code: QPlainTextEdit() for code in LANGUAGES}
        self.keywords = {code: QLineEdit() for code in LANGUAGES}
        self.phone = QLineEdit()
        self.other_phones = QLineEdit()
        self.website = QLineEdit()
        self.email = QLineEdit()
        self.always_open = QCheckBox(_("Open day and night, every day (24/7)"))
        self.days = [QLineEdit() for _day in range(7)]
        self.languages_box, self.languages = _checks(
            [(code, ContactLanguage(code).label) for code in SPOKEN], 5
        )
        self.national = QCheckBox(_("The whole country"))
        self.regions_box, self.regions = _checks(
            [(r.value, _(REGION_LABELS[r])) for r in Region], 2
        )
        self.provinces_box, self.provinces = _checks(
            [(p.value, _(PROVINCE_LABELS[p])) for p in Province], 3
        )
        self.municipalities = QLineEdit()
        self.municipalities.setPlaceholderText(_("NIS codes separated by commas, e.g. 21013"))
        self.address = QLineEdit()
        self.confidential = QCheckBox(_("Confidential address (shelter): never shown or printed"))
        self.sources = QPlainTextEdit()
        self.verified = QCheckBox(_("Checked against the live source (otherwise: to verify)"))
        self.local = QCheckBox(_("Only for this desk (not sent in directory packs)"))

        form = QFormLayout()
        self.fields.add_row(form, "key", _("Key"), self.key, error=True)
        self.fields.add_row(form, "service_type", _("Kind of service"), self.kind, error=True)
        self._per_language(form, "names", _("Name"), self.names)
        self._per_language(form, "descriptions", _("What it does"), self.descriptions)
        self._per_language(form, "keywords", _("Keywords (commas)"), self.keywords)
        self.fields.add_row(form, "phone", _("Phone"), self.phone, error=True)
        self.fields.add_row(form, "other_phones", _("Other numbers"), self.other_phones, error=True)
        self.fields.add_row(form, "website", _("Website"), self.website, error=True)
        self.fields.add_row(form, "email", _("E-mail"), self.email, error=True)
        form.addRow("", self.always_open)
        self.always_open.toggled.connect(self._always_open)
        for day, (name, edit) in enumerate(zip(weekday_names(), self.days, strict=True)):
            edit.setPlaceholderText(_("closed, or 09:00-12:00, 13:00-17:00"))
            self.fields.add_row(form, f"hours_{day}", name, edit, error=True)
        self.fields.add_row(form, "hours", "", QLabel(), error=True)
        self.fields.add_row(
            form, "languages", _("Languages spoken"), self.languages_box, error=True
        )
        area = QWidget()
        area_layout = QVBoxLayout(area)
        area_layout.setContentsMargins(0, 0, 0, 0)
        for part in (self.national, self.regions_box, self.provinces_box, self.municipalities):
            area_layout.addWidget(part)
        self.fields.add_row(form, "area", _("Area served"), area, error=True)
        self.fields.add_row(form, "address", _("Address"), self.address, error=True)
        form.addRow("", self.confidential)
        self.fields.add_row(form, "sources", _("Sources (one per line)"), self.sources, error=True)
        self.fields.add_row(form, "verification", _("Verification"), self.verified, error=True)
        form.addRow("", self.local)

        body = QWidget()
        body.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        if entry is not None:
            self.show_entry(entry)

    def draft_context(self) -> dict[str, Any]:
        return {"entry_key": None if self._entry is None else self._entry.key}

    def _always_open(self, on: bool) -> None:
        for day in self.days:
            day.setDisabled(on)

    def _per_language(
        self, form: QFormLayout, key: str, label: str, edits: Mapping[str, QWidget]
    ) -> None:
        """One line per language under the label, each tagged with its language."""
        rows = QWidget()
        grid = QGridLayout(rows)
        grid.setContentsMargins(0, 0, 0, 0)
        for line, (code, edit) in enumerate(edits.items()):
            edit.setAccessibleName(f"{label} ({code.upper()})")
            if isinstance(edit, QPlainTextEdit):
                edit.setFixedHeight(54)
                edit.setTabChangesFocus(True)
            grid.addWidget(QLabel(code.upper()), line, 0)
            grid.addWidget(edit, line, 1)
        self.fields.add_row(form, key, label, rows, error=True)

    def show_entry(self, entry: DirectoryEntry) -> None:
        self.key.setText(entry.key)
        self.key.setReadOnly(True)
        self.kind.set_value(entry.service_type)
        for code in LANGUAGES:
            self.names[code].setText(entry.names.get(code, ""))
            self.descriptions[code].setPlainText(entry.descriptions.get(code, ""))
            self.keywords[code].setText(", ".join(entry.keywords.get(code, ())))
            for line in (self.names[code], self.keywords[code]):
                line.setCursorPosition(0)  # show the start of a long text, not its end
        self.phone.setText(belgian_display(entry.phone))
        self.other_phones.setText(", ".join(belgian_display(p) for p in entry.other_phones))
        self.website.setText(entry.website)
        self.email.setText(entry.email)
        self.always_open.setChecked(entry.hours.always_open)
        for day, edit in enumerate(self.days):
            edit.setText(day_slots_text(entry.hours, day))
        for code, check in self.languages.items():
            check.setChecked(code in entry.languages)
        self.national.setChecked(entry.area.national)
        for code, check in self.regions.items():
            check.setChecked(code in entry.area.regions)
        for code, check in self.provinces.items():
            check.setChecked(code in entry.area.provinces)
        self.municipalities.setText(", ".join(sorted(entry.area.municipalities)))
        self.address.setText(entry.address)
        self.confidential.setChecked(entry.confidential_address)
        self.sources.setPlainText("\n".join(entry.sources))
        self.verified.setChecked(entry.verification is Verification.VERIFIED)
        self.local.setChecked(entry.origin is Origin.LOCAL)

    def entry(self) -> DirectoryEntry:
        """The entry as typed; raises `ValidationError` at the first field in error (the
        save checks everything again, as for a pack)."""
        if self.always_open.isChecked():
            hours = Hours(always_open=True)
        else:
            slots = tuple(
                s for day, e in enumerate(self.days) for s in parse_day_slots(e.text(), day)
            )
            hours = checked_hours(Hours(slots=slots))
        base = self._entry
        typed = DirectoryEntry(
            key=self.key.text().strip(),
            service_type=self.kind.value() or ServiceType.OTHER,
            names={c: e.text() for c, e in self.names.items() if e.text().strip()},
            descriptions={
                c: e.toPlainText() for c, e in self.descriptions.items() if e.toPlainText().strip()
            },
            keywords={
                c: tuple(w.strip() for w in e.text().split(",") if w.strip())
                for c, e in self.keywords.items()
                if e.text().strip()
            },
            # Saved as printed: a number edited here reads the same on every screen and sheet.
            phone=belgian_display(self.phone.text().strip()),
            other_phones=tuple(
                belgian_display(p.strip()) for p in self.other_phones.text().split(",") if p.strip()
            ),
            website=self.website.text().strip(),
            email=self.email.text().strip(),
            hours=hours,
            hours_note=base.hours_note if base else {},
            languages=tuple(c for c, check in self.languages.items() if check.isChecked()),
            area=Area(
                national=self.national.isChecked(),
                regions=frozenset(Region(c) for c, k in self.regions.items() if k.isChecked()),
                provinces=frozenset(
                    Province(c) for c, k in self.provinces.items() if k.isChecked()
                ),
                municipalities=frozenset(re.findall(r"[0-9A-Za-z]+", self.municipalities.text())),
            ),
            address=self.address.text(),
            confidential_address=self.confidential.isChecked(),
            sources=tuple(
                line.strip() for line in self.sources.toPlainText().splitlines() if line.strip()
            ),
            last_verified=base.last_verified if base else clock.today(),
            verification=Verification.VERIFIED
            if self.verified.isChecked()
            else Verification.TO_VERIFY,
            origin=Origin.LOCAL if self.local.isChecked() else Origin.NETWORK,
            retired=base.retired if base else False,
        )
        return typed

    def saving(self) -> Callable[[], object]:
        typed, save = self.entry(), self._save
        return lambda: save(typed)
