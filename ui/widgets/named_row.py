"""A row of a form whose label is also what a screen reader calls the input (tests/ui/user.py
finds inputs by that name too)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QWidget


def add_named_row(form: QFormLayout, label: str, widget: QWidget) -> None:
    """Add `widget` to `form` under `label`, which is also its accessible name (unless it
    has a name of its own)."""
    if not widget.accessibleName():
        widget.setAccessibleName(label)
    form.addRow(label, widget)
