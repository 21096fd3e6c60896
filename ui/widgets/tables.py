"""Read-only tables of rows, one selected at a time, named for screen readers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem


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


def fit_columns(table: QTableWidget, widest: int = 200) -> None:
    """After the rows are in: each column as wide as its contents, at most `widest` pixels
    (longer texts are elided; the whole text is in the form beside), the last one taking
    what is left. Keeps every column of a wide table in view."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    table.resizeColumnsToContents()
    for column in range(table.columnCount() - 1):
        header.resizeSection(column, min(header.sectionSize(column), widest))
