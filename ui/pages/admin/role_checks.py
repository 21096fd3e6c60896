"""The roles of an account, one box each, read and shown as the set of roles ticked."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QCheckBox, QGridLayout, QWidget

from app.domain.roles import Role


class RoleChecks(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.boxes = {role: QCheckBox(role.label) for role in Role}
        # Two by two: the four fit beside a form's labels.
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for number, box in enumerate(self.boxes.values()):
            layout.addWidget(box, number // 2, number % 2)

    def value(self) -> frozenset[Role]:
        return frozenset(role for role, box in self.boxes.items() if box.isChecked())

    def set_value(self, roles: Iterable[Role | str]) -> None:
        # Codes from a draft as well as roles: a code no role has is passed over.
        chosen = {str(role) for role in roles}
        for role, box in self.boxes.items():
            box.setChecked(role.value in chosen)
