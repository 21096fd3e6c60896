"""The mouse wheel scrolls the page, not the drop-down list or number under the pointer.

Qt gives the wheel to whatever input is under the pointer: scrolling a long form changed a
municipality or a count on the way. Here a drop-down list or spin box takes the wheel only
when it has the keyboard focus (clicked or tabbed into); otherwise the wheel goes to the
scroll area around it. One filter on the application does it for every screen. (The desk's
date fields, ui/widgets/dates.py, leave the wheel alone.)"""

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
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, _GUARDED):
            # A drop-down list takes the focus from the wheel (WheelFocus) before any filter
            # sees the wheel: only a click or Tab gives it.
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif (
            kind == QEvent.Type.Wheel
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


def install(application: QApplication) -> WheelGuard:
    """Guard every drop-down list and spin box of `application` from now on."""
    guard = WheelGuard(application)
    application.installEventFilter(guard)
    return guard
