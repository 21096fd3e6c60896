"""The wallet card: credit-card size (85.6 × 54 mm), front and back, to slip between other
cards. It must look like an ordinary card of useful numbers to whoever finds it: neutral
labels only (checked when the content is read, see domain/brochure.card_safe), numbers from
the directory, never a service's name."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.domain.brochure import BrochureContent
from app.domain.help_services import CardNumbers
from app.reports.fonts import BOLD, REGULAR, register_fonts
from app.reports.styles import ACCENT, QUIET
from app.reports.writing import to_verify_label, visual

CARD_SIZE = (85.6 * mm, 54 * mm)
MARGIN = 4 * mm
LABEL_SIZE = 7.0
NUMBER_SIZE = 11.0
EMERGENCY = "112"
POLICE = "101"


def wallet_card(content: BrochureContent, numbers: CardNumbers) -> bytes:
    register_fonts()
    output = io.BytesIO()
    labels = content.labels
    canvas = Canvas(
        output,
        pagesize=CARD_SIZE,
        invariant=True,
        initialFontName=REGULAR,
        lang=content.language,
    )
    canvas.setCreator("Havre")
    canvas.setTitle(labels.card_title)  # as neutral as the card itself
    rows = [(labels.card_emergency, EMERGENCY), (labels.card_police, POLICE)]
    for label, service in (
        (labels.card_listening, numbers.listening),
        (labels.card_contact, numbers.contact),
    ):
        if service is not None:
            rows.append((to_verify_label(label, service, labels), service.phone))
    _front(canvas, content, rows)
    canvas.showPage()
    _back(canvas, content)
    canvas.showPage()
    canvas.save()
    return output.getvalue()


def _front(canvas: Canvas, content: BrochureContent, rows: list[tuple[str, str]]) -> None:
    width, height = CARD_SIZE
    rtl = content.right_to_left
    _frame(canvas)
    canvas.setFillColor(ACCENT)
    _text(canvas, content.labels.card_title, height - MARGIN - 8, rtl, BOLD, 9)
    step = (height - 2 * MARGIN - 16) / 4
    y = height - MARGIN - 16 - step / 2
    for label, number in rows:
        number_width = canvas.stringWidth(number, BOLD, NUMBER_SIZE)
        room = width - 2 * MARGIN - number_width - 3 * mm
        size = LABEL_SIZE
        while canvas.stringWidth(visual(label), REGULAR, size) > room and size > 5:
            size -= 0.25  # a long label gets smaller rather than running into the number
        canvas.setFillColor(QUIET)
        _text(canvas, label, y - 3, rtl, REGULAR, size)
        canvas.setFillColor(colors.black)
        canvas.setFont(BOLD, NUMBER_SIZE)
        if rtl:
            canvas.drawString(MARGIN, y - 3, number)
        else:
            canvas.drawRightString(width - MARGIN, y - 3, number)
        canvas.setStrokeColor(colors.lightgrey)
        canvas.line(MARGIN, y - step / 2, width - MARGIN, y - step / 2)
        y -= step


def _back(canvas: Canvas, content: BrochureContent) -> None:
    width, height = CARD_SIZE
    rtl = content.right_to_left
    _frame(canvas)
    canvas.setFillColor(ACCENT)
    _text(canvas, content.labels.card_appointment, height - MARGIN - 8, rtl, BOLD, 8)
    canvas.setStrokeColor(colors.grey)
    y = height - MARGIN - 20
    canvas.line(MARGIN, y, width - MARGIN, y)
    _text(canvas, content.labels.card_notes, y - 14, rtl, BOLD, 8)
    y -= 30
    while y > MARGIN + 4:
        canvas.line(MARGIN, y, width - MARGIN, y)
        y -= 14


def _frame(canvas: Canvas) -> None:
    """The cutting line, just inside the card's edge."""
    width, height = CARD_SIZE
    canvas.setStrokeColor(colors.lightgrey)
    canvas.setLineWidth(0.5)
    canvas.roundRect(0.5, 0.5, width - 1, height - 1, 3 * mm)


def _text(canvas: Canvas, text: str, y: float, rtl: bool, font: str, size: float) -> None:
    canvas.setFont(font, size)
    if rtl:
        canvas.drawRightString(CARD_SIZE[0] - MARGIN, y, visual(text))
    else:
        canvas.drawString(MARGIN, y, visual(text))
