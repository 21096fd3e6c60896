"""The publication as a report for councils and the PSSP / PLPP / PCS reports: key figures,
charts (trend per month, split by municipality, forms of violence, referrals) and every
table, with the same withheld numbers as the data files. Charts and sums use published
numbers only: a withheld number is left out, never guessed."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.domain import indicators as ind
from app.domain.indicators import DataElement
from app.domain.periods import Month
from app.domain.publication import WITHHELD, Publication, method_text
from app.i18n import _, current_language, format_date, format_decimal
from app.reports.document import PageNumbers, build_pdf
from app.reports.fonts import BOLD, REGULAR
from app.reports.styles import ACCENT, QUIET, text_styles

MARGIN = 16 * mm
WIDTH = A4[0] - 2 * MARGIN
SERIES_COLOURS = (ACCENT, colors.HexColor("#c55a11"), colors.HexColor("#548235"))
MONTHS_PER_TABLE = 12
KEY_FIGURES = (ind.CONTACTS, ind.SESSIONS, ind.NEW_VICTIMS, ind.REFERRALS_MADE, ind.ACTIVITIES)
TREND = (ind.CONTACTS, ind.SESSIONS, ind.NEW_VICTIMS)


def _short_name(element: DataElement) -> str:
    """Names that fit a column heading or a legend."""
    return {
        ind.CONTACTS: _("Contacts"),
        ind.SESSIONS: _("Sessions"),
        ind.NEW_VICTIMS: _("New victims"),
        ind.REFERRALS_MADE: _("Referrals"),
        ind.ACTIVITIES: _("Activities"),
    }[element]


def council_report_pdf(publication: Publication, title: str) -> bytes:
    styles = text_styles(9.5, right_to_left=False)
    months = publication.months
    period = _("Monthly counts, {first} to {last}").format(first=months[0], last=months[-1])
    story: list[Flowable] = [
        Paragraph(title, styles.title),
        Paragraph(period, styles.subtitle),
        Paragraph(_sentence(method_text(publication)), styles.body),
        Paragraph(
            _(
                "“{mark}” marks a number withheld to protect people (it may be zero). A bar "
                "that would add a withheld number is not drawn: its label carries “{mark}”. "
                "Profile tables count only people who "
                "consented to statistics; cases already counted by another desk of the "
                "network are left out of them."
            ).format(mark=WITHHELD),
            styles.small,
        ),
        Paragraph(_("Key figures"), styles.heading),
        _key_figures(publication),
        Paragraph(_("Trend per month"), styles.heading),
        _trend_chart(publication),
    ]
    if len(publication.org_units) > 1:
        story += [
            Paragraph(_("Contacts by municipality"), styles.heading),
            _split_chart(publication),
        ]
    story += [
        KeepTogether(
            [
                Paragraph(_("Forms of violence"), styles.heading),
                _bars(publication, ind.SITUATIONS_FORM),
            ]
        ),
        KeepTogether(
            [Paragraph(_("Referrals made"), styles.heading), _bars(publication, ind.REFERRALS_MADE)]
        ),
        Paragraph(_("Tables"), styles.heading),
    ]
    for element in ind.ELEMENTS:
        for org_unit, name in publication.org_units.items():
            for start in range(0, len(months), MONTHS_PER_TABLE):
                chunk = months[start : start + MONTHS_PER_TABLE]
                table = _element_table(publication, element, org_unit, chunk)
                heading = (
                    f"{element.label} — {name}" if len(publication.org_units) > 1 else element.label
                )
                story.append(KeepTogether([Paragraph(heading, styles.subheading), table]))
    story += [
        Spacer(1, 4 * mm),
        Paragraph(
            _("Counts files: {files}. Made by Havre on {day}.").format(
                files="; ".join(publication.sources), day=format_date(publication.created_at)
            ),
            styles.small,
        ),
    ]
    return build_pdf(
        story,
        A4,
        MARGIN,
        PageNumbers.ALL,
        title=f"{title} — {period}",
        language=current_language(),
    )


def _published_total(
    publication: Publication, element: DataElement, org: str, month: Month
) -> int | None:
    """The group's published total; for an element without disaggregation, its one cell."""
    group = publication.value(element, org, month)
    return group.total if element.dimensions else group.cells[ind.TOTAL]


def _key_figures(publication: Publication) -> Table:
    header = [_("Month")] + [_short_name(e) for e in KEY_FIGURES]
    rows: list[list[str]] = [header]
    for month in publication.months:
        row = [str(month)]
        for element in KEY_FIGURES:
            values = [
                _published_total(publication, element, org, month) for org in publication.org_units
            ]
            row.append(
                WITHHELD if any(v is None for v in values) else _number(sum(v or 0 for v in values))
            )
        rows.append(row)
    return _table(rows, [22 * mm] + [(WIDTH - 22 * mm) / len(KEY_FIGURES)] * len(KEY_FIGURES))


def _trend_chart(publication: Publication) -> Drawing:
    months = publication.months
    series = [
        [
            _sum([_published_total(publication, e, org, m) for org in publication.org_units])
            for m in months
        ]
        for e in TREND
    ]
    labels = [
        f"{m.month:02d}/{m.year % 100:02d}"
        + (f" {WITHHELD}" if any(s[i] is None for s in series) else "")
        for i, m in enumerate(months)
    ]
    return _bar_drawing(series, labels, [_short_name(e) for e in TREND])


def _split_chart(publication: Publication) -> Drawing:
    values = [
        _sum([_published_total(publication, ind.CONTACTS, org, m) for m in publication.months])
        for org in publication.org_units
    ]
    labels = [
        name + (f" {WITHHELD}" if value is None else "")
        for name, value in zip(publication.org_units.values(), values, strict=True)
    ]
    return _bar_drawing([values], labels, [_short_name(ind.CONTACTS)])


