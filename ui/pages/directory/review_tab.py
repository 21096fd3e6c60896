"""The entries due for review (coordinator, admin): not verified for twelve months, or never.
Each is opened in the upkeep form, checked against its live source, and marked verified
there; it then leaves this list."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.directory_review import REVIEW_MONTHS, ReviewItem
from app.i18n import _, current_language, format_date, ngettext
from app.services import directory
from app.services.open_desk import OpenDesk
from ui import style, tasks
from ui.models.record_model import Column
from ui.style import Tone
from ui.widgets.record_table import RecordTable

#: sorts an entry never verified before the oldest verification
NEVER = 10_000


def _columns() -> list[Column[ReviewItem]]:
    return [
        Column(_("Service"), lambda item: item.entry.name(current_language())),
        Column(
            _("Last verified"),
            lambda item: (
                format_date(item.entry.last_verified) if item.entry.last_verified else _("never")
            ),
            sort=lambda item: (
                item.entry.last_verified.toordinal() if item.entry.last_verified else 0
            ),
        ),
        Column(
            _("Since"),
            ReviewItem.since_text,
            sort=lambda item: NEVER if item.months is None else item.months,
        ),
        Column(
            _("Verified by"),
            lambda item: item.entry.verified_by.text() if item.entry.verified_by else "",
        ),
        Column(_("Note"), lambda item: _("to verify") if item.entry.to_verify else ""),
    ]


class ReviewTab(QWidget):
    #: open this entry (its directory key) in the upkeep form
    open_entry = Signal(str)
    #: how many entries are due (for the tab's title)
    counted = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.desk: OpenDesk | None = None
        intro = QLabel(
            ngettext(
                "Entries not verified for {count} month, or never: check each against its "
                "live source (call the number, read the website), then mark it verified.",
                "Entries not verified for {count} months, or never: check each against its "
                "live source (call the number, read the website), then mark it verified.",
                REVIEW_MONTHS,
            ).format(count=REVIEW_MONTHS)
        )
        intro.setWordWrap(True)
        style.tone(intro, Tone.NOTE)
        self.count = QLabel()
        self.count.setAccessibleName(_("Number of entries due for review"))
        self.table: RecordTable[ReviewItem] = RecordTable(
            _columns(), lambda item: item.entry.key, _("Entries due for review")
        )
        self.table.doubleClicked.connect(lambda _index: self.open_chosen())
        self.table.activated.connect(self._activated)
        self.open_button = QPushButton(_("Open the entry"))
        self.open_button.clicked.connect(self.open_chosen)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def open_desk(self, desk: OpenDesk) -> None:
        self.desk = desk
        self.reload()

    def reload(self) -> None:
        desk = self.desk
        if desk is None:
            return
        tasks.run(self, lambda: directory.due_for_review(desk), self._show, busy_cursor=False)

    def _show(self, items: list[ReviewItem]) -> None:
        if self.desk is None:
            return
        chosen = self.table.chosen_id()
        self.table.records.set_rows(items)
        if not (chosen and self.table.select(chosen)) and items:
            self.table.selectRow(0)
        self.open_button.setEnabled(bool(items))
        self.count.setText(
            ngettext(
                "{count} entry due for review", "{count} entries due for review", len(items)
            ).format(count=len(items))
            if items
            else _("Every entry was verified in the last twelve months.")
        )
        self.counted.emit(len(items))

    def _activated(self, _index: QModelIndex) -> None:
        # Enter on a row, as a double click.
        self.open_chosen()

    def open_chosen(self) -> None:
        chosen = self.table.chosen_id()
        if chosen is not None:
            self.open_entry.emit(chosen)

    def clear(self) -> None:
        self.desk = None
        self.table.records.set_rows([])
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.count.clear()
