"""The network coordinator's page: drop the desks' counts files, see what each file did,
the months × desks received, and charts of the merged numbers (trend per month, split by
municipality, forms of violence, referrals); publish from here."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from app.domain.monthly_counts import MonthlyCounts
from app.i18n import _, ngettext
from app.services import counts, keys, network
from app.services.keys import PublicKeyInfo
from app.services.network import ImportResult, ReceivedMonth
from app.services.open_desk import OpenDesk
from ui import key_trust, prompts, style, tasks
from ui.pages.base import Page
from ui.pages.network.charts import NetworkCharts
from ui.pages.network.received_panel import ReceivedPanel
from ui.style import Tone

CHART_MONTHS = 12
Loaded = tuple[list[ReceivedMonth], list[MonthlyCounts], list[PublicKeyInfo]]


class NetworkPage(Page):
    def __init__(self) -> None:
        super().__init__("network", _("Network"), counts.COUNTS_ROLES)
        self.setAcceptDrops(True)
        self.drop_zone = QLabel(_("Drop the desks' .havre-counts files here"))
        self.drop_zone.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_zone.setMinimumHeight(44)
        style.tone(self.drop_zone, Tone.DROP_ZONE)
        self.import_button = QPushButton(_("Import files…"))
        self.import_button.clicked.connect(self.choose_files)
        self.trust_button = QPushButton(_("Trust a desk's key…"))
        self.trust_button.clicked.connect(self.trust_desk)
        self.publish_button = QPushButton(_("Publish…"))
        self.publish_button.clicked.connect(self.publish)
        self.received = ReceivedPanel()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.charts = NetworkCharts()
        self._lay_out()
        self._received: list[ReceivedMonth] = []

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.drop_zone, 1)
        buttons = QVBoxLayout()
        for button in (self.import_button, self.trust_button, self.publish_button):
            buttons.addWidget(button)
        top.addLayout(buttons)
        right = QVBoxLayout()
        right.addWidget(self.summary)
        right.addWidget(self.charts, 1)
        right_box = QWidget()
        right_box.setLayout(right)
        split = QSplitter()
        split.addWidget(self.received)
        split.addWidget(right_box)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 5)
        split.setSizes([480, 600])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    # -- desk ---------------------------------------------------------------------------

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        self.reload()

    def clear(self) -> None:
        super().clear()
        self._received = []
        self.received.clear()
        self.summary.clear()
        self.charts.clear_charts()

    def shown(self) -> None:
        self.reload()

    def reload(self) -> None:
        if not self.isVisible():
            return
        desk = self.desk
        if desk is None:
            return

        def load() -> Loaded:
            received = network.received_months(desk)
            months = sorted({r.period for r in received})[-CHART_MONTHS:]
            return received, network.desk_counts(desk, months), keys.trusted_keys(desk)

        tasks.run(self, load, self._loaded)

    def _loaded(self, loaded: Loaded) -> None:
        self._received, merged, trusted = loaded
        self.received.show_received(self._received, trusted)
        self.publish_button.setEnabled(bool(self._received))
        months = sorted({c.period for c in merged})
        desks = sorted({r.desk_code for r in self._received})
        self.summary.setText(
            ngettext(
                "{files} file received from {desks} desks; the charts show the last {months} "
                "month.",
                "{files} files received from {desks} desks; the charts show the last {months} "
                "months.",
                len(self._received),
            ).format(files=len(self._received), desks=len(desks), months=len(months))
            if self._received
            else _("No counts file received yet: drop the desks' files above.")
        )
        self.charts.show_counts(merged, months)

    # -- import -------------------------------------------------------------------------

    def choose_files(self) -> None:
        paths = prompts.choose_files_to_open(
            self,
            _("Import counts files"),
            Path.home(),
            _("Counts files (*.havre-counts);;All files (*)"),
        )
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[Path]) -> None:
        desk = self.desk
        if desk is None or not paths:
            return
        tasks.run(self, lambda: network.import_files(desk, paths), self._imported)

    def _imported(self, results: list[ImportResult]) -> None:
        self.received.show_imported(results)
        self.reload()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        event.acceptProposedAction()
        self.import_files(paths)

    def trust_desk(self) -> None:
        if self.desk is not None:
            key_trust.choose_and_trust(self, self.desk, lambda _info: self.reload())

    def publish(self) -> None:
        desk = self.desk
        months = sorted({r.period for r in self._received})
        if desk is None or not months:
            return
        # Loaded on first use: with the report's charts it adds about 0.15 s to the first
        # sign-in of everyone, and only a network coordinator ever publishes.
        from ui.dialogs.publication_dialog import PublicationDialog

        PublicationDialog(desk, months, self).open()
