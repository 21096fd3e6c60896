"""The services found in the directory, best first (at most a screenful or two: the search
ranks, the model only shows)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.domain.directory import DirectoryEntry, DirectoryHit, Verification
from app.i18n import _, current_language

Index = QModelIndex | QPersistentModelIndex


class DirectoryModel(QAbstractTableModel):
    NAME, KIND, PHONE, OPEN, NOTE = range(5)
    ENTRY_ROLE = Qt.ItemDataRole.UserRole

    def __init__(self) -> None:
        super().__init__()
        self._hits: tuple[DirectoryHit, ...] = ()

    def set_hits(self, hits: tuple[DirectoryHit, ...]) -> None:
        self.beginResetModel()
        self._hits = hits
        self.endResetModel()

    def entry(self, row: int) -> DirectoryEntry:
        return self._hits[row].entry

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (_("Service"), _("Kind"), _("Phone"), _("Now"), _("Note"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == self.ENTRY_ROLE:
            return hit.entry
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        entry, column = hit.entry, index.column()
        if column == self.NAME:
            return entry.name(current_language())
        if column == self.KIND:
            return entry.service_type.label
        if column == self.PHONE:
            return entry.phone
        if column == self.OPEN:
            if entry.hours.unknown:
                return ""
            return _("open") if hit.open_now else _("closed")
        return _("to verify") if entry.verification is Verification.TO_VERIFY else ""
