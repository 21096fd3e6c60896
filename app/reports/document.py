"""A PDF from a story of flowables: the page size and margins of the layout, the bundled
font from the first operator on, page numbers at the foot where the layout wants them, and
the title and language a PDF reader shows, reads aloud and searches by."""

from __future__ import annotations

import io
from enum import Enum
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer

from app.reports.fonts import REGULAR
from app.reports.styles import QUIET


class PageNumbers(Enum):
    NONE = "none"
    ALL = "all"
    AFTER_COVER = "after_cover"


def build_pdf(
    story: list[Flowable],
    page_size: tuple[float, float],
    margin: float,
    numbers: PageNumbers,
    *,
    title: str,
    language: str,
    canvas_class: type[Canvas] = Canvas,
) -> bytes:
    """`title` names the material, never a person (readers show it in their title bar and
    list of recent files); `language` is the language of its text (a BCP 47 tag, "fr")."""
    output = io.BytesIO()
    foot = 4 * mm if numbers is not PageNumbers.NONE else 0
    document = SimpleDocTemplate(
        output,
        pagesize=page_size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + foot,
        title=title,
        lang=language,
        author="",
        creator="Havre",
        invariant=True,
        # The canvas starts on a bundled font, never a standard one (which is not embedded).
        initialFontName=REGULAR,
    )

    def page_number(canvas: Canvas, doc: Any) -> None:
        if numbers is PageNumbers.NONE:
            return
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(QUIET)
        canvas.drawCentredString(page_size[0] / 2, margin / 2, str(doc.page))
        canvas.restoreState()

    def first_page(canvas: Canvas, doc: Any) -> None:
        if numbers is PageNumbers.ALL:
            page_number(canvas, doc)

    document.build(
        [*story, Spacer(1, 0)],
        onFirstPage=first_page,
        onLaterPages=page_number,
        canvasmaker=canvas_class,
    )
    return output.getvalue()
