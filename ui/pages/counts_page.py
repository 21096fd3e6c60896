"""The monthly export of the desk (docs/counting-rules.md): a month, a preview of exactly
what leaves the building (the file's heading and every table, every number), then the
signed file, encrypted to the network coordinator's key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from app import __version__, clock
from app.domain import counts_document, indicators
from app.domain.monthly_counts import MonthlyCounts
from app.domain.periods import Month
from app.i18n import _
from app.services import counts, counts_export, keys
from app.services.counts_export import Exported
from app.services.keys import Recipient
from app.services.open_desk import OpenDesk
from ui import key_trust, prompts, style, tasks
from ui.pages.base import Page
from ui.style import Tone
from ui.widgets.month_picker import MonthPicker, month_label

MONTHS_BACK = 36


class CountsPage(Page):
    def __init__(self) -> None:
        super().__init__("counts", _("Monthly counts"), counts.COUNTS_ROLES)
        self.month = MonthPicker(_("Month to export"))
        self.month.currentIndexChanged.connect(self.reload)
        self.recipient = QLabel()
        self.recipient.setWordWrap(True)
        self.recipient.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recipient_button = QPushButton(_("Set the recipient…"))
        self.recipient_button.setToolTip(
            _("Import the network coordinator's public key file (or their age public key).")
        )
        self.recipient_button.clicked.connect(self.choose_recipient)
        self.own_key_button = QPushButton(_("Save this desk's public key…"))
        self.own_key_button.clicked.connect(self.save_own_key)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.preview = _preview()
        self.export_button = QPushButton(_("Export the file…"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self._lay_out()
        self._counts: MonthlyCounts | None = None
        self._recipient: Recipient | None = None

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Month")))
        top.addWidget(self.month)
        top.addStretch(1)
        top.addWidget(self.own_key_button)
        recipient_row = QHBoxLayout()
        recipient_row.addWidget(self.recipient, 1)
        recipient_row.addWidget(self.recipient_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.result, 1)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(recipient_row)
        layout.addWidget(self.heading)
        layout.addWidget(self.preview, 1)
        layout.addLayout(bottom)

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        this_month = Month.of(clock.today())
        self.month.set_months(this_month.shifted(-MONTHS_BACK), this_month, this_month.previous())

    def clear(self) -> None:
        super().clear()
        self._counts = None
        self._recipient = None
        self.preview.clear()
        self.heading.clear()
        self.recipient.clear()
        self.result.clear()

    def shown(self) -> None:
        # Each preview is recorded in the audit log as a view: only when someone looks.
        self.reload()

    def reload(self) -> None:
        if not self.isVisible():
            return
        desk, month = self.desk, self.month.month()
        if desk is None or month is None:
            return
        self.result.clear()

        def load() -> tuple[MonthlyCounts, Recipient | None]:
            return counts.month_counts(desk, month), keys.recipient(desk)

        tasks.run(self, load, self._loaded)

    def _loaded(self, loaded: tuple[MonthlyCounts, Recipient | None]) -> None:
        self._counts, self._recipient = loaded
        self._show_recipient()
        counted = self._counts
        self.heading.setText(
            _(
                "The file {name} will hold: desk {code} ({desk}), municipality {nis}, month "
                "{month}, counts schema {schema}, Havre {version}; the export's number, "
                "revision and time, this desk's public key and the head of its audit log; "
                "and the numbers below — nothing else. It is signed with this desk's key and "
                "can only be opened by the recipient."
            ).format(
                name=counts_document.file_name(counted.desk_code, counted.period),
                code=counted.desk_code,
                desk=counted.desk_name,
                nis=counted.nis_code,
                month=month_label(counted.period),
                schema=indicators.SCHEMA_VERSION,
                version=__version__,
            )
        )
        self.preview.clear()
        for element in indicators.ELEMENTS:
            total = counted.total(element)
            shown_total = str(total) if element.has_total or not element.dimensions else ""
            parent = QTreeWidgetItem([element.label, shown_total])
            parent.setToolTip(0, element.code)
            font = parent.font(0)
            font.setBold(True)
            parent.setFont(0, font)
            parent.setFont(1, font)
            parent.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            self.preview.addTopLevelItem(parent)
            if element.dimensions:
                for combo in element.combo_codes:
                    value = counted.values[element.code][combo]
                    child = QTreeWidgetItem([element.combo_label(combo), str(value)])
                    child.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
                    if value == 0:
                        child.setForeground(0, style.colour(Tone.NOTE))
                        child.setForeground(1, style.colour(Tone.NOTE))
                    parent.addChild(child)
            parent.setExpanded(bool(total) and len(element.combos) <= 16)
        if counted.is_empty:
            self.result.setText(
                _("Nothing was recorded in {month}: the file will say so with zeros.").format(
                    month=month_label(counted.period)
                )
            )

    def _show_recipient(self) -> None:
        if self._recipient is None:
            self.recipient.setText(
                _("No recipient yet: set the network coordinator's key before exporting.")
            )
            style.tone(self.recipient, Tone.WARNING)
        else:
            self.recipient.setText(
                _("Encrypted to: {name} · {key}").format(
                    name=self._recipient.name, key=self._recipient.age_recipient
                )
            )
            style.tone(self.recipient, None)
        self.export_button.setEnabled(self._recipient is not None)

    def choose_recipient(self) -> None:
        desk = self.desk
        if desk is None:
            return
        path = prompts.choose_file_to_open(
            self,
            _("The network coordinator's public key"),
            Path.home(),
            key_trust.key_file_filter(),
        )
        if path is None:
            return

        def read_and_set() -> Recipient:
            recipient = keys.read_recipient(path)
            keys.set_recipient(desk, recipient)
            return recipient

        def done(recipient: Recipient) -> None:
            self._recipient = recipient
            self._show_recipient()

        tasks.run(self, read_and_set, done)

    def save_own_key(self) -> None:
        desk = self.desk
        if desk is None:
            return
        suggested = Path.home() / f"{desk.desk.code}{keys.PUBLIC_KEY_SUFFIX}"
        target = prompts.choose_file_to_save(
            self, _("This desk's public key"), suggested, key_trust.key_file_filter()
        )
        if target is not None:
            tasks.run_replacing(
                self,
                lambda replace: keys.write_public_key_file(desk, target, replace=replace),
                lambda _r: prompts.show_info(
                    self, _("Public key file written: {path}").format(path=target)
                ),
            )

    def export(self) -> None:
        desk, month = self.desk, self.month.month()
        if desk is None or month is None:
            return
        suggested = Path.home() / counts_export.default_file_name(desk, month)
        target = prompts.choose_file_to_save(
            self, _("Export the monthly counts"), suggested, _("Counts files (*.havre-counts)")
        )
        if target is not None:
            self.export_to(target)

    def export_to(self, target: Path) -> None:
        desk, month = self.desk, self.month.month()
        if desk is None or month is None:
            return
        tasks.run_replacing(
            self,
            lambda replace: counts_export.export_counts(desk, month, target, replace=replace),
            self._exported,
        )

    def _exported(self, exported: Exported) -> None:
        self.result.setText(
            _("Written: {path} (revision {revision}), encrypted to {name}.").format(
                path=exported.path, revision=exported.revision, name=exported.recipient.name
            )
        )
        style.tone(self.result, Tone.GOOD)


def _preview() -> QTreeWidget:
    """Every cell the file will hold, under its table."""
    preview = QTreeWidget()
    preview.setColumnCount(2)
    preview.setHeaderLabels([_("Table and cell"), _("Number")])
    preview.setAccessibleName(_("Everything the file will contain"))
    preview.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    preview.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    preview.setAlternatingRowColors(True)
    return preview
