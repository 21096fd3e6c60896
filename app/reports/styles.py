"""The look of Havre's printed material: one font family (bundled, every glyph of the ten
languages), one accent colour, sizes derived from the body size of the layout."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from app.reports.fonts import BOLD, REGULAR, register_fonts

ACCENT = colors.HexColor("#1f4e79")
QUIET = colors.HexColor("#555555")


@dataclass(frozen=True)
class TextStyles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    item: ParagraphStyle
    name: ParagraphStyle
    detail: ParagraphStyle
    small: ParagraphStyle


def text_styles(body_size: float, right_to_left: bool) -> TextStyles:
    register_fonts()
    align = TA_RIGHT if right_to_left else TA_LEFT

    def style(name: str, size: float, *, font: str = REGULAR, **more: object) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=size * 1.3, alignment=align, **more
        )

    # Items are indented on the side where lines start.
    left, right = (0.0, body_size) if right_to_left else (body_size, 0.0)
    return TextStyles(
        title=style(
            "title", body_size * 2, font=BOLD, textColor=ACCENT, spaceAfter=body_size * 0.6
        ),
        subtitle=style("subtitle", body_size * 1.3, textColor=ACCENT, spaceAfter=body_size),
        heading=style(
            "heading",
            body_size * 1.45,
            font=BOLD,
            textColor=ACCENT,
            spaceBefore=body_size * 1.1,
            spaceAfter=body_size * 0.4,
        ),
        subheading=style(
            "subheading",
            body_size * 1.1,
            font=BOLD,
            textColor=ACCENT,
            spaceBefore=body_size * 0.6,
            spaceAfter=body_size * 0.2,
        ),
        body=style("body", body_size, spaceAfter=body_size * 0.45),
        item=style(
            "item", body_size, spaceAfter=body_size * 0.3, leftIndent=left, rightIndent=right
        ),
        name=style("name", body_size, font=BOLD, spaceBefore=body_size * 0.35),
        detail=style("detail", body_size * 0.92, leftIndent=left, rightIndent=right),
        small=style("small", body_size * 0.8, textColor=QUIET, spaceBefore=body_size * 0.6),
    )
