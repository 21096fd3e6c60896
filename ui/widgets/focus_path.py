"""Where the cursor was, said so that a window built again the same way finds the same
field: the position of each widget among its parent's widgets, from the window down, and
the place of the cursor in the text typed there.

A draft keeps it, so that after a lock or a crash the person types on where they were."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QTabWidget,
    QWidget,
)


def path_of(root: QWidget, widget: QWidget | None) -> list[int]:
    """The path from `root` to `widget`; empty when `widget` is not inside `root`."""
    path: list[int] = []
    while widget is not None and widget is not root:
        parent = widget.parentWidget()
        if parent is None:
            return []
        path.append(_children(parent).index(widget))
        widget = parent
    return list(reversed(path)) if widget is root else []


def widget_at(root: QWidget, path: object) -> QWidget | None:
    """The widget at `path` (as `path_of` gave it, read back from a draft), if still there."""
    if not isinstance(path, list) or not path:
        return None
    widget = root
    for index in path:
        children = _children(widget)
        if not isinstance(index, int) or not 0 <= index < len(children):
            return None
        widget = children[index]
    return widget


def where(root: QWidget) -> dict[str, Any]:
    """The field inside `root` that had the cursor last, and the cursor's place in its text:
    still known once the quick exit has moved the cursor to the sign-in screen."""
    widget = root.focusWidget() or QApplication.focusWidget()
    path = path_of(root, widget)
    if not path:
        return {}
    if isinstance(widget, QLineEdit):
        return {"path": path, "cursor": widget.cursorPosition()}
    if isinstance(widget, QPlainTextEdit):
        return {"path": path, "cursor": widget.textCursor().position()}
    return {"path": path}


def put_back(root: QWidget, kept: object) -> None:
    """The cursor where `where` found it (its tab shown first)."""
    if not isinstance(kept, dict):
        return
    widget = widget_at(root, kept.get("path"))
    if widget is None or not widget.isEnabled() or not widget.focusPolicy():
        return
    _bring_into_view(root, widget)
    widget.setFocus()
    cursor = kept.get("cursor")
    if not isinstance(cursor, int) or isinstance(cursor, bool):
        return
    if isinstance(widget, QLineEdit):
        widget.setCursorPosition(max(0, min(cursor, len(widget.text()))))
    elif isinstance(widget, QPlainTextEdit):
        moved = widget.textCursor()
        moved.setPosition(max(0, min(cursor, len(widget.toPlainText()))))
        widget.setTextCursor(moved)


def _bring_into_view(root: QWidget, widget: QWidget) -> None:
    """Show the tab (or stacked page) holding `widget`: a hidden field takes no cursor."""
    child = widget
    parent = widget.parentWidget()
    while parent is not None and child is not root:
        if isinstance(parent, QStackedWidget):
            tabs = parent.parentWidget()
            # A tab widget's pages are in a stack of its own: asked to the tab widget, its
            # tab follows.
            (tabs if isinstance(tabs, QTabWidget) else parent).setCurrentWidget(child)
        child, parent = parent, parent.parentWidget()


def _children(parent: QWidget) -> list[QWidget]:
    if isinstance(parent, QStackedWidget):
        # By their place in the stack: showing one raises it, which reorders the children.
        return [page for index in range(parent.count()) if (page := parent.widget(index))]
    return [child for child in parent.children() if isinstance(child, QWidget)]
