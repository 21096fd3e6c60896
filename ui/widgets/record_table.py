"""A read-only table of records over a real model: sorted by a click on a header, one record
chosen at a time, and chosen again by its id whatever the order shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from ui.models.record_model import Column, RecordModel, SortRole
from ui.models.rows_model import Row


class RecordTable(QTableView, Generic[Row]):
    def __init__(self, columns: list[Column[Row]], id_of: Callable[[Row], str], name: str) -> None:
        super().__init__()
        self.records: RecordModel[Row] = RecordModel(columns, id_of)
        self._sorted = QSortFilterProxyModel(self)
        self._sorted.setSourceModel(self.records)
        self._sorted.setSortRole(SortRole)
        self._sorted.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setModel(self._sorted)
        self.setAccessibleName(name)
        # The service's order (the desk's own first, the latest first…) until a header is
        # clicked.
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._sorted.modelReset.connect(self._fit)

    def chosen(self) -> Row | None:
        index = self.currentIndex()
        if not self.selectionModel().hasSelection() or not index.isValid():
            return None
        return self.records.row_at(self._sorted.mapToSource(index))

    def chosen_id(self) -> str | None:
        row = self.chosen()
        return None if row is None else self.records.id_of(row)

    def rows(self) -> list[Row]:
        return [self.records.row(number) for number in range(self.records.rowCount())]

    def select(self, record_id: str) -> bool:
        """Select the record `record_id`; False if it is not listed."""
        number = self.records.number_of(record_id)
        if number is None:
            return False
        index = self._sorted.mapFromSource(self.records.index(number, 0))
        self.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(index)
        return True

    def _fit(self, widest: int = 200) -> None:
        """Each column as wide as its contents, at most `widest` pixels (the whole text is in
        the form beside and in the tooltip) but never narrower than its header, the last one
        taking what is left."""
        self.resizeColumnsToContents()
        header = self.horizontalHeader()
        for column in range(header.count() - 1):
            fitted = min(header.sectionSize(column), widest)
            header.resizeSection(column, max(fitted, header.sectionSizeHint(column)))
        self._keep_the_last_header_whole()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._keep_the_last_header_whole()

    def _keep_the_last_header_whole(self) -> None:
        """The last column takes the room the others leave, but never less than its header
        needs: the table scrolls sideways instead (a screen that sets its own column modes
        decides this itself)."""
        header = self.horizontalHeader()
        last = header.count() - 1
        if last < 0 or header.sectionResizeMode(last) != QHeaderView.ResizeMode.Interactive:
            return
        others = sum(header.sectionSize(column) for column in range(last))
        whole = header.sectionSizeHint(last)
        fits = self.viewport().width() - others >= whole
        header.setStretchLastSection(fits)
        if not fits:
            header.resizeSection(last, whole)