def _sum(values: list[int | None]) -> int | None:
    """The sum, or None when a number in it is withheld: a chart never adds around one."""
    return None if any(v is None for v in values) else sum(v or 0 for v in values)


def _bars(publication: Publication, element: DataElement) -> Drawing:
    """Published cells of `element` summed over the months and org units, largest first."""
    sums = dict.fromkeys(element.combo_codes, 0)
    incomplete: set[str] = set()
    for published in publication.groups:
        if published.element is element:
            for combo, value in published.group.cells.items():
                sums[combo] += value or 0
                if value is None:
                    incomplete.add(combo)
    # A cell with a withheld month or org unit has no bar, its sum would pass for the
    # whole: it is listed below the bars, marked.
    shown = sorted(((v, c) for c, v in sums.items() if v and c not in incomplete), reverse=True)
    marked = [c for c in element.combo_codes if c in incomplete]
    rows: list[tuple[int | None, str]] = [
        *((v, element.combo_label(c)) for v, c in shown),
        *((None, f"{element.combo_label(c)} {WITHHELD}") for c in marked),
    ]
    height = (len(rows) if shown else 1) * 5.5 * mm + 12 * mm
    drawing = Drawing(WIDTH, height)
    if not shown:
        message = (
            _("Nothing to show: every number here includes a withheld one (“{mark}”).")
            if marked
            else _("Nothing to show: no published number above zero.")
        )
        drawing.add(
            String(
                0,
                height / 2,
                message.format(mark=WITHHELD),
                fontName=REGULAR,
                fontSize=9,
                fillColor=QUIET,
            )
        )
        return drawing
    chart = HorizontalBarChart()
    chart.x, chart.y = 70 * mm, 6 * mm
    chart.width, chart.height = WIDTH - 80 * mm, height - 10 * mm
    chart.data = [[v for v, _label in reversed(rows)]]
    chart.categoryAxis.categoryNames = [label for _v, label in reversed(rows)]
    _style_chart(chart)
    chart.bars[0].fillColor = ACCENT
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def _bar_drawing(series: list[list[int | None]], labels: list[str], names: list[str]) -> Drawing:
    height = 62 * mm
    drawing = Drawing(WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 16 * mm
    chart.width, chart.height = WIDTH - 16 * mm, height - 20 * mm
    chart.data = series
    chart.categoryAxis.categoryNames = labels
    _style_chart(chart)
    chart.valueAxis.valueMin = 0
    for index, colour in enumerate(SERIES_COLOURS[: len(series)]):
        chart.bars[index].fillColor = colour
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 12 * mm, 5 * mm
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName = REGULAR
    legend.fontSize = 8
    legend.colorNamePairs = list(zip(SERIES_COLOURS, names, strict=False))
    drawing.add(legend)
    return drawing


def _style_chart(chart: VerticalBarChart | HorizontalBarChart) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = REGULAR
        axis.labels.fontSize = 7
        axis.strokeColor = QUIET
    chart.valueAxis.forceZero = True
    chart.valueAxis.labelTextFormat = "%d"


def _element_table(
    publication: Publication, element: DataElement, org_unit: str, months: list[Month]
) -> Table:
    groups = [publication.value(element, org_unit, m) for m in months]
    rows: list[list[str]] = [[""] + [f"{m.month:02d}/{m.year % 100:02d}" for m in months]]
    for combo in element.combo_codes:
        values = [g.cells[combo] for g in groups]
        if all(v == 0 for v in values):
            continue  # rows of zeros only: left out to keep the report short
        rows.append([element.combo_label(combo)] + [_cell(v) for v in values])
    if len(rows) == 1:
        rows.append([_("All zero")] + ["0"] * len(months))
    if element.has_total:
        rows.append([_("Total")] + [_cell(g.total) for g in groups])
    label_width = 50 * mm
    return _table(
        rows,
        [label_width] + [(WIDTH - label_width) / MONTHS_PER_TABLE] * len(months),
        total_row=element.has_total,
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def _cell(value: int | None) -> str:
    return WITHHELD if value is None else _number(value)


def _number(value: int) -> str:
    return format_decimal(value, 0)


def _table(rows: list[list[str]], widths: list[float], total_row: bool = False) -> Table:
    # Header cells wrap: the names of data elements are longer than their columns.
    header_style = ParagraphStyle(
        "header", fontName=BOLD, fontSize=7.5, leading=9, textColor=ACCENT, alignment=TA_RIGHT
    )
    label_style = ParagraphStyle("label", fontName=REGULAR, fontSize=7.5, leading=9)
    header: list[Paragraph | str] = [rows[0][0]] + [Paragraph(t, header_style) for t in rows[0][1:]]
    # Labels wrap too: a long service name must not run into the numbers.
    total_style = ParagraphStyle("total", parent=label_style, fontName=BOLD)
    last = len(rows) - 2
    body = [
        [Paragraph(row[0], total_style if total_row and i == last else label_style), *row[1:]]
        for i, row in enumerate(rows[1:])
    ]
    table = Table([header, *body], colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 7.5),
        ("FONT", (0, 0), (-1, 0), BOLD, 7.5),
        ("TEXTCOLOR", (0, 0), (-1, 0), ACCENT),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f5f9")]),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    if total_row:
        commands += [
            ("FONT", (0, -1), (-1, -1), BOLD, 7.5),
            ("LINEABOVE", (0, -1), (-1, -1), 0.4, QUIET),
        ]
    table.setStyle(TableStyle(commands))
    return table
