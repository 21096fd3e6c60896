"""The roles of an account, one box each, read and shown as the set of roles ticked."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from app.domain.roles import Role


class RoleChecks(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.boxes = {role: QCheckBox(role.label) for role in Role}
        # One under the other: the form stays narrow and the list of accounts wide.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for box in self.boxes.values():
            layout.addWidget(box, 0, Qt.AlignmentFlag.AlignLeft)

    def value(self) -> frozenset[Role]:
        return frozenset(role for role, box in self.boxes.items() if box.isChecked())

    def set_value(self, roles: Iterable[Role | str]) -> None:
        # Codes from a draft as well as roles: a code no role has is passed over.
        chosen = {str(role) for role in roles}
        for role, box in self.boxes.items():
            box.setChecked(role.value in chosen)
