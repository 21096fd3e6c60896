"""The TrueType fonts bundled in resources/fonts, registered once for reportlab."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app import paths

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


def register_fonts() -> None:
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name in (REGULAR, BOLD):
        if name not in registered:
            pdfmetrics.registerFont(
                TTFont(name, str(paths.resources_dir() / "fonts" / f"{name}.ttf"))
            )
