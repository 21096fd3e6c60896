"""The services found in the directory, best first: the first rows of the search, then more
as the list is scrolled to its end (Qt's fetchMore). Sorted on a column, it holds every
service found and orders them the way the language of the screen sorts words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from app.domain.directory import DirectoryEntry, DirectoryHit, Verification, dialable
from app.domain.phone_format import belgian_display
from app.i18n import _, current_language

Index = QModelIndex | QPersistentModelIndex


class DirectoryModel(QAbstractTableModel):
    NAME, KIND, PHONE, OPEN, NOTE = range(5)
    ENTRY_ROLE = Qt.ItemDataRole.UserRole

    def __init__(
        self,
        fetch_more: Callable[[int], None] | None = None,
        fetch_all: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self._best_first: tuple[DirectoryHit, ...] = ()
        self._hits: tuple[DirectoryHit, ...] = ()
        self._total = 0
        self._fetch_more = fetch_more
        self._fetch_all = fetch_all
        self._asked: int | None = None
        self._sorted_on: tuple[int, Qt.SortOrder] | None = None
        #: raised by every new search: rows asked for an older one are not added
        self.generation = 0

    @property
    def sorted_on_a_column(self) -> bool:
        """Sorted on a column rather than best first: the search must bring every row."""
        return self._sorted_on is not None

    def set_hits(self, hits: tuple[DirectoryHit, ...], total: int | None = None) -> None:
        self.beginResetModel()
        self._best_first = hits
        self._hits = self._ordered(hits)
        self._total = len(hits) if total is None else total
        self._asked = None
        self.generation += 1
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """On `column` (-1: best first again). Only the rows at hand can be sorted: when
        some are still to come, the whole list is asked for and sorted as it comes."""
        self._sorted_on = (column, order) if 0 <= column < self.columnCount() else None
        if self._sorted_on is not None and self._fetch_all is not None:
            if len(self._best_first) < self._total:
                self._fetch_all()
                return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        keys = [self._hits[index.row()].entry.key for index in before]
        self._hits = self._ordered(self._best_first)
        row_of = {hit.entry.key: row for row, hit in enumerate(self._hits)}
        self.changePersistentIndexList(
            before,
            [
                self.index(row_of[key], index.column())
                for key, index in zip(keys, before, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def _ordered(self, hits: tuple[DirectoryHit, ...]) -> tuple[DirectoryHit, ...]:
        if self._sorted_on is None:
            return hits
        column, order = self._sorted_on
        texts = [self._text(hit, column) for hit in hits]
        collator = QCollator(QLocale(current_language()))
        # Numbers in names by value (Awel 102 before Hulplijn 1712), but phone numbers
        # digit by digit (02 …, 0478 …, 0800 …, 101).
        collator.setNumericMode(column != self.PHONE)
        keys = [collator.sortKey(dialable(t) if column == self.PHONE else t) for t in texts]
        # Stable: rows that sort alike stay best first; rows without a value go last.
        filled = sorted(
            (i for i, text in enumerate(texts) if text),
            key=lambda i: keys[i],
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        return tuple(hits[i] for i in (*filled, *(i for i, text in enumerate(texts) if not text)))

    def add_hits(self, generation: int, offset: int, hits: tuple[DirectoryHit, ...]) -> None:
        """The next rows, as asked by `fetchMore` (ignored if the list changed meanwhile)."""
        if generation != self.generation or offset != len(self._hits) or not hits:
            return
        self.beginInsertRows(QModelIndex(), len(self._hits), len(self._hits) + len(hits) - 1)
        self._best_first += hits
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
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (self.NAME, self.KIND):
            # The whole name and its kind, which narrow windows leave out of the table.
            return f"{hit.entry.name(current_language())}\n{hit.entry.service_type.label}"
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        return self._text(hit, index.column())

    @classmethod
    def _text(cls, hit: DirectoryHit, column: int) -> str:
        entry = hit.entry
        if column == cls.NAME:
            return entry.name(current_language())
        if column == cls.KIND:
            return entry.service_type.label
        if column == cls.PHONE:
            return belgian_display(entry.phone)
        if column == cls.OPEN:
            if entry.hours.unknown:
                return ""
            return _("open") if hit.open_now else _("closed")
        return _("to verify") if entry.verification is Verification.TO_VERIFY else ""
