"""Find the partner service to refer someone to while typing, with filters, and its details
(phone to copy, hours, languages, address unless confidential, source)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.codes import ContactLanguage, ServiceType
from app.domain.directory import SPOKEN, DirectoryEntry, DirectoryQuery, DirectoryResults, dialable
from app.domain.municipalities import sorted_for
from app.domain.phone_format import belgian_display
from app.i18n import _, current_language
from app.services import directory
from app.services.open_desk import OpenDesk
from ui import clipboard_care, tasks
from ui.models.directory_model import DirectoryModel
from ui.pages.directory.details import details_html
from ui.pages.directory.searching import delayed, found_text, search_line
from ui.widgets.coded import CodeCombo
from ui.widgets.tables import ColumnsByPriority

NAME_LETTERS = 38
KIND_WIDTH = 170
MUNICIPALITY_LETTERS = 26  # "Saint-Gilles / Sint-Gillis", whole


class SearchTab(QWidget):
    #: record a referral to this service on the case that is open
    refer = Signal(object)
    #: print a referral slip for this service (its directory key)
    print_slip = Signal(str)
    #: edit this entry (its directory key), for those who keep the directory
    edit = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.desk: OpenDesk | None = None
        self.search = search_line()
        self._filters()
        self.count = QLabel()
        self.count.setAccessibleName(_("Number of services found"))
        self.model = DirectoryModel(self._fetch_more, self.refresh)
        self.table = self._table()
        self._details()
        self._lay_out()
        self._delay = delayed(self, self.refresh)
        self.search.textChanged.connect(self._delay.start)
        self.search.returnPressed.connect(self._first)
        for combo in (self.kind, self.serving, self.language):
            combo.currentIndexChanged.connect(self.refresh)
        for box in (self.open_now, self.always_open):
            box.toggled.connect(self.refresh)
        self._show_entry(None)

    def _filters(self) -> None:
        self.kind = CodeCombo(ServiceType, _("Kind of service"), empty_label=_("Any kind"))
        self.serving = QComboBox()
        self.serving.setAccessibleName(_("Municipality served"))
        self.serving.addItem(_("Any municipality"), None)
        for place in sorted_for(current_language()):
            self.serving.addItem(place.name(current_language()), place.nis_code)
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language spoken"))
        self.language.addItem(_("Any language"), None)
        for code in SPOKEN:
            self.language.addItem(ContactLanguage(code).label, code)
        for combo in (self.kind, self.serving, self.language):
            # Sized to a short text, not the longest name in the list (which opens wide).
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
        # A Brussels municipality is named in both languages ("Schaerbeek / Schaarbeek"):
        # room for such a name once chosen, the row's width for the longest ones.
        self.serving.setMinimumContentsLength(MUNICIPALITY_LETTERS)
        self.open_now = QCheckBox(_("Open now"))
        self.always_open = QCheckBox(_("24/7 only"))

    def _details(self) -> None:
        self.details = QLabel(_("Choose a service to see its details."))
        self.details.setWordWrap(True)
        self.details.setOpenExternalLinks(False)
        self.details.setAccessibleName(_("Details of the service"))
        self.details.setMinimumWidth(320)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.copy_button = QPushButton(_("Copy the number"))
        self.refer_button = QPushButton(_("Record a referral on the open case…"))
        self.slip_button = QPushButton(_("Print a referral slip…"))
        self.edit_button = QPushButton(_("Edit…"))
        self.copy_button.clicked.connect(self.copy_number)
        self.refer_button.clicked.connect(self._refer)
        self.slip_button.clicked.connect(lambda: self._with_key(self.print_slip.emit))
        self.edit_button.clicked.connect(lambda: self._with_key(self.edit.emit))

    def _table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setAccessibleName(_("Services found"))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        # The name is what people read: it keeps room for about 38 letters (whole names
        # wrap onto a second line) and the other columns give way, the least needed first:
        # a number is never shown without the note saying it is still to verify.
        self.columns = ColumnsByPriority(
            table,
            DirectoryModel.NAME,
            table.fontMetrics().averageCharWidth() * NAME_LETTERS,
            (DirectoryModel.PHONE, DirectoryModel.NOTE, DirectoryModel.OPEN, DirectoryModel.KIND),
            widest=KIND_WIDTH,
        )
        # Best first until a column is clicked; a third click on it gives that order back.
        header = table.horizontalHeader()
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        table.selectionModel().selectionChanged.connect(self._selected)
        return table

    def _lay_out(self) -> None:
        details_box = QWidget()
        details_layout = QVBoxLayout(details_box)
        # A long entry scrolls under its buttons, which stay in sight: its last lines (the
        # sources) are never cut at a small window.
        details_scroll = QScrollArea()
        details_scroll.setWidget(self.details)
        details_scroll.setWidgetResizable(True)
        details_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        details_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        details_layout.addWidget(details_scroll, 1)
        for button in (self.copy_button, self.refer_button, self.slip_button, self.edit_button):
            details_layout.addWidget(button)
        filters = QHBoxLayout()
        filters.addWidget(self.kind, 1)
        filters.addWidget(self.serving, 2)
        filters.addWidget(self.language)
        # The boxes to tick beside the count: the lists keep the filters' row to themselves.
        count_row = QHBoxLayout()
        count_row.addWidget(self.count, 1)
        count_row.addWidget(self.open_now)
        count_row.addWidget(self.always_open)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(details_box)
        # The list takes what a wide window adds: the details read well at their least width.
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addLayout(count_row)
        layout.addWidget(splitter, 1)

    # -- search -------------------------------------------------------------------------

    def open_desk(self, desk: OpenDesk, *, may_refer: bool, may_edit: bool) -> None:
        self.desk = desk
        self.refer_button.setVisible(may_refer)
        self.edit_button.setVisible(may_edit)
        self.refresh()

    def query(self) -> DirectoryQuery:
        return DirectoryQuery(
            text=self.search.text(),
            service_type=self.kind.value(),
            municipality=self.serving.currentData(),
            language=self.language.currentData(),
            open_now=self.open_now.isChecked(),
            always_open_only=self.always_open.isChecked(),
        )

    def refresh(self) -> None:
        desk = self.desk
        if desk is None:
            return
        query = self.query()
        limit = directory.ALL if self.model.sorted_on_a_column else directory.SHOWN
        tasks.run(
            self, lambda: directory.search(desk, query, limit=limit), self._show, busy_cursor=False
        )

    def _show(self, results: DirectoryResults) -> None:
        if self.desk is None:
            return
        shown = self.selected()
        self.model.set_hits(results.hits, results.total)
        self.count.setText(found_text(results))
        keys_shown = [hit.entry.key for hit in results.hits]
        if shown is not None and shown.key in keys_shown:
            self.table.selectRow(keys_shown.index(shown.key))
        elif results.hits:
            self.table.selectRow(0)
        else:
            self._show_entry(None)

    def _fetch_more(self, offset: int) -> None:
        desk = self.desk
        if desk is None:
            return
        query, generation = self.query(), self.model.generation
        tasks.run(
            self,
            lambda: directory.search(desk, query, offset=offset),
            lambda results: self.model.add_hits(generation, offset, results.hits),
            busy_cursor=False,
        )

    def _first(self) -> None:
        if self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def selected(self) -> DirectoryEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def _selected(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._show_entry(self.selected())

    # -- details ------------------------------------------------------------------------

    def _show_entry(self, entry: DirectoryEntry | None) -> None:
        for button in (self.copy_button, self.refer_button, self.slip_button, self.edit_button):
            button.setEnabled(entry is not None)
        if entry is None:
            self.details.setText(_("Choose a service to see its details."))
            return
        self.copy_button.setEnabled(bool(entry.phone))
        self.slip_button.setEnabled(not entry.retired)
        self.details.setText(details_html(entry))

    def copy_number(self) -> None:
        entry = self.selected()
        if entry is not None and entry.phone:
            clipboard_care.care().copy(dialable(entry.phone))
            self.count.setText(
                _("Number copied: {phone} (cleared from the clipboard in 30 seconds)").format(
                    phone=belgian_display(entry.phone)
                )
            )

    def _refer(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.refer.emit(entry)

    def _with_key(self, action: Callable[[str], object]) -> None:
        entry = self.selected()
        if entry is not None:
            action(entry.key)

    def clear(self) -> None:
        self.desk = None
        self._delay.stop()
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.model.set_hits(())
        self.search.clear()
        self.count.clear()
        self._show_entry(None)
