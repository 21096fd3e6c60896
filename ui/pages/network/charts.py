"""The charts of the merged numbers, one tab each: the trend per month, the split per
municipality of the desks, the forms of violence and the referrals."""

from __future__ import annotations

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
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QTabWidget

from app.domain import indicators as ind
from app.domain import municipalities
from app.domain.indicators import DataElement
from app.domain.monthly_counts import MonthlyCounts
from app.domain.periods import Month
from app.errors import ValidationError
from app.i18n import _, current_language
from ui import style
from ui.widgets.month_picker import month_label


class NetworkCharts(QTabWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName(_("Charts"))
        self.trend = _chart_view()
        self.places = _chart_view()
        self.forms = _chart_view()
        self.referrals = _chart_view()
        self.addTab(self.trend, _("Trend per month"))
        self.addTab(self.places, _("By municipality"))
        self.addTab(self.forms, _("Forms of violence"))
        self.addTab(self.referrals, _("Referrals"))

    def show_counts(self, merged: list[MonthlyCounts], months: list[Month]) -> None:
        _replace_chart(self.trend, _trend_chart(merged, months))
        _replace_chart(self.places, _places_chart(merged))
        _replace_chart(self.forms, _cells_chart(merged, ind.SITUATIONS_FORM))
        _replace_chart(self.referrals, _cells_chart(merged, ind.REFERRALS_MADE))

    def clear_charts(self) -> None:
        """Nothing charted (QTabWidget.clear would remove the tabs)."""
        for view in (self.trend, self.places, self.forms, self.referrals):
            _replace_chart(view, QChart())


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
