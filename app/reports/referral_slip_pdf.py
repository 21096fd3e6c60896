"""The referral slip: one partner service on an A6 sheet (phone, hours, address unless it is
confidential, website) and free lines to write an appointment by hand. It never carries
anything about the person it is given to."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.domain.brochure import BrochureContent
from app.domain.help_services import HelpService
from app.reports.document import PageNumbers, build_pdf
from app.reports.styles import text_styles
from app.reports.writing import hours_lines, paragraph, printed_name

BODY = 9.0
WRITE_HERE = "_" * 14


def referral_slip(content: BrochureContent, service: HelpService, made_on: date) -> bytes:
    rtl = content.right_to_left
    labels = content.labels
    styles = text_styles(BODY, rtl)
    story: list[Flowable] = [
        paragraph(labels.slip_title, styles.subheading, rtl),
        paragraph(printed_name(service, labels), styles.heading, rtl),
    ]
    if service.description:
        story.append(paragraph(service.description, styles.body, rtl))
    phones = " · ".join(p for p in (service.phone, *service.other_phones) if p)
    details = [
        (labels.slip_phone, [phones] if phones else []),
        (labels.slip_hours, hours_lines(service.hours, content.language, labels)),
        (labels.slip_address, [service.address] if service.address else []),
        (labels.slip_website, [service.website] if service.website else []),
    ]
    for label, lines in details:
        if lines:
            story.append(paragraph(lines[0], styles.body, rtl, lead=label))
            story += [paragraph(line, styles.detail, rtl) for line in lines[1:]]
    if service.to_verify:
        story.append(paragraph(labels.to_verify_note, styles.small, rtl))
    story += [
        Spacer(1, 4 * mm),
        paragraph(
            f"{WRITE_HERE} {labels.slip_time} {WRITE_HERE[:7]}",
            styles.body,
            rtl,
            lead=labels.slip_appointment,
        ),
        paragraph(WRITE_HERE * 2, styles.body, rtl, lead=labels.slip_with),
        paragraph(
            labels.list_date.format(
                date=format_date(made_on, format="long", locale=content.language)
            ),
            styles.small,
            rtl,
        ),
    ]
    return build_pdf(
        story,
        A6,
        9 * mm,
        PageNumbers.NONE,
        title=f"{labels.slip_title} — {service.name}",
        language=content.language,
    )
