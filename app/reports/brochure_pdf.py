"""The information brochure as a PDF: on A4 pages, or as an A5 booklet whose pages are
imposed two by two on A4 sheets, in the order that gives a booklet once the printed stack
(both sides, flipped on the short edge) is folded in the middle."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.dates import format_date
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Spacer,
)

from app.domain.brochure import BrochureContent
from app.domain.help_services import HelpService, Reach
from app.reports.document import PageNumbers, build_pdf
from app.reports.styles import TextStyles, text_styles
from app.reports.writing import hours_lines, paragraph, printed_name

A4_BODY = 10.5
A5_BODY = 9.0


def a4_brochure(content: BrochureContent, services: list[HelpService], made_on: date) -> bytes:
    styles = text_styles(A4_BODY, content.right_to_left)
    story = _cover(content, styles) + _sections(content, services, made_on, styles)
    return build_pdf(
        story, A4, 18 * mm, PageNumbers.ALL, title=content.title, language=content.language
    )


def a5_booklet(content: BrochureContent, services: list[HelpService], made_on: date) -> bytes:
    """The brochure on A5 pages (the first one a cover), imposed on A4 sheets."""
    styles = text_styles(A5_BODY, content.right_to_left)
    cover = [Spacer(1, A5[1] / 4), *_cover(content, styles), PageBreak()]
    story = cover + _sections(content, services, made_on, styles)
    imposing = _RightToLeftImposingCanvas if content.right_to_left else _ImposingCanvas
    return build_pdf(
        story,
        A5,
        13 * mm,
        PageNumbers.AFTER_COVER,
        title=content.title,
        language=content.language,
        canvas_class=imposing,
    )


def imposed_order(pages: int, right_to_left: bool = False) -> list[tuple[int, int]]:
    """(left, right) page numbers of each printed side, front then back of every sheet.

    `pages` is a multiple of 4. Sheet k carries the outermost pages not yet placed: on its
    front the last and the first, on its back the second and the second to last. A booklet
    read right to left is bound on the right: every side is mirrored.
    """
    sides = []
    for sheet in range(pages // 4):
        sides.append((pages - 2 * sheet, 2 * sheet + 1))
        sides.append((2 * sheet + 2, pages - 2 * sheet - 1))
    return [(right, left) for left, right in sides] if right_to_left else sides


def _cover(content: BrochureContent, styles: TextStyles) -> list[Flowable]:
    rtl = content.right_to_left
    return [
        paragraph(content.title, styles.title, rtl),
        paragraph(content.subtitle, styles.subtitle, rtl),
    ]


def _sections(
    content: BrochureContent, services: list[HelpService], made_on: date, styles: TextStyles
) -> list[Flowable]:
    rtl = content.right_to_left
    story: list[Flowable] = []
    for section in content.sections:
        heading = paragraph(section.title, styles.heading, rtl)
        body = [paragraph(text, styles.body, rtl) for text in section.paragraphs]
        body += [paragraph(f"• {text}", styles.item, rtl) for text in section.items]
        body += [
            paragraph(term.definition, styles.item, rtl, lead=term.term) for term in section.terms
        ]
        if section.terms:  # the short glossary stays in one piece
            story.append(KeepTogether([heading, *body]))
        else:  # never a heading alone at the foot of a page
            story += [KeepTogether([heading, body[0]]), *body[1:]]
        if section.id == "help_services":
            story += _help_services(content, services, made_on, styles)
    return story


def _help_services(
    content: BrochureContent, services: list[HelpService], made_on: date, styles: TextStyles
) -> list[Flowable]:
    rtl = content.right_to_left
    labels = content.labels
    headings = {
        Reach.LOCAL: labels.near_you,
        Reach.REGIONAL: labels.in_your_region,
        Reach.NATIONAL: labels.everywhere,
    }
    story: list[Flowable] = []
    for reach, heading in headings.items():
        listed = [s for s in services if s.reach is reach]
        if not listed:
            continue
        first, *others = [_service(service, content, styles) for service in listed]
        story.append(KeepTogether([paragraph(heading, styles.subheading, rtl), *first]))
        story += [KeepTogether(service) for service in others]
    if any(service.to_verify for service in services):
        story.append(paragraph(labels.to_verify_note, styles.small, rtl))
    date_text = format_date(made_on, format="long", locale=content.language)
    story.append(paragraph(labels.list_date.format(date=date_text), styles.small, rtl))
    return story


def _service(service: HelpService, content: BrochureContent, styles: TextStyles) -> list[Flowable]:
    rtl = content.right_to_left
    details = [" · ".join([service.phone, *service.other_phones]) if service.phone else ""]
    details += hours_lines(service.hours, content.language, content.labels)
    details += [service.address, service.website]
    return [paragraph(printed_name(service, content.labels), styles.name, rtl)] + [
        paragraph(text, styles.detail, rtl) for text in details if text
    ]


class _ImposingCanvas(Canvas):  # type: ignore[misc]
    """Takes A5 pages from the layout and writes them, imposed, on A4 landscape sheets.

    Each page the layout ends becomes a PDF form (an XObject); when the document is saved,
    the pages are padded with blank ones to a multiple of 4 and placed two per side.
    """

    right_to_left = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._page_size = kwargs.get("pagesize", A5)
        self._forms: list[str] = []
        self._begin_page()

    def _begin_page(self) -> None:
        self._forms.append(f"page{len(self._forms) + 1}")
        self.beginForm(self._forms[-1])

    def showPage(self) -> None:
        self.endForm()
        self._begin_page()

    def save(self) -> None:
        self.endForm()
        pages = self._forms[:-1]  # the layout ends every page, the last one begun is empty
        while len(pages) % 4:
            pages.append("")
        width, height = self._page_size
        self.setPageSize(landscape(A4))
        sheet_width, sheet_height = landscape(A4)
        x_offset = (sheet_width / 2 - width) / 2
        y_offset = (sheet_height - height) / 2
        for side in imposed_order(len(pages), self.right_to_left):
            for slot, number in enumerate(side):
                if pages[number - 1]:
                    self.saveState()
                    self.translate(slot * sheet_width / 2 + x_offset, y_offset)
                    self.doForm(pages[number - 1])
                    self.restoreState()
            Canvas.showPage(self)
        super().save()


class _RightToLeftImposingCanvas(_ImposingCanvas):
    right_to_left = True
