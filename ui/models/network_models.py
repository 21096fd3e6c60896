"""The network coordinator's tables: what each imported file did, and the months × desks
received (the revision each desk sent for each month)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont

from app.domain.periods import Month
from app.i18n import _
from app.services.network import ImportResult, Outcome, ReceivedMonth
from ui import style
from ui.models.rows_model import Index, RowsModel
from ui.style import Tone
from ui.widgets.month_picker import month_label

OUTCOME_TONES = {
    Outcome.ACCEPTED: Tone.GOOD,
    Outcome.REPLACED: Tone.LINK,
    Outcome.UNCHANGED: Tone.NOTE,
    Outcome.REFUSED: Tone.ERROR,
}
_ROOT = QModelIndex()


def outcome_label(outcome: Outcome) -> str:
    return {
        Outcome.ACCEPTED: _("accepted"),
        Outcome.REPLACED: _("replaced"),
        Outcome.UNCHANGED: _("unchanged"),
        Outcome.REFUSED: _("refused"),
    }[outcome]


class ImportResultsModel(RowsModel[ImportResult]):
    FILE, RESULT, DETAILS = range(3)

    def __init__(self) -> None:
        super().__init__([_("File"), _("Result"), _("Details")])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        result = self.row_at(index)
        if result is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (result.path.name, outcome_label(result.outcome), result.message)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (str(result.path), None, result.message)[column]
        if column == self.RESULT and role == Qt.ItemDataRole.ForegroundRole:
            return style.colour(OUTCOME_TONES[result.outcome])
        if column == self.RESULT and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None


class ReceivedModel(QAbstractTableModel):
    """A row per month (the latest first), a column per desk: the revision received."""

    def __init__(self) -> None:
        super().__init__()
        self._desks: list[tuple[str, str]] = []
        self._months: list[Month] = []
        self._received: dict[tuple[Month, str], ReceivedMonth] = {}

    def set_received(self, received: list[ReceivedMonth]) -> None:
        self.beginResetModel()
        self._desks = sorted({(r.desk_code, r.desk_name) for r in received})
        self._months = sorted({r.period for r in received}, reverse=True)
        self._received = {(r.period, r.desk_code): r for r in received}
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._months)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() or not self._months else 1 + len(self._desks)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _("Month") if section == 0 else self._desks[section - 1][0]
        if role == Qt.ItemDataRole.ToolTipRole and section > 0:
            return self._desks[section - 1][1]  # the desk's name
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._months):
            return None
        month, column = self._months[index.row()], index.column()
        if column == 0:
            return month_label(month) if role == Qt.ItemDataRole.DisplayRole else None
        found = self._received.get((month, self._desks[column - 1][0]))
        if role == Qt.ItemDataRole.DisplayRole:
            return f"✓ r{found.revision}" if found else "—"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ForegroundRole:
            return style.colour(Tone.GOOD if found else Tone.ERROR)
        return None
