"""The named inputs of a form: bound to a record's dataclass by field name (`show`,
`record`), their values as plain data (for drafts), and an error line under each field that
a `ValidationError` naming it can fill."""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol, TypeVar, runtime_checkable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app.errors import ValidationError
from ui import style, tasks
from ui.style import Tone
from ui.widgets.coded import CodeChecks
from ui.widgets.dates import (
    DateEdit,
    DateField,
    DateRefused,
    DateTimeEdit,
    day_of,
    moment_of,
    qdate,
    qdatetime,
)
from ui.widgets.named_row import add_named_row

Record = TypeVar("Record")


@runtime_checkable
class TypedInput(Protocol):
    """An input that holds a typed value itself (a code, a set of codes, an optional date):
    a record's field is read and shown through these two."""

    def value(self) -> Any: ...

    def set_value(self, value: Any) -> None: ...


class FieldSet:
    def __init__(self) -> None:
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}

    def add(self, key: str, widget: QWidget) -> QWidget:
        self.widgets[key] = widget
        return widget

    def add_row(
        self, form: QFormLayout, key: str, label: str, widget: QWidget, error: bool = False
    ) -> None:
        """Add field `key` to `form` under `label` (also its accessible name unless it has
        one), with an error line under it when a ValidationError can name it."""
        self.add(key, widget)
        add_named_row(form, label, widget)
        if error:
            form.addRow("", self.error_label(key))

    def report(self, parent: QWidget, error: BaseException) -> None:
        """A failed save: a field's error under the field, anything else the usual way. A
        date field says itself what is wrong with its date: the cursor goes there."""
        if isinstance(error, DateRefused) and error.field in self.widgets:
            self.clear_errors()
            self.widgets[error.field].setFocus()
            return
        if isinstance(error, ValidationError) and self.show_error(error.field, str(error)):
            return
        tasks.report_failure(parent, error)

    def error_label(self, key: str) -> QLabel:
        """The (hidden until needed) error line of field `key`, to place under it."""
        label = QLabel()
        style.tone(label, Tone.ERROR)
        label.setWordWrap(True)
        label.hide()
        self.errors[key] = label
        return label

    def show_error(self, key: str, message: str) -> bool:
        """Show `message` under field `key` and focus it; False if there is no such field."""
        self.clear_errors()
        label = self.errors.get(key)
        if label is None:
            return False
        label.setText(message)
        label.show()
        widget = self.widgets.get(key)
        if widget is not None:
            widget.setFocus()
        return True

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def show(self, record: object) -> None:
        """Put each field of `record` (a dataclass) into the input of the same name."""
        assert dataclasses.is_dataclass(record)
        self.clear_errors()
        for item in dataclasses.fields(record):
            widget = self.widgets.get(item.name)
            if widget is not None:
                _show(widget, getattr(record, item.name))

    def record(self, kind: type[Record], **given: Any) -> Record:
        """A `kind` made of the inputs named as its fields, and of `given` for the fields
        the form does not show or reads otherwise (`given` wins over an input of the same
        name, which is then not read). A date that cannot be read is refused under its
        field."""
        names = {item.name for item in dataclasses.fields(kind)}  # type: ignore[arg-type]
        read = names & self.widgets.keys() - given.keys()
        values = {key: _typed(self.widgets[key], key) for key in read}
        return kind(**values, **given)

    def values(self) -> dict[str, Any]:
        return {key: _value(widget) for key, widget in self.widgets.items()}

    def set_values(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            widget = self.widgets.get(key)
            if widget is not None:
                _set_value(widget, value)


def _value(widget: QWidget) -> Any:
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, CodeChecks):
        return sorted(member.value for member in widget.value())
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, DateField):
        return widget.draft()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    raise TypeError(type(widget).__name__)


def _set_value(widget: QWidget, value: Any) -> None:
    if isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(0, widget.findData(value if isinstance(value, str) else "")))
    elif isinstance(widget, CodeChecks):
        widget.set_value(value if isinstance(value, list) else [])
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, DateField):
        widget.restore(str(value))
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value))


def _typed(widget: QWidget, key: str) -> Any:
    try:
        return _typed_value(widget)
    except ValidationError as refused:
        # A date that cannot be read: the refusal names its field.
        refused.field = refused.field or key
        raise


def _typed_value(widget: QWidget) -> Any:
    if isinstance(widget, TypedInput):
        return widget.value()
    if isinstance(widget, DateEdit):
        return day_of(widget)
    if isinstance(widget, DateTimeEdit):
        return moment_of(widget)
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QSpinBox):
        return widget.value()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    raise TypeError(type(widget).__name__)


def _show(widget: QWidget, value: Any) -> None:
    if isinstance(widget, TypedInput):
        widget.set_value(value)
    elif isinstance(widget, DateEdit):
        widget.setDate(qdate(value))
    elif isinstance(widget, DateTimeEdit):
        widget.setDateTime(qdatetime(value))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value))
    elif isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(0, widget.findData(value)))
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value))
    else:
        raise TypeError(type(widget).__name__)
