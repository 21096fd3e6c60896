"""The numbers of the publication register, one row each, with a filter on the words of a
row and on whether it was published or withheld."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt

from app.domain.publication import WITHHELD
from app.i18n import _
from app.services.publication_register import RegisteredNumber
from ui.models.rows_model import Index, RowsModel


class RegisterModel(RowsModel[RegisteredNumber]):
    MONTH, TABLE, CELL, PLACE, PUBLISHED, TOLD, K = range(7)

    def __init__(self) -> None:
        super().__init__(
            [
                _("Month"),
                _("Table"),
                _("Cell"),
                _("Place"),
                _("Published"),
                _("Anyone can tell"),
                _("k"),
            ],
            {
                self.TOLD: _(
                    "What anyone can work out from everything published under this "
                    "register: the value, or the interval a rounded number leaves open; — "
                    "for a withheld number, which the audit proved cannot be shown to be small"
                ),
                self.K: _("The threshold a withheld number was withheld under"),
            },
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        number = self.row_at(index)
        if number is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._display(number, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= self.PUBLISHED:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def _display(self, number: RegisteredNumber, column: int) -> str:
        if column == self.MONTH:
            return number.period
        if column == self.TABLE:
            return number.table
        if column == self.CELL:
            return number.cell
        if column == self.PLACE:
            return number.place
        if column == self.PUBLISHED:
            return WITHHELD if number.value is None else str(number.value)
        if column == self.TOLD:
            if number.low is None or number.high is None:
                return "—"  # withheld: the audit proved it cannot be shown to be small
            if number.low == number.high:
                return str(number.low)
            return _("{low} to {high}").format(low=number.low, high=number.high)
        return "" if number.k is None else str(number.k)


class RegisterFilter(QSortFilterProxyModel):
    """Rows whose words contain every word typed, of the kind chosen (all, withheld or
    published)."""

    ALL, WITHHELD_ONLY, PUBLISHED_ONLY = range(3)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._kind = self.ALL

    def set_words(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange()

    def set_kind(self, kind: int) -> None:
        self.beginFilterChange()
        self._kind = kind
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, RegisterModel)
        number = model.row(source_row)
        if self._kind == self.WITHHELD_ONLY and number.value is not None:
            return False
        if self._kind == self.PUBLISHED_ONLY and number.value is None:
            return False
        text = " ".join((number.period, number.table, number.cell, number.place)).casefold()
        return all(word in text for word in self._words)
