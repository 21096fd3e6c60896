"""Text on the printed page in any of the shipped languages: paragraphs that wrap, right to
left for Arabic, and opening hours written the way the reader's language writes weekdays.

Reportlab draws characters in the order it is given them and does not join Arabic letters.
Right-to-left text is therefore shaped first (arabic-reshaper picks each letter's joined
form), broken into lines in reading order, and only then turned into the order of the page,
line by line (python-bidi), so that the first line of a paragraph stays on top and numbers
and Latin words inside it keep reading left to right.
"""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape

import arabic_reshaper
from babel.dates import get_day_names
from bidi.algorithm import get_display  # the Python one mirrors brackets, the Rust one not
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from app.domain.brochure import PrintLabels
from app.domain.directory import Hours, clock_text
from app.domain.help_services import HelpService
from app.reports.fonts import BOLD

# Digit groups ("0800 30 030", "02 535 45 42") are held together by no-break spaces: never
# broken across lines, and kept in their order inside right-to-left text (a no-break space
# between two numbers is a number separator to the bidi algorithm, a space is not).
_DIGIT_GROUPS = re.compile(r"(?<=\d) (?=\d)")


def printed(text: str) -> str:
    """`text` as it is set on paper: digit groups held together."""
    return _DIGIT_GROUPS.sub("\u00a0", text)


def shaped(text: str) -> str:
    """Arabic letters in their joined forms, still in reading order."""
    return str(arabic_reshaper.reshape(printed(text)))


def has_right_to_left(text: str) -> bool:
    """Whether `text` holds right-to-left letters. A phone number, web address or service name
    in Latin letters is set left to right even on an Arabic page."""
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def visual(line: str) -> str:
    """One line, shaped, in the order it is drawn from left to right."""
    if not has_right_to_left(line):
        return printed(line)
    return str(get_display(shaped(line), base_dir="R"))


def broken_lines(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """`text` shaped and broken into lines no wider than `width` (reading order)."""
    lines: list[str] = []
    current = ""
    for word in shaped(text).split(" "):
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if current and stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return tuple(lines)


class RightToLeftParagraph(Flowable):  # type: ignore[misc]
    """A paragraph set right to left, aligned on the right margin; splits between lines."""

    def __init__(self, text: str, style: ParagraphStyle, lines: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self.lines = lines
        self.base = "R" if has_right_to_left(text) else "L"
        # The halves of a split keep the lines they were given; a whole paragraph breaks its
        # lines again when it is offered another width.
        self._fixed = bool(lines)
        self._broken_for: float | None = None

    def _line_width(self, available: float) -> float:
        return float(available - self.style.leftIndent - self.style.rightIndent)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        if not self._fixed and self._broken_for != available_width:
            width = self._line_width(available_width)
            self.lines = broken_lines(self.text, self.style.fontName, self.style.fontSize, width)
            self._broken_for = available_width
        self.height = len(self.lines) * self.style.leading
        return available_width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        fitting = int(available_height // self.style.leading)
        if fitting <= 0 or fitting >= len(self.lines):
            return []
        return [
            RightToLeftParagraph(self.text, self.style, self.lines[:fitting]),
            RightToLeftParagraph(self.text, self.style, self.lines[fitting:]),
        ]

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFont(self.style.fontName, self.style.fontSize)
        canvas.setFillColor(self.style.textColor)
        right = self.width - self.style.rightIndent
        baseline = self.height - self.style.fontSize
        for line in self.lines:
            canvas.drawRightString(right, baseline, str(get_display(line, base_dir=self.base)))
            baseline -= self.style.leading


def paragraph(text: str, style: ParagraphStyle, right_to_left: bool, lead: str = "") -> Flowable:
    """A paragraph of plain text (never markup: text from files and the directory), after
    `lead` in bold where the script has bold (not in the right-to-left paragraphs)."""
    if right_to_left:
        return RightToLeftParagraph(f"{lead} — {text}" if lead else text, style)
    bold = f"<font name='{BOLD}'>{escape(printed(lead))}</font> — " if lead else ""
    return Paragraph(bold + escape(printed(text)), style)


def printed_name(service: HelpService, labels: PrintLabels) -> str:
    """The service's name, marked when the directory says its details are still to verify:
    the visitor, too, is told to check them."""
    return f"{service.name} {_unbroken(labels.to_verify)}" if service.to_verify else service.name


def to_verify_label(label: str, service: HelpService | None, labels: PrintLabels) -> str:
    """A wallet card's label (it never names the service), marked the same way."""
    if service is None or not service.to_verify:
        return label
    return f"{label} {_unbroken(labels.to_verify)}"


def _unbroken(mark: str) -> str:
    """The mark on one line: "(à" at the end of one and "vérifier)" on the next reads as
    two stray words."""
    return mark.replace(" ", "\u00a0")


def hours_lines(hours: Hours, language: str, labels: PrintLabels) -> list[str]:
    """ "Mon–Fri 09:00–17:00" lines, days with the same hours together; [] when unknown."""
    if hours.always_open:
        return [labels.always_open]
    names = get_day_names("abbreviated", locale=language)
    by_day = [
        ", ".join(
            f"{clock_text(s.opens)}–{clock_text(s.closes)}" for s in hours.slots if s.weekday == day
        )
        for day in range(7)
    ]
    lines = []
    day = 0
    while day < 7:
        last = day
        while last + 1 < 7 and by_day[last + 1] == by_day[day]:
            last += 1
        if by_day[day]:
            days = names[day] if last == day else f"{names[day]}–{names[last]}"
            lines.append(f"{days} {by_day[day]}")
        day = last + 1
    return lines
