"""One of the desk's numbers (minutes, attempts, days) in a spin box with its own Save
button: the way each such setting is shown on the "Desk and data" tab."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QSpinBox, QWidget

from app.i18n import _
from ui.widgets.side_by_side import side_by_side


class NumberSetting(QWidget):
    #: Save was pressed: the number to store
    save_requested = Signal(int)

    def __init__(
        self, name: str, bounds: tuple[int, int], unit: Callable[[int], str], save_name: str
    ) -> None:
        """`name` and `save_name` are what a screen reader calls the spin box and its
        button; `unit(number)` follows the number ("min", "1 day", "3 attempts")."""
        super().__init__()
        self._unit = unit
        self.spin = QSpinBox()
        self.spin.setRange(*bounds)
        self.spin.valueChanged.connect(self._show_unit)
        self._show_unit(self.spin.value())
        self.spin.setAccessibleName(name)
        self.save_button = QPushButton(_("Save"))
        self.save_button.setAccessibleName(save_name)
        self.save_button.clicked.connect(lambda: self.save_requested.emit(self.spin.value()))
        row = side_by_side(self.spin, self.save_button)
        row.setContentsMargins(0, 0, 0, 0)
        self.setLayout(row)

    def _show_unit(self, number: int) -> None:
        self.spin.setSuffix(" " + self._unit(number))

    def value(self) -> int:
        return self.spin.value()

    def set_value(self, value: int) -> None:
        self.spin.setValue(value)
