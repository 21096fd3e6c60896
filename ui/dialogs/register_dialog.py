"""The publication register (docs/disclosure-control.md): the publications made under it
and every number they published or withheld, with what anyone can tell of it. It can be
exported as CSV for the data protection officer, and a new register started."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import clock, i18n
from app.domain.disclosure import Level, Method
from app.i18n import _, ngettext
from app.services import publication, publication_register
from app.services.open_desk import OpenDesk
from app.services.publication_register import RegisteredPublication, RegisterView
from ui import prompts, tasks
from ui.models.record_model import Column
from ui.models.register_model import RegisterFilter, RegisterModel
from ui.widgets.record_table import RecordTable

# Table and cell names can be long: a column is at most this wide (the tooltip has it all).
WIDEST_COLUMN = 240


class RegisterDialog(QDialog):
    def __init__(self, desk: OpenDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Publication register"))
        self.desk = desk
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.publications: RecordTable[RegisteredPublication] = RecordTable(
            _publication_columns(),
            lambda made: made.published_at.isoformat(),
            _("Publications of the register"),
        )
        self.publications.setMaximumHeight(150)
        self.model = RegisterModel()
        self.filter = RegisterFilter(self)
        self.filter.setSourceModel(self.model)
        self.numbers = _numbers_table(self.filter)
        self.shown = QLabel()
        self.export_button = QPushButton(_("Export the whole register as CSV…"))
        self.export_button.clicked.connect(self.export)
        self.new_button = QPushButton(_("Start a new register…"))
        self.new_button.clicked.connect(self.start_new)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.new_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addWidget(self.publications)
        layout.addLayout(self._filters())
        layout.addWidget(self.numbers, 1)
        layout.addWidget(self.shown)
        layout.addWidget(buttons)
        self.resize(900, 620)
        self.load()

    def _filters(self) -> QHBoxLayout:
        """Which numbers are shown: by the words of their row, published or withheld."""
        self.words = QLineEdit()
        self.words.setPlaceholderText(_("Filter: month, table, cell or place"))
        self.words.setAccessibleName(_("Filter the numbers"))
        self.words.setClearButtonEnabled(True)
        self.words.textChanged.connect(self._filter)
        self.kind = QComboBox()
        self.kind.setAccessibleName(_("Numbers shown"))
        self.kind.addItem(_("All numbers"), RegisterFilter.ALL)
        self.kind.addItem(_("Withheld numbers"), RegisterFilter.WITHHELD_ONLY)
        self.kind.addItem(_("Published numbers"), RegisterFilter.PUBLISHED_ONLY)
        self.kind.currentIndexChanged.connect(self._filter)
        filters = QHBoxLayout()
        filters.addWidget(self.words, 1)
        filters.addWidget(self.kind)
        return filters

    def load(self) -> None:
        found = publication_register.view(self.desk)
        self._show(found)
        self.model.set_rows([] if found is None else found.numbers)
        self.numbers.resizeColumnsToContents()
        header = self.numbers.horizontalHeader()
        for column in range(self.model.columnCount() - 1):
            header.resizeSection(column, min(header.sectionSize(column), WIDEST_COLUMN))
        self._filter()

    def _show(self, found: RegisterView | None) -> None:
        self.publications.records.set_rows([])
        empty = found is None or not found.publications
        self.export_button.setEnabled(not empty)
        if found is None or empty:
            self.about.setText(
                _(
                    "Nothing published under this register yet. Every publication is "
                    "recorded here and protected together with the ones before it."
                )
            )
            return
        withheld = sum(1 for n in found.numbers if n.value is None)
        self.about.setText(
            ngettext(
                "Register started on {day}: {count} publication, {published} numbers "
                "published and {withheld} withheld. Each new publication is protected "
                "together with it. Cells and values only: no person is in it.",
                "Register started on {day}: {count} publications, {published} numbers "
                "published and {withheld} withheld. Each new publication is protected "
                "together with all of them. Cells and values only: no person is in it.",
                len(found.publications),
            ).format(
                day=i18n.format_date(clock.local_day(found.started_at)),
                count=len(found.publications),
                published=len(found.numbers) - withheld,
                withheld=withheld,
            )
        )
        self.publications.records.set_rows(list(found.publications))

    def _filter(self) -> None:
        self.filter.set_kind(int(self.kind.currentData()))
        self.filter.set_words(self.words.text())
        total = self.model.rowCount()
        self.shown.setText(
            ngettext(
                "{shown} of {total} number shown", "{shown} of {total} numbers shown", total
            ).format(shown=self.filter.rowCount(), total=total)
        )

    def export(self) -> None:
        suggested = Path.home() / f"{publication.title_of(self.desk)} register.csv"
        target = prompts.choose_file_to_save(self, _("Export the register"), suggested, "*.csv")
        if target is None:
            return
        desk = self.desk
        tasks.run_replacing(
            self,
            lambda replace: publication_register.export(desk, target, replace=replace),
            lambda _done: prompts.show_info(
                self, _("Register written: {path}").format(path=target)
            ),
        )

    def start_new(self) -> None:
        if not prompts.confirm(
            self,
            _(
                "Start a new register? Later publications will be protected together with "
                "each other only. What was published before is still out there: publishing "
                "the same months again, at another level or with other choices, could then "
                "give withheld numbers away. Start a new register for new periods (a new "
                "year), or after a revision a desk sent for months already published."
            ),
            _("Start a new register"),
        ):
            return
        publication_register.start_new(self.desk)
        self.load()


def _numbers_table(numbers: RegisterFilter) -> QTableView:
    table = QTableView()
    table.setModel(numbers)
    table.setAccessibleName(_("Numbers of the register"))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _months(made: RegisteredPublication) -> str:
    return made.first if made.first == made.last else f"{made.first} – {made.last}"


def _protection(made: RegisteredPublication) -> str:
    if made.method is Method.ROUND5:
        return _("rounded to 5")
    return _("suppression, k = {k}").format(k=made.k)


def _publication_columns() -> list[Column[RegisteredPublication]]:
    return [
        Column(
            _("Published on"),
            lambda made: i18n.format_datetime(made.published_at, "short"),
            sort=lambda made: made.published_at.timestamp(),
        ),
        Column(_("By"), lambda made: made.published_by),
        Column(_("Months"), _months, sort=lambda made: (made.first, made.last)),
        Column(
            _("Level"),
            lambda made: _("Network") if made.level is Level.NETWORK else _("Municipalities"),
        ),
        Column(_("Protection"), _protection),
        Column(_("Format"), lambda made: made.format),
    ]
