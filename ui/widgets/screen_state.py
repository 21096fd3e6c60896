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
    QAbstractItemView,
    QAbstractScrollArea,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from ui.widgets import typed_input


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
        if not typed_input.part_of_another_input(widget):
            actions.extend(_put_back(widget))
    return ScreenState(tuple(actions))


def _put_back(widget: QWidget) -> list[Callable[[], None]]:
    """The actions that put `widget` back as it is now (several for a scrolled list)."""
    actions: list[Callable[[], None]] = []
    value = typed_input.value_of(widget)
    if value is not None:
        actions.append(lambda: typed_input.set_value(widget, value))
    elif isinstance(widget, QTextEdit):  # a details pane too: a colleague's case shown
        html = widget.toHtml()
        actions.append(lambda: widget.setHtml(html))
    elif isinstance(widget, QTabWidget):
        tab = widget.currentIndex()
        actions.append(lambda: widget.setCurrentIndex(tab))
    if isinstance(widget, QAbstractItemView):
        actions.append(widget.clearSelection)
    if isinstance(widget, QAbstractScrollArea):
        actions.append(lambda: widget.verticalScrollBar().setValue(0))
        actions.append(lambda: widget.horizontalScrollBar().setValue(0))
    return actions
