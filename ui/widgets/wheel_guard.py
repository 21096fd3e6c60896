"""The mouse wheel scrolls the page, not the drop-down list or number under the pointer.

Qt gives the wheel to whatever input is under the pointer: scrolling a long form changed a
municipality or a count on the way. Here a drop-down list or spin box takes the wheel only
when it has the keyboard focus (clicked or tabbed into); otherwise the wheel goes to the
scroll area around it. The pages and the dialogs that save are guarded as they are built;
a filter on each guarded input, not on the whole application (called for every event of
every widget, that one slowed the start by half). (The desk's date fields,
ui/widgets/dates.py, leave the wheel alone.)"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)

_GUARDED = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Wheel
            and isinstance(watched, _GUARDED)
            and isinstance(event, QWheelEvent)
            and not watched.hasFocus()
        ):
            _scroll_around(watched, event)
            return True
        return super().eventFilter(watched, event)


def _scroll_around(widget: QWidget, event: QWheelEvent) -> None:
    """Give the wheel to the nearest scroll area holding `widget` (none: it is dropped)."""
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QAbstractScrollArea):
        area = area.parentWidget()
    if area is None:
        return
    viewport = area.viewport()
    position = QPointF(viewport.mapFromGlobal(event.globalPosition().toPoint()))
    QApplication.sendEvent(
        viewport,
        QWheelEvent(
            position,
            event.globalPosition(),
            event.pixelDelta(),
            event.angleDelta(),
            event.buttons(),
            event.modifiers(),
            event.phase(),
            event.inverted(),
        ),
    )


_guard: list[WheelGuard] = []


def guard(root: QWidget) -> None:
    """Guard every drop-down list and spin box inside `root`."""
    if not _guard:
        _guard.append(WheelGuard(QApplication.instance()))
    for widget in root.findChildren(QWidget):
        if isinstance(widget, _GUARDED):
            # A drop-down list takes the focus from the wheel (WheelFocus) before any filter
            # sees the wheel: only a click or Tab gives it.
            if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            widget.installEventFilter(_guard[0])
