"""Where the cursor was, said so that a window built again the same way finds the same
field: the position of each widget among its parent's widgets, from the window down.

A draft keeps it, so that after a lock or a crash the person types on where they were."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget


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


def focused_path(root: QWidget) -> list[int]:
    """The path of the field that had the cursor last inside `root`: still known once the
    quick exit has moved the cursor to the sign-in screen."""
    return path_of(root, root.focusWidget() or QApplication.focusWidget())


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


def put_focus_back(root: QWidget, path: object) -> None:
    widget = widget_at(root, path)
    if widget is not None and widget.isEnabled() and widget.focusPolicy():
        widget.setFocus()


def _children(parent: QWidget) -> list[QWidget]:
    return [child for child in parent.children() if isinstance(child, QWidget)]
