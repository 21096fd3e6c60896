"""The network coordinator's page: drop the desks' counts files, see what
each file did, the months × desks received, and charts of the merged numbers (trend per
month, split by municipality, forms of violence, referrals); publish from here."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QPainter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import indicators as ind
from app.domain import municipalities
from app.domain.indicators import DataElement
from app.domain.monthly_counts import MonthlyCounts
from app.domain.periods import Month
from app.errors import ValidationError
from app.i18n import _, current_language, ngettext
from app.services import counts, keys, network
from app.services.keys import PublicKeyInfo
from app.services.network import ImportResult, Outcome, ReceivedMonth
from app.services.open_desk import OpenDesk
from ui import key_trust, prompts, style, tasks
from ui.pages.base import Page
from ui.style import Tone
from ui.widgets.month_picker import month_label
from ui.widgets.tables import cell, read_only_table, set_row

OUTCOME_TONES = {
    Outcome.ACCEPTED: Tone.GOOD,
    Outcome.REPLACED: Tone.LINK,
    Outcome.UNCHANGED: Tone.NOTE,
    Outcome.REFUSED: Tone.ERROR,
}
CHART_MONTHS = 12


def outcome_label(outcome: Outcome) -> str:
    return {
        Outcome.ACCEPTED: _("accepted"),
        Outcome.REPLACED: _("replaced"),
        Outcome.UNCHANGED: _("unchanged"),
        Outcome.REFUSED: _("refused"),
    }[outcome]


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
        self.results = read_only_table([_("File"), _("Result"), _("Details")], _("Import results"))
        self.results.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.received = read_only_table([], _("Months and desks received"))
        self.trusted = read_only_table(
            [_("Desk"), _("Name"), _("Fingerprint")], _("Desks whose files are accepted")
        )
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.charts = QTabWidget()
        self.charts.setAccessibleName(_("Charts"))
        self.trend_view = _chart_view()
        self.places_view = _chart_view()
        self.forms_view = _chart_view()
        self.referrals_view = _chart_view()
        self.charts.addTab(self.trend_view, _("Trend per month"))
        self.charts.addTab(self.places_view, _("By municipality"))
        self.charts.addTab(self.forms_view, _("Forms of violence"))
        self.charts.addTab(self.referrals_view, _("Referrals"))

        top = QHBoxLayout()
        top.addWidget(self.drop_zone, 1)
        buttons = QVBoxLayout()
        for button in (self.import_button, self.trust_button, self.publish_button):
            buttons.addWidget(button)
        top.addLayout(buttons)
        left = QVBoxLayout()
        left.addWidget(_heading(_("Last import")))
        left.addWidget(self.results, 1)
        left.addWidget(_heading(_("Received (revision per desk and month)")))
        left.addWidget(self.received, 2)
        left.addWidget(_heading(_("Trusted desks")))
        left.addWidget(self.trusted, 1)
        left_box = QWidget()
        left_box.setLayout(left)
        right = QVBoxLayout()
        right.addWidget(self.summary)
        right.addWidget(self.charts, 1)
        right_box = QWidget()
        right_box.setLayout(right)
        split = QSplitter()
        split.addWidget(left_box)
        split.addWidget(right_box)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 5)
        split.setSizes([480, 600])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self._received: list[ReceivedMonth] = []

    # -- desk ---------------------------------------------------------------------------

    def open_desk(self, desk: OpenDesk) -> None:
        super().open_desk(desk)
        self.reload()

    def clear(self) -> None:
        super().clear()
        self._received = []
        self.results.setRowCount(0)
        self.trusted.setRowCount(0)
        self.received.clear()
        self.received.setRowCount(0)
        self.received.setColumnCount(0)
        self.summary.clear()
        for view in (self.trend_view, self.places_view, self.forms_view, self.referrals_view):
            _replace_chart(view, QChart())

    def shown(self) -> None:
        self.reload()

    def reload(self) -> None:
        if not self.isVisible():
            return
        desk = self.desk
        if desk is None:
            return

        def load() -> tuple[list[ReceivedMonth], list[MonthlyCounts], list[PublicKeyInfo]]:
            received = network.received_months(desk)
            months = sorted({r.period for r in received})[-CHART_MONTHS:]
            return received, network.desk_counts(desk, months), keys.trusted_keys(desk)

        tasks.run(self, load, self._loaded)

    def _loaded(
        self, loaded: tuple[list[ReceivedMonth], list[MonthlyCounts], list[PublicKeyInfo]]
    ) -> None:
        self._received, merged, trusted = loaded
        self.trusted.setRowCount(len(trusted))
        for row, info in enumerate(trusted):
            set_row(
                self.trusted,
                row,
                [cell(info.desk_code), cell(info.desk_name), cell(info.fingerprint)],
            )
        self.publish_button.setEnabled(bool(self._received))
        self._show_received()
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
        _replace_chart(self.trend_view, _trend_chart(merged, months))
        _replace_chart(self.places_view, _places_chart(merged))
        _replace_chart(self.forms_view, _cells_chart(merged, ind.SITUATIONS_FORM))
        _replace_chart(self.referrals_view, _cells_chart(merged, ind.REFERRALS_MADE))

    def _show_received(self) -> None:
        desks = sorted({(r.desk_code, r.desk_name) for r in self._received})
        months = sorted({r.period for r in self._received}, reverse=True)
        table = self.received
        table.clear()
        table.setColumnCount(1 + len(desks))
        table.setHorizontalHeaderLabels([_("Month")] + [code for code, _name in desks])
        for column, (_code, name) in enumerate(desks, start=1):
            header = table.horizontalHeaderItem(column)
            if header is not None:
                header.setToolTip(name)
        table.setRowCount(len(months))
        by_key = {(r.period, r.desk_code): r for r in self._received}
        for row, month in enumerate(months):
            table.setItem(row, 0, QTableWidgetItem(month_label(month)))
            for column, (code, _name) in enumerate(desks, start=1):
                found = by_key.get((month, code))
                item = QTableWidgetItem(f"✓ r{found.revision}" if found else "—")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setForeground(style.colour(Tone.GOOD if found else Tone.ERROR))
                table.setItem(row, column, item)

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
        self.results.setRowCount(len(results))
        for row, result in enumerate(results):
            name = QTableWidgetItem(result.path.name)
            name.setToolTip(str(result.path))
            outcome = QTableWidgetItem(outcome_label(result.outcome))
            outcome.setForeground(style.colour(OUTCOME_TONES[result.outcome]))
            font = outcome.font()
            font.setBold(True)
            outcome.setFont(font)
            details = QTableWidgetItem(result.message)
            details.setToolTip(result.message)
            set_row(self.results, row, [name, outcome, details])
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

    def trust_key_file(self, path: Path) -> None:
        if self.desk is not None:
            key_trust.trust_key_file(self, self.desk, path, lambda _info: self.reload())

    def publish(self) -> None:
        desk = self.desk
        months = sorted({r.period for r in self._received})
        if desk is None or not months:
            return
        # Loaded on first use: with the report's charts it adds about 0.15 s to the first
        # sign-in of everyone, and only a network coordinator ever publishes.
        from ui.dialogs.publication_dialog import PublicationDialog

        PublicationDialog(desk, months, self).open()


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    style.tone(label, Tone.SECTION)
    return label


def _chart_view() -> QChartView:
    view = QChartView(QChart())
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(260)
    return view


def _replace_chart(view: QChartView, chart: QChart) -> None:
    # The view gives the old chart back rather than deleting it.
    old = view.chart()
    view.setChart(chart)
    if old is not None:
        old.deleteLater()


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


def _trend_chart(merged: list[MonthlyCounts], months: list[Month]) -> QChart:
    chart = _chart(_("Contacts, sessions and new victims per month (all desks)"))
    series = QBarSeries()
    # Short names: the legend sits under a narrow chart.
    names = (_("Contacts"), _("Sessions"), _("New victims"))
    elements = (ind.CONTACTS, ind.SESSIONS, ind.NEW_VICTIMS)
    for index, (name, element) in enumerate(zip(names, elements, strict=True)):
        bars = QBarSet(name)
        bars.setColor(style.series_colour(index))
        for month in months:
            bars.append(sum(c.total(element) for c in merged if c.period == month))
        series.append(bars)
    # Month numbers only (longer labels are elided in a narrow chart); the span below.
    _attach(chart, series, [f"{m.month:02d}" for m in months], horizontal=False)
    if months:
        for axis in chart.axes(Qt.Orientation.Horizontal):
            axis.setTitleText(f"{month_label(months[0])} – {month_label(months[-1])}")
    return chart


def _places_chart(merged: list[MonthlyCounts]) -> QChart:
    chart = _chart(_("Contacts by municipality of the desk (months shown)"))
    totals: dict[str, int] = {}
    for counted in merged:
        totals[counted.nis_code] = totals.get(counted.nis_code, 0) + counted.total(ind.CONTACTS)
    places = sorted(totals, key=lambda nis: totals[nis])
    bars = QBarSet(ind.CONTACTS.label)
    bars.setColor(style.series_colour(0))
    for nis in places:
        bars.append(totals[nis])
    series = QHorizontalBarSeries()
    series.append(bars)
    names = [_place_name(nis) for nis in places]
    _attach(chart, series, names, horizontal=True)
    chart.legend().hide()
    return chart


def _place_name(nis: str) -> str:
    try:
        return municipalities.municipality(nis).name(current_language())
    except ValidationError:  # a code this version does not know: show the code itself
        return nis


def _cells_chart(merged: list[MonthlyCounts], element: DataElement) -> QChart:
    chart = _chart(element.label)
    sums = dict.fromkeys(element.combo_codes, 0)
    for counted in merged:
        for combo, value in counted.values[element.code].items():
            sums[combo] += value
    shown = sorted((combo for combo in sums if sums[combo]), key=lambda combo: sums[combo])
    bars = QBarSet(element.label)
    bars.setColor(style.series_colour(0))
    for combo in shown:
        bars.append(sums[combo])
    series = QHorizontalBarSeries()
    series.append(bars)
    _attach(chart, series, [element.combo_label(c) for c in shown], horizontal=True)
    chart.legend().hide()
    return chart


def _attach(
    chart: QChart, series: QBarSeries | QHorizontalBarSeries, labels: list[str], *, horizontal: bool
) -> None:
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append(labels)
    top = max((bars.at(i) for bars in series.barSets() for i in range(bars.count())), default=0)
    values = QValueAxis()
    values.setLabelFormat("%d")
    values.setRange(0, max(top, 4))
    values.applyNiceNumbers()
    if horizontal:
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    series.attachAxis(values)
