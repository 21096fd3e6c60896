"""Cases: find a case by its code or a pseudonym while typing, filter by status and date,
open it. Pseudonyms are hidden until asked for (someone may be looking at the screen)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
)

from app.domain.cases import CaseQuery, CaseRow
from app.domain.codes import CaseStatus
from app.i18n import _, ngettext
from app.services import cases
from app.services.intake import CASE_ROLES
from app.services.open_desk import OpenDesk
from ui import tasks
from ui.models.case_list_model import CaseListModel
from ui.pages.base import Page
from ui.widgets.coded import CodeCombo
from ui.widgets.dates import DateEdit, date_edit

SEARCH_DELAY_MS = 150
NO_DATE = QDate(2000, 1, 1)


class CaseListPage(Page):
    open_case = Signal(str)

    def __init__(self) -> None:
        super().__init__("cases", _("Cases"), CASE_ROLES)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Case code or pseudonym"))
        self.search.setAccessibleName(_("Search cases"))
        self.search.setClearButtonEnabled(True)
        self.status = CodeCombo(CaseStatus, _("Status"), empty_label=_("Any status"))
        self.opened_from = self._date_edit(_("Opened from"))
        self.opened_to = self._date_edit(_("Opened until"))
        self.show_names = QCheckBox(_("Show pseudonyms"))
        self.show_names.setAccessibleName(_("Show pseudonyms"))
        self.count = QLabel()
        self.count.setAccessibleName(_("Number of cases found"))

        self.model = CaseListModel(self._fetch_rows)
        self.table = _cases_table(self.model)
        self.table.activated.connect(self._activated)
        self._lay_out()
        self._delay = QTimer(self)
        self._connect()

    def _lay_out(self) -> None:
        # The search box never narrower than what it says it takes; the filters on a row of
        # their own, or at 1024 pixels the search box was cut to "Code du do…".
        self.search.setMinimumWidth(
            self.search.fontMetrics().horizontalAdvance(self.search.placeholderText() + "0000") + 24
        )
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.show_names)
        filters = QHBoxLayout()
        filters.addWidget(self.status)
        filters.addWidget(QLabel(_("Opened from")))
        filters.addWidget(self.opened_from)
        filters.addWidget(QLabel(_("until")))
        filters.addWidget(self.opened_to)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addLayout(filters)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)

    def _connect(self) -> None:
        self._delay.setSingleShot(True)
        self._delay.setInterval(SEARCH_DELAY_MS)
        self._delay.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._delay.start)
        self.search.returnPressed.connect(self._open_first)
        self.status.currentIndexChanged.connect(self.refresh)
        self.opened_from.dateChanged.connect(self.refresh)
        self.opened_to.dateChanged.connect(self.refresh)
        self.show_names.toggled.connect(self.model.set_show_names)

    def _date_edit(self, name: str) -> DateEdit:
        edit = date_edit(name)
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(_("any date"))
        edit.setDate(NO_DATE)
        return edit

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        if self.isVisible():  # else read as it comes into view (shown)
            self.refresh()

    def shown(self) -> None:
        # Each time it comes into view: a case opened at intake meanwhile is in it.
        if self.isVisible():
            self.refresh()

    def query(self) -> CaseQuery:
        return CaseQuery(
            text=self.search.text(),
            status=self.status.value(),
            opened_from=_day(self.opened_from),
            opened_to=_day(self.opened_to),
        )

    def refresh(self) -> None:
        desk = self.desk
        if desk is None:
            return
        query = self.query()
        tasks.run(
            self,
            lambda: cases.find_case_ids(desk, query),
            self._show_ids,
            busy_cursor=False,
        )

    def _show_ids(self, ids: list[str]) -> None:
        if self.desk is None:
            return
        self.model.set_ids(ids)
        self.count.setText(
            ngettext("{count} case", "{count} cases", len(ids)).format(count=len(ids))
        )

    def _fetch_rows(self, ids: list[str], deliver: Callable[[list[CaseRow]], None]) -> None:
        desk = self.desk
        if desk is None:
            return
        tasks.run(self, lambda: cases.case_rows(desk, ids), deliver, busy_cursor=False)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_case.emit(self.model.case_id(index.row()))

    def _open_first(self) -> None:
        if self.model.rowCount() == 1:
            self.open_case.emit(self.model.case_id(0))
        elif self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def clear(self) -> None:
        super().clear()
        self._delay.stop()
        self.model.set_ids([])
        self.search.clear()
        self.show_names.setChecked(False)
        self.count.clear()

    def draft(self) -> dict[str, object]:
        return {"search": self.search.text()} if self.search.text() else {}

    def restore(self, draft: dict[str, object]) -> None:
        if isinstance(draft.get("search"), str):
            self.search.setText(str(draft["search"]))


def _day(edit: DateEdit) -> date | None:
    return None if edit.date() == NO_DATE else edit.day()


def _cases_table(model: CaseListModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(_("Cases found"))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column, width in ((0, 130), (1, 180), (2, 50), (3, 90), (4, 100), (5, 70), (6, 70)):
        # Never narrower than its title, whatever the language (the rows are not
        # measured: with 200 000 of them that would take seconds).
        table.setColumnWidth(column, max(width, header.sectionSizeHint(column)))
    return table
