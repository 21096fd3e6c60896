"""Columns that give way to the one people read first when the window is narrow."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QHeaderView,
    QTableView,
)


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
