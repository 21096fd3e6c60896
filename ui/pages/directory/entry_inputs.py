"""The inputs of a directory entry's form that hold a whole field of the entry (a text per
language, the week's hours, the area served…), read and shown through `value()` and
`set_value()`, so the form binds to `DirectoryEntry` by field name."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Generic, TypeVar

from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.areas import PROVINCE_LABELS, REGION_LABELS, Area, Province, Region
from app.domain.directory import (
    LANGUAGES,
    Hours,
    Source,
    checked_hours,
    day_slots_text,
    parse_day_slots,
    source_from_line,
    source_line,
)
from app.domain.phone_format import belgian_display
from app.i18n import _, weekday_names
from ui.widgets.field_set import FieldSet

Flag = TypeVar("Flag", bound=Enum)


def _grid(parent: QWidget) -> QGridLayout:
    grid = QGridLayout(parent)
    grid.setContentsMargins(0, 0, 0, 0)
    return grid


class PerLanguage(QWidget):
    """One line (or box) per language, each tagged with its language; a language left
    empty is left out. `listed`: words separated by commas."""

    def __init__(self, label: str, *, multiline: bool = False, listed: bool = False) -> None:
        super().__init__()
        self.setAccessibleName(label)
        self._listed = listed
        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        grid = _grid(self)
        for line, code in enumerate(LANGUAGES):
            edit: QLineEdit | QPlainTextEdit
            if multiline:
                edit = QPlainTextEdit()
                edit.setFixedHeight(54)
                edit.setTabChangesFocus(True)
            else:
                edit = QLineEdit()
            edit.setAccessibleName(f"{label} ({code.upper()})")
            grid.addWidget(QLabel(code.upper()), line, 0)
            grid.addWidget(edit, line, 1)
            self.edits[code] = edit

    def value(self) -> dict[str, object]:
        typed = {code: _text(edit) for code, edit in self.edits.items()}
        if self._listed:
            return {c: _words(t) for c, t in typed.items() if t.strip()}
        return {c: t for c, t in typed.items() if t.strip()}

    def set_value(self, value: Mapping[str, str | tuple[str, ...]]) -> None:
        for code, edit in self.edits.items():
            given = value.get(code, "")
            text = given if isinstance(given, str) else ", ".join(given)
            if isinstance(edit, QLineEdit):
                edit.setText(text)
                edit.setCursorPosition(0)  # the start of a long text, not its end
            else:
                edit.setPlainText(text)


def _text(edit: QLineEdit | QPlainTextEdit) -> str:
    return edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(",") if word.strip())


class PhoneLine(QLineEdit):
    """A number, shown and saved the way it is printed: edited here, it reads the same on
    every screen and sheet."""

    def value(self) -> str:
        return belgian_display(self.text().strip())

    def set_value(self, value: str) -> None:
        self.setText(belgian_display(value))


class PhonesLine(QLineEdit):
    """Other numbers, separated by commas, each as printed."""

    def value(self) -> tuple[str, ...]:
        return tuple(belgian_display(phone) for phone in _words(self.text()))

    def set_value(self, value: Iterable[str]) -> None:
        self.setText(", ".join(belgian_display(phone) for phone in value))


class SourcesBox(QPlainTextEdit):
    """One source per line: its web address, then the date its page shows, if any."""

    def value(self) -> tuple[Source, ...]:
        lines = self.toPlainText().splitlines()
        return tuple(source_from_line(line) for line in lines if line.strip())

    def set_value(self, value: Iterable[Source]) -> None:
        self.setPlainText("\n".join(source_line(source) for source in value))


class FlagBox(QCheckBox, Generic[Flag]):
    """A box ticked for one value of a two-valued code, unticked for the other."""

    def __init__(self, text: str, ticked: Flag, unticked: Flag) -> None:
        super().__init__(text)
        self._ticked, self._unticked = ticked, unticked

    def value(self) -> Flag:
        return self._ticked if self.isChecked() else self._unticked

    def set_value(self, value: Flag) -> None:
        self.setChecked(value == self._ticked)


class Ticks(QWidget):
    """A box to tick per code, in columns; the codes ticked, in the order offered."""

    def __init__(self, items: list[tuple[str, str]], columns: int) -> None:
        super().__init__()
        grid = _grid(self)
        self.boxes: dict[str, QCheckBox] = {}
        for index, (code, label) in enumerate(items):
            box = QCheckBox(label)
            grid.addWidget(box, index // columns, index % columns)
            self.boxes[code] = box

    def value(self) -> tuple[str, ...]:
        return tuple(code for code, box in self.boxes.items() if box.isChecked())

    def set_value(self, value: Iterable[str]) -> None:
        chosen = {str(code) for code in value}
        for code, box in self.boxes.items():
            box.setChecked(code in chosen)


class AreaInput(QWidget):
    """The area served: the whole country, regions, provinces, municipalities by NIS code."""

    def __init__(self) -> None:
        super().__init__()
        self.national = QCheckBox(_("The whole country"))
        self.regions = Ticks([(r.value, _(REGION_LABELS[r])) for r in Region], 2)
        self.provinces = Ticks([(p.value, _(PROVINCE_LABELS[p])) for p in Province], 2)
        self.municipalities = QLineEdit()
        self.municipalities.setPlaceholderText(_("NIS codes separated by commas, e.g. 21013"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for part in (self.national, self.regions, self.provinces, self.municipalities):
            layout.addWidget(part)

    def value(self) -> Area:
        return Area(
            national=self.national.isChecked(),
            regions=frozenset(Region(code) for code in self.regions.value()),
            provinces=frozenset(Province(code) for code in self.provinces.value()),
            municipalities=frozenset(re.findall(r"[0-9A-Za-z]+", self.municipalities.text())),
        )

    def set_value(self, value: Area) -> None:
        self.national.setChecked(value.national)
        self.regions.set_value(value.regions)
        self.provinces.set_value(value.provinces)
        self.municipalities.setText(", ".join(sorted(value.municipalities)))


class HoursInput(QWidget):
    """Open day and night, or the slots of each day of the week. A day that cannot be read
    is refused under its own line (fields `hours_0` … `hours_6` of `fields`)."""

    def __init__(self, fields: FieldSet) -> None:
        super().__init__()
        self.always_open = QCheckBox(_("Open day and night, every day (24/7)"))
        self.days: list[QLineEdit] = []
        grid = _grid(self)
        grid.addWidget(self.always_open, 0, 0, 1, 2)
        for day, name in enumerate(weekday_names()):
            edit = QLineEdit()
            edit.setPlaceholderText(_("closed, or 09:00-12:00, 13:00-17:00"))
            edit.setAccessibleName(name)
            fields.add(f"hours_{day}", edit)
            grid.addWidget(QLabel(name), 1 + 2 * day, 0)
            grid.addWidget(edit, 1 + 2 * day, 1)
            grid.addWidget(fields.error_label(f"hours_{day}"), 2 + 2 * day, 1)
            self.days.append(edit)
        self.always_open.toggled.connect(self._always_open)

    def _always_open(self, on: bool) -> None:
        for day in self.days:
            day.setDisabled(on)

    def value(self) -> Hours:
        if self.always_open.isChecked():
            return Hours(always_open=True)
        slots = tuple(
            slot for day, edit in enumerate(self.days) for slot in parse_day_slots(edit.text(), day)
        )
        return checked_hours(Hours(slots=slots))

    def set_value(self, value: Hours) -> None:
        self.always_open.setChecked(value.always_open)
        for day, edit in enumerate(self.days):
            edit.setText(day_slots_text(value, day))
