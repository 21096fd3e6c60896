"""What a page shows that belongs to whoever is signed in: what was typed in its fields,
chosen in its lists, ticked, selected, which tab is open and how far it was scrolled.

Captured once, as the page was built and before anyone signed in, and put back when the
desk locks: the next person, whoever it is, finds the page as it first was, not a
colleague's filter or search. The same person gets their unsaved input back from their
drafts (app/services/drafts.py), which are kept per account.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from ui.widgets.dates import DateField


@dataclass(frozen=True)
class ScreenState:
    """How to put each input of a page back as it was captured."""

    put_back: tuple[Callable[[], None], ...]

    def restore(self) -> None:
        for action in self.put_back:
            action()


def capture(root: QWidget) -> ScreenState:
    actions: list[Callable[[], None]] = []
    for widget in root.findChildren(QWidget):
        if not part_of_another_input(widget):
            actions.extend(_put_back(widget))
    return ScreenState(tuple(actions))


def _put_back(widget: QWidget) -> list[Callable[[], None]]:
    """The actions that put `widget` back as it is now (several for a scrolled list)."""
    actions: list[Callable[[], None]] = []
    if isinstance(widget, QLineEdit):
        text = widget.text()
        actions.append(lambda: widget.setText(text))
    elif isinstance(widget, QPlainTextEdit):
        plain = widget.toPlainText()
        actions.append(lambda: widget.setPlainText(plain))
    elif isinstance(widget, QTextEdit):
        html = widget.toHtml()
        actions.append(lambda: widget.setHtml(html))
    elif isinstance(widget, QComboBox):
        index = widget.currentIndex()
        actions.append(lambda: _choose(widget, index))
    elif isinstance(widget, QAbstractButton) and widget.isCheckable():
        checked = widget.isChecked()
        actions.append(lambda: widget.setChecked(checked))
    elif isinstance(widget, DateField):
        typed = widget.text()
        actions.append(lambda: widget.put_back(typed))
    elif isinstance(widget, QSpinBox):
        whole = widget.value()
        actions.append(lambda: widget.setValue(whole))
    elif isinstance(widget, QDoubleSpinBox):
        number = widget.value()
        actions.append(lambda: widget.setValue(number))
    elif isinstance(widget, QTabWidget):
        tab = widget.currentIndex()
        actions.append(lambda: widget.setCurrentIndex(tab))
    if isinstance(widget, QAbstractItemView):
        actions.append(widget.clearSelection)
    if isinstance(widget, QAbstractScrollArea):
        actions.append(lambda: widget.verticalScrollBar().setValue(0))
        actions.append(lambda: widget.horizontalScrollBar().setValue(0))
    return actions


def _choose(combo: QComboBox, index: int) -> None:
    # A list filled only once someone signed in was empty when captured: its first entry.
    combo.setCurrentIndex(index if 0 <= index < combo.count() else min(0, combo.count() - 1))


def part_of_another_input(widget: QWidget) -> bool:
    """The line edit a spin box or date field is made of, the list a drop-down list shows:
    put back with that input."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QAbstractSpinBox, QComboBox, DateField)):
            return True
        parent = parent.parentWidget()
    return False
