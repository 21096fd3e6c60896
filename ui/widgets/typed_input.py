"""Everything typed, chosen or ticked in a window, as plain data, and back: how a dialog's
draft keeps the whole input of any dialog, each value under the path of its widget (see
focus_path), so that the same dialog built again takes it back."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from ui.widgets.dates import DateField
from ui.widgets.focus_path import path_of, widget_at


def read(root: QWidget, leave_out: tuple[QWidget, ...] = ()) -> dict[str, Any]:
    """Each input of `root` (but `leave_out`) → its value, keyed by its path."""
    values: dict[str, Any] = {}
    for widget in root.findChildren(QWidget):
        if widget in leave_out or part_of_another_input(widget):
            continue
        value = value_of(widget)
        if value is not None:
            values[key_of(root, widget)] = value
    return values


def write(root: QWidget, values: object) -> None:
    """Put back what `read` gave (from a draft: anything unexpected is passed over)."""
    if not isinstance(values, dict):
        return
    for key, value in values.items():
        widget = widget_at(root, _path(key))
        if widget is not None:
            set_value(widget, value)


def key_of(root: QWidget, widget: QWidget) -> str:
    return ".".join(str(index) for index in path_of(root, widget))


def _path(key: object) -> list[int] | None:
    if not isinstance(key, str):
        return None
    try:
        return [int(part) for part in key.split(".")]
    except ValueError:
        return None


def value_of(widget: QWidget) -> Any:
    """What an input holds, as plain data; None for a widget that is no input."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentIndex()
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return widget.isChecked()
    if isinstance(widget, DateField):
        return widget.text()  # as typed: a date still being corrected comes back so
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.value()
    if isinstance(widget, QListWidget) and _ticks(widget):
        return [n for n in range(widget.count()) if _ticked(widget.item(n))]
    return None


def set_value(widget: QWidget, value: Any) -> None:
    """Put back what `value_of` gave (from a draft: anything unexpected is passed over)."""
    if isinstance(widget, QLineEdit) and isinstance(value, str):
        widget.setText(value)
    elif isinstance(widget, QPlainTextEdit) and isinstance(value, str):
        widget.setPlainText(value)
    elif isinstance(widget, QComboBox) and isinstance(value, int):
        # A list filled later than captured (once someone signed in): its first entry.
        count = widget.count()
        widget.setCurrentIndex(value if 0 <= value < count else min(0, count - 1))
    elif isinstance(widget, QAbstractButton) and isinstance(value, bool):
        widget.setChecked(value)
    elif isinstance(widget, DateField) and isinstance(value, str):
        widget.put_back(value)
    elif isinstance(widget, QSpinBox) and isinstance(value, int) and not isinstance(value, bool):
        widget.setValue(value)
    elif isinstance(widget, QDoubleSpinBox) and isinstance(value, (int, float)):
        widget.setValue(float(value))
    elif isinstance(widget, QListWidget) and isinstance(value, list) and _ticks(widget):
        for n in range(widget.count()):
            state = Qt.CheckState.Checked if n in value else Qt.CheckState.Unchecked
            widget.item(n).setCheckState(state)


def part_of_another_input(widget: QWidget) -> bool:
    """The line edit a spin box or date field is made of, the list a drop-down list shows:
    read and put back with that input."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QAbstractSpinBox, QComboBox, DateField)):
            return True
        parent = parent.parentWidget()
    return False


def _ticks(listing: QListWidget) -> bool:
    """A list whose entries are ticked (who attended), not one to choose from."""
    return any(
        listing.item(n).flags() & Qt.ItemFlag.ItemIsUserCheckable for n in range(listing.count())
    )


def _ticked(item: QListWidgetItem) -> bool:
    return item.checkState() == Qt.CheckState.Checked
