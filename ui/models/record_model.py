"""A table of records described by its columns: what each column shows, the raw value it
sorts by, and the id of each row, so a view can select a record by id whatever the
order shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic

from PySide6.QtCore import Qt

from ui.models.rows_model import Index, Row, RowsModel

SortRole = Qt.ItemDataRole.UserRole + 2
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column(Generic[Row]):
    header: str
    text: Callable[[Row], str]
    #: the raw value the column sorts by (a date, a number); the text, without case, if None
    sort: Callable[[Row], Any] | None = None
    number: bool = False
    #: what the header means, as its tooltip
    explained: str | None = None
    #: what a cell's tooltip says, when not its whole text (a stored code beside its words)
    tip: Callable[[Row], str] | None = None


class RecordModel(RowsModel[Row], Generic[Row]):
    def __init__(self, columns: list[Column[Row]], id_of: Callable[[Row], str]) -> None:
        explained = {n: c.explained for n, c in enumerate(columns) if c.explained}
        super().__init__([column.header for column in columns], explained)
        self._columns = columns
        self._id_of = id_of

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and column.tip is not None:
            return column.tip(row)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            # The tooltip gives the whole text of a cell elided in a narrow column.
            return column.text(row)
        if role == SortRole:
            return (
                column.text(row).casefold() if column.sort is None else _sortable(column.sort(row))
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column.number:
            return _RIGHT
        return None

    def id_of(self, row: Row) -> str:
        return self._id_of(row)

    def number_of(self, record_id: str) -> int | None:
        """The row number of the record `record_id`, None if it is not listed."""
        for number in range(self.rowCount()):
            if self._id_of(self.row(number)) == record_id:
                return number
        return None


def _sortable(value: Any) -> Any:
    """`value` as Qt compares it: a date or a moment, which Qt would hold as a Python object
    it cannot order, as a number."""
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, date):
        return value.toordinal()
    return value
