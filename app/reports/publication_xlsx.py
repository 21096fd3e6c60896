"""The publication as a workbook: a sheet saying what it is and how numbers were withheld,
then one sheet per table (data element): a row per org unit and month, a column per cell
and the total; a withheld number is shown as "x"."""

from __future__ import annotations

import io

import xlsxwriter

from app.domain.publication import WITHHELD, Publication, method_text, withheld_legend
from app.i18n import _


def publication_xlsx(publication: Publication, title: str) -> bytes:
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    bold = book.add_format({"bold": True})
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    withheld = book.add_format({"font_color": "#888888", "align": "right"})
    about = book.add_worksheet(_("About"))
    about.set_column(0, 0, 28)
    about.set_column(1, 1, 70)
    lines = [
        (_("Publication"), title),
        (_("Months"), f"{publication.months[0]} – {publication.months[-1]}"),
        (_("Level"), _("Network") if publication.level.value == "network" else _("Municipality")),
        (_("Org units"), ", ".join(f"{c} {n}" for c, n in publication.org_units.items())),
        (_("Method"), method_text(publication)),
        (WITHHELD, withheld_legend()),
        (_("Made on"), publication.created_at.date().isoformat()),
        (_("Counts files"), "; ".join(publication.sources)),
    ]
    for row, (label, text) in enumerate(lines):
        about.write(row, 0, label, bold)
        about.write(row, 1, text)
    by_element: dict[str, list[int]] = {}
    for index, published in enumerate(publication.groups):
        by_element.setdefault(published.element.code, []).append(index)
    for code, indexes in by_element.items():
        element = publication.groups[indexes[0]].element
        sheet = book.add_worksheet(code.removeprefix("PVIF_")[:31])
        sheet.write(0, 0, element.label, bold)
        columns = [_("Org unit"), _("Month")] + [
            element.combo_label(c) for c in element.combo_codes
        ]
        with_total = element.has_total
        if with_total:
            columns.append(_("Total"))
        for column, text in enumerate(columns):
            sheet.write(2, column, text, header)
        sheet.set_column(0, 1, 12)
        sheet.set_column(2, len(columns), 11)
        sheet.set_row(2, 45)
        sheet.freeze_panes(3, 2)
        for row, index in enumerate(indexes, start=3):
            published = publication.groups[index]
            sheet.write(row, 0, published.org_unit)
            sheet.write(row, 1, str(published.period))
            values = list(published.group.cells.values())
            if with_total:
                values.append(published.group.total)
            for column, value in enumerate(values, start=2):
                if value is None:
                    sheet.write(row, column, WITHHELD, withheld)
                else:
                    sheet.write_number(row, column, value)
    book.close()
    return output.getvalue()
