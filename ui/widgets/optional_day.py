"""A day that may not be known yet: a date field beside a box saying there is none (a stay
still running, an agreement without an end). Its value is the day, or None."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QWidget

from app import clock
from ui.widgets.dates import date_edit, day_of, qdate


class OptionalDay(QWidget):
    def __init__(self, accessible_name: str, none_label: str) -> None:
        super().__init__()
        self.day = date_edit(accessible_name)
        self.none = QCheckBox(none_label)
        self.none.toggled.connect(lambda ticked: self.day.setEnabled(not ticked))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.day)
        layout.addWidget(self.none)
        layout.addStretch(1)
        self.setFocusProxy(self.day)

    def value(self) -> date | None:
        """The day typed (refused if it is none), or None with the box ticked."""
        return None if self.none.isChecked() else day_of(self.day)

    def set_value(self, value: date | None) -> None:
        # Today under a ticked box: the likeliest day once the box is unticked.
        self.day.setDate(qdate(value or clock.today()))
        self.none.setChecked(value is None)
