"""Read-only tables of rows, one selected at a time, named for screen readers, and columns
that give way to the one people read first when the window is narrow."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
)


def read_only_table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def cell(text: str, data: object = None, number: bool = False) -> QTableWidgetItem:
    """A cell showing `text`, keeping `data` (an id) for the row; numbers align right."""
    item = QTableWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, data)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def chosen_id(table: QTableWidget) -> str | None:
    """The id kept in the first cell of the selected row."""
    selected = table.selectedItems()
    item = table.item(selected[0].row(), 0) if selected else None
    return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))


def set_row(table: QTableWidget, row: int, items: list[QTableWidgetItem]) -> None:
    for column, item in enumerate(items):
        table.setItem(row, column, item)


class ColumnsByPriority(QObject):
    """Keeps the column people read first (`first`, stretched) at least `least` pixels wide
    in a table as narrow as it gets: the other columns, in the order of `priority`, are
    shown only while there is room for them beside it, each at most `widest` pixels (its
    text wraps). Rows are as tall as their wrapped text, so nothing is cut."""

    def __init__(
        self, table: QTableView, first: int, least: int, priority: Sequence[int], widest: int
    ) -> None:
        super().__init__(table)
        self._table = table
        self._first = first
        self._least = least
        self._priority = tuple(priority)
        self._widest = widest
        table.setWordWrap(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(first, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.viewport().installEventFilter(self)
        model = table.model()
        for signal in (model.modelReset, model.rowsInserted, model.layoutChanged):
            signal.connect(self.fit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        table, header = self._table, self._table.horizontalHeader()
        left = table.viewport().width() - self._least
        for column in self._priority:
            width = min(
                max(header.sectionSizeHint(column), table.sizeHintForColumn(column)),
                self._widest,
            )
            shown = width <= left
            table.setColumnHidden(column, not shown)
            if shown:
                header.resizeSection(column, width)
                left -= width
