"""The case list: all matching ids at once (cheap), rows fetched a page at a time on the
database thread when the view first needs them, so a desk with 200 000 cases opens its
list as fast as one with ten."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.domain.cases import CaseRow
from app.i18n import _, format_date

PAGE_SIZE = 100
MASK = "•••••"
Index = QModelIndex | QPersistentModelIndex
#: fetch(ids, deliver): load the rows of `ids` off the GUI thread, then call deliver(rows)
Fetcher = Callable[[list[str], Callable[[list[CaseRow]], None]], None]


class CaseListModel(QAbstractTableModel):
    CODE, PSEUDONYM, AGE, STATUS, OPENED, CONTACTS, SESSIONS, RECONTACT = range(8)
    ID_ROLE = Qt.ItemDataRole.UserRole

    def __init__(self, fetch: Fetcher) -> None:
        super().__init__()
        self._fetch = fetch
        self._ids: list[str] = []
        self._rows: dict[int, CaseRow] = {}
        self._pending: set[int] = set()
        self._generation = 0
        self.show_names = False

    def set_ids(self, ids: list[str]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._rows.clear()
        self._pending.clear()
        self._generation += 1
        self.endResetModel()

    def set_show_names(self, show: bool) -> None:
        self.show_names = show
        if self._ids:
            self.dataChanged.emit(
                self.index(0, self.PSEUDONYM), self.index(len(self._ids) - 1, self.PSEUDONYM)
            )

    def case_id(self, row: int) -> str:
        return self._ids[row]

    def loaded_row(self, row: int) -> CaseRow | None:
        return self._rows.get(row)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 8

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            _("Case"),
            _("Pseudonym"),
            _("Age"),
            _("Status"),
            _("Opened"),
            _("Contacts"),
            _("Sessions"),
            _("Recontact"),
        )[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == self.ID_ROLE:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        row = self._rows.get(index.row())
        if row is None:
            self._request(index.row())
            return "…" if index.column() == self.CODE else ""
        return self._text(row, index.column())

    def _text(self, row: CaseRow, column: int) -> str:
        if column == self.CODE:
            return row.code
        if column == self.PSEUDONYM:
            if row.pseudonym is None:
                return _("anonymous")
            return row.pseudonym if self.show_names else MASK
        if column == self.AGE:
            return "" if row.age is None else str(row.age)
        if column == self.STATUS:
            return row.status.label
        if column == self.OPENED:
            return format_date(row.opened_at, "short")
        if column == self.CONTACTS:
            return str(row.contacts)
        if column == self.SESSIONS:
            return str(row.sessions)
        return _("Do not recontact") if row.do_not_recontact else ""

    def _request(self, row: int) -> None:
        page = row // PAGE_SIZE
        if page in self._pending:
            return
        self._pending.add(page)
        first = page * PAGE_SIZE
        ids = self._ids[first : first + PAGE_SIZE]
        generation = self._generation

        def deliver(rows: list[CaseRow]) -> None:
            if generation != self._generation:
                return  # the list was searched again meanwhile
            by_id = {r.id: r for r in rows}
            for offset, case_id in enumerate(ids):
                if case_id in by_id:
                    self._rows[first + offset] = by_id[case_id]
            self.dataChanged.emit(
                self.index(first, 0), self.index(first + len(ids) - 1, self.columnCount() - 1)
            )

        self._fetch(ids, deliver)
