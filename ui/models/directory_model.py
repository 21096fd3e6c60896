"""The services found in the directory, best first: the first rows of the search, then more
as the list is scrolled to its end (Qt's fetchMore)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.domain.directory import DirectoryEntry, DirectoryHit, Verification
from app.domain.phone_format import belgian_display
from app.i18n import _, current_language

Index = QModelIndex | QPersistentModelIndex


class DirectoryModel(QAbstractTableModel):
    NAME, KIND, PHONE, OPEN, NOTE = range(5)
    ENTRY_ROLE = Qt.ItemDataRole.UserRole

    def __init__(self, fetch_more: Callable[[int], None] | None = None) -> None:
        super().__init__()
        self._hits: tuple[DirectoryHit, ...] = ()
        self._total = 0
        self._fetch_more = fetch_more
        self._asked: int | None = None
        #: raised by every new search: rows asked for an older one are not added
        self.generation = 0

    def set_hits(self, hits: tuple[DirectoryHit, ...], total: int | None = None) -> None:
        self.beginResetModel()
        self._hits = hits
        self._total = len(hits) if total is None else total
        self._asked = None
        self.generation += 1
        self.endResetModel()

    def add_hits(self, generation: int, offset: int, hits: tuple[DirectoryHit, ...]) -> None:
        """The next rows, as asked by `fetchMore` (ignored if the list changed meanwhile)."""
        if generation != self.generation or offset != len(self._hits) or not hits:
            return
        self.beginInsertRows(QModelIndex(), len(self._hits), len(self._hits) + len(hits) - 1)
        self._hits += hits
        self.endInsertRows()
        self._asked = None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or self._fetch_more is None:
            return False
        return len(self._hits) < self._total and self._asked != len(self._hits)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent) and self._fetch_more is not None:
            self._asked = len(self._hits)
            self._fetch_more(len(self._hits))

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
            return belgian_display(entry.phone)
        if column == self.OPEN:
            if entry.hours.unknown:
                return ""
            return _("open") if hit.open_now else _("closed")
        return _("to verify") if entry.verification is Verification.TO_VERIFY else ""
