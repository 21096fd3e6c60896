"""Inputs for coded answers (app/domain/codes.py): a combo box for one answer, a grid of
check boxes for several. They hold codes, show labels, and name themselves for screen
readers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QWidget

from app.domain.codes import Coded
from app.i18n import labelled

E = TypeVar("E", bound=Coded)


class CodeCombo(QComboBox, Generic[E]):
    def __init__(
        self,
        enum: type[E],
        accessible_name: str,
        empty_label: str | None = None,
        members: Iterable[E] | None = None,
    ) -> None:
        super().__init__()
        self._enum = enum
        if empty_label is not None:
            self.addItem(empty_label, "")
        for member in enum if members is None else members:
            self.addItem(member.label, member.value)
        self.setAccessibleName(accessible_name)

    def value(self) -> E | None:
        code = self.currentData()
        return self._enum(code) if code else None

    def set_value(self, value: E | str | None) -> None:
        self.setCurrentIndex(max(0, self.findData(str(value) if value else "")))


class CodeChecks(QWidget, Generic[E]):
    changed = Signal()

    def __init__(self, enum: type[E], accessible_name: str, columns: int = 3) -> None:
        super().__init__()
        self.setAccessibleName(accessible_name)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[E, QCheckBox] = {}
        for index, member in enumerate(enum):
            box = QCheckBox(member.label)
            box.setAccessibleName(labelled(accessible_name, member.label))
            box.toggled.connect(self.changed)
            layout.addWidget(box, index // columns, index % columns)
            self.boxes[member] = box

    def value(self) -> frozenset[E]:
        return frozenset(member for member, box in self.boxes.items() if box.isChecked())

    def set_value(self, values: Iterable[E | str]) -> None:
        chosen = {str(v) for v in values}
        for member, box in self.boxes.items():
            box.setChecked(member.value in chosen)

    def first_box(self) -> QCheckBox:
        return next(iter(self.boxes.values()))

    def last_box(self) -> QCheckBox:
        return list(self.boxes.values())[-1]
