"""A date that may be left out, such as the end of an open-ended agreement: a date field
and a box that says there is none."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QWidget

from ui.widgets.dates import date_edit, day_of, qdate


class OptionalDate(QWidget):
    def __init__(self, accessible_name: str, none_label: str, day: date) -> None:
        super().__init__()
        self.day = date_edit(accessible_name, day)
        self.none = QCheckBox(none_label)
        self.none.toggled.connect(lambda on: self.day.setEnabled(not on))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.day)
        row.addWidget(self.none)
        row.addStretch(1)  # the box beside the date it is about, not at the far end
        self.setFocusProxy(self.day)

    def value(self) -> date | None:
        """The date typed, or None when there is none; a date that cannot be read is
        refused (DateRefused) only when it counts."""
        return None if self.none.isChecked() else day_of(self.day)

    def set_value(self, value: date | None) -> None:
        self.none.setChecked(value is None)
        if value is not None:
            self.day.setDate(qdate(value))
