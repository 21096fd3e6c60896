"""The colours and emphasis of Havre's screens, in one place: what a colour means (a note,
an error under a field, an overdue task, a banner) is a `Tone`, and `tone(widget, Tone.X)`
gives a widget that look.

Three looks, chosen from the system: soft colours on a light palette, light colours of the
same meanings on a dark one (each readable at 4.5:1 at least), and on a high-contrast
system the system's own colours (palette roles) in bold, since its user chose those colours
to be able to read. The look follows the system while Havre runs (`follow_system`).

Each toned widget carries its own small style sheet, selected by its `tone` property so
that it never spills onto its children: one application-wide style sheet would send every
widget of every screen through Qt's style-sheet style, which costs the start and each page.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAccessibilityHints, QColor, QGuiApplication, QPalette, QStyleHints
from PySide6.QtWidgets import QApplication, QProgressBar, QWidget

TONE_PROPERTY = "tone"


class Tone(StrEnum):
    NOTE = "note"  # a muted explanation beside or under something
    SMALL_NOTE = "small_note"  # the same, smaller: a file name, a hint under a card
    ERROR = "error"  # a message under a field, a refusal
    WARNING = "warning"  # overdue, not reviewed, to verify
    URGENT = "urgent"  # a check that failed, agreements to renew
    GOOD = "good"  # a check passed, a file written
    ALERT = "alert"  # a banner nobody should miss (do not recontact)
    INFO = "info"  # a banner that explains where the person is
    DRAFT = "draft"  # a banner over something not approved yet
    LINK = "link"  # a flat button that reads as a link
    TITLE = "title"  # the application's name on the sign-in card
    HEADING = "heading"  # the title of a page
    SUBHEADING = "subheading"  # the title of a part of a page
    SECTION = "section"  # a bold line that opens a group of fields
    STRONG = "strong"  # bold, nothing more
    LARGE = "large"  # a figure read from afar (occupancy)
    FRAMED = "framed"  # a group box that asks to be looked at (a known phone number)
    QUICK_EXIT = "quick_exit"  # the button that hides everything, always in sight
    SECRET = "secret"  # a secret shown once, to copy by hand
    DROP_ZONE = "drop_zone"  # where files can be dropped
    BACKDROP = "backdrop"  # behind the sign-in card
    CARD = "card"  # the sign-in card
    PAPER_DESK = "paper_desk"  # behind the pages of a print preview
    PAPER = "paper"  # a page of a print preview: white, as printed
    NAVIGATION = "navigation"  # the list of pages: rows easy to hit


class Scheme(StrEnum):
    LIGHT = "light"
    DARK = "dark"
    HIGH_CONTRAST = "high_contrast"


# Text and background of each tone on a light and on a dark palette; a tone missing here
# keeps the palette's colours. Banners name both, so that each pair is readable on its own.
_LIGHT: dict[Tone, tuple[str | None, str | None]] = {
    Tone.NOTE: ("#555555", None),
    Tone.SMALL_NOTE: ("#5c5c5c", None),
    Tone.ERROR: ("#b3261e", None),
    Tone.WARNING: ("#8a4b00", None),
    Tone.URGENT: ("#a12622", None),
    Tone.GOOD: ("#1e6b2e", None),
    Tone.ALERT: ("#8a1c1c", "#fdecea"),
    Tone.INFO: ("#0b2545", "#e8f1fb"),
    Tone.DRAFT: ("#4a3500", "#fff4d6"),
    Tone.LINK: ("#1d4f91", None),
    Tone.TITLE: ("#1d3557", None),
    Tone.FRAMED: ("#b35c00", None),
    Tone.QUICK_EXIT: ("#ffffff", "#1d4f91"),
    Tone.SECRET: ("#1a1a1a", "#f6f8fa"),
    Tone.DROP_ZONE: ("#444444", None),
    Tone.BACKDROP: (None, "#eef1f5"),
    Tone.CARD: (None, "#ffffff"),
    Tone.PAPER_DESK: (None, "#8c8c8c"),
    Tone.PAPER: ("#444444", "#ffffff"),
}
_DARK: dict[Tone, tuple[str | None, str | None]] = {
    Tone.NOTE: ("#b8b8b8", None),
    Tone.SMALL_NOTE: ("#b0b0b0", None),
    Tone.ERROR: ("#ff8a80", None),
    Tone.WARNING: ("#ffb74d", None),
    Tone.URGENT: ("#ff8a80", None),
    Tone.GOOD: ("#81c995", None),
    Tone.ALERT: ("#ffd6d2", "#5c1a16"),
    Tone.INFO: ("#dbe9fb", "#1d3a5c"),
    Tone.DRAFT: ("#fff0c2", "#4d3b00"),
    Tone.LINK: ("#8ab4f8", None),
    Tone.TITLE: ("#c6d8f0", None),
    Tone.FRAMED: ("#ffb74d", None),
    Tone.QUICK_EXIT: ("#ffffff", "#1d4f91"),
    Tone.SECRET: ("#f0f0f0", "#24292f"),
    Tone.DROP_ZONE: ("#c8c8c8", None),
    Tone.BACKDROP: (None, "#1f2226"),
    Tone.CARD: (None, "#2d3136"),
    Tone.PAPER_DESK: (None, "#3a3a3a"),
    Tone.PAPER: ("#444444", "#ffffff"),
}
# The system's own colours: emphasis by weight and frames, never by a colour of ours.
_HIGH_CONTRAST: dict[Tone, tuple[str | None, str | None]] = {
    **dict.fromkeys(_LIGHT, ("palette(window-text)", None)),
    Tone.ALERT: ("palette(text)", "palette(base)"),
    Tone.INFO: ("palette(text)", "palette(base)"),
    Tone.DRAFT: ("palette(text)", "palette(base)"),
    Tone.LINK: ("palette(link)", None),
    Tone.FRAMED: ("palette(highlight)", None),
    Tone.QUICK_EXIT: ("palette(highlighted-text)", "palette(highlight)"),
    Tone.SECRET: ("palette(text)", "palette(base)"),
    Tone.CARD: (None, "palette(window)"),
    Tone.BACKDROP: (None, "palette(window)"),
    Tone.PAPER_DESK: (None, "palette(window)"),
    Tone.PAPER: ("#000000", "#ffffff"),  # a page is black on white, as on paper
}
_COLOURS = {Scheme.LIGHT: _LIGHT, Scheme.DARK: _DARK, Scheme.HIGH_CONTRAST: _HIGH_CONTRAST}

# Size, weight, spacing and frames: the same in every scheme, but for bold, which carries
# the meaning on a high-contrast system. `{border}` is the tone's text colour, softer for a
# card or a box, the palette's mid-tone for a drop zone.
_FORM: dict[Tone, str] = {
    Tone.SMALL_NOTE: "font-size: 9pt;",
    Tone.WARNING: "font-weight: bold;",
    Tone.URGENT: "font-weight: bold;",
    Tone.GOOD: "font-weight: bold;",
    Tone.ALERT: "font-weight: bold; padding: 4px; border-radius: 3px;",
    Tone.INFO: "padding: 6px; border-radius: 3px;",
    Tone.DRAFT: "padding: 4px; border-radius: 3px;",
    Tone.LINK: "text-align: left; padding: 2px;",
    Tone.TITLE: "font-size: 30pt; font-weight: 300;",
    Tone.HEADING: "font-size: 16pt; font-weight: bold;",
    Tone.SUBHEADING: "font-size: 13pt; font-weight: bold;",
    Tone.SECTION: "font-weight: bold; margin-top: 8px;",
    Tone.STRONG: "font-weight: bold;",
    Tone.LARGE: "font-size: 11pt;",
    Tone.FRAMED: "border: 2px solid {border}; border-radius: 3px; margin-top: 1.4em;"
    " padding-top: 4px;",
    Tone.QUICK_EXIT: "font-weight: bold; padding: 4px 14px; border-radius: 4px;",
    Tone.SECRET: "font-family: monospace; font-size: 17pt; padding: 14px;"
    " border: 1px solid {border}; border-radius: 6px;",
    Tone.DROP_ZONE: "border: 2px dashed {border}; border-radius: 6px; font-size: 11pt;",
    Tone.CARD: "border: 1px solid {border}; border-radius: 8px;",
    Tone.PAPER: "border: 1px solid {border};",
}
# Borders softer than the text on a light or dark palette; on a high-contrast one, the text's.
_SOFT_BORDER = {Scheme.LIGHT: "#d0d5dd", Scheme.DARK: "#5a6068"}
_SOFT_BORDERED = (Tone.SECRET, Tone.CARD)
# A group box's title sits in the frame's margin, as Qt draws it without a style sheet.
_SUB_RULES = {
    Tone.FRAMED: "::title { subcontrol-origin: margin; left: 8px; padding: 0 3px; }",
    Tone.NAVIGATION: "::item { padding: 8px 6px; }",
}
_HIGH_CONTRAST_BOLD = (Tone.NOTE, Tone.SMALL_NOTE, Tone.ERROR, Tone.LINK, Tone.INFO, Tone.DRAFT)
_HIGH_CONTRAST_FRAMED = (Tone.ALERT, Tone.INFO, Tone.DRAFT)

# The password meter, from weakest to strongest.
_STRENGTH = {
    Scheme.LIGHT: ("#b3261e", "#c4661f", "#b08800", "#3c7d3a", "#1f6f3f"),
    Scheme.DARK: ("#ff8a80", "#ffab70", "#ffd54f", "#a5d6a7", "#81c995"),
}
# Bars of a chart, one colour per series.
_SERIES = {
    Scheme.LIGHT: ("#1f4e79", "#c55a11", "#548235"),
    Scheme.DARK: ("#8ab4f8", "#ffab70", "#a5d6a7"),
}

_ROLES = {
    "window": QPalette.ColorRole.Window,
    "window-text": QPalette.ColorRole.WindowText,
    "text": QPalette.ColorRole.Text,
    "base": QPalette.ColorRole.Base,
    "highlight": QPalette.ColorRole.Highlight,
    "highlighted-text": QPalette.ColorRole.HighlightedText,
    "link": QPalette.ColorRole.Link,
    "mid": QPalette.ColorRole.Mid,
}


def luminance(colour: QColor) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    """WCAG contrast ratio, 1 to 21 (4.5 is the least for text)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def scheme_of(palette: QPalette, *, high_contrast: bool = False) -> Scheme:
    """The look for `palette`; `high_contrast` when the system says its user asked for it.

    Without that word from the system, a palette is taken for a high-contrast theme when its
    text stands out at 7:1 at least and either its window is black or its text is a vivid
    colour (Windows' yellow or green on black): ordinary dark themes use greys.
    """
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    if high_contrast or (
        contrast(window, text) >= 7 and (luminance(window) == 0 or text.hsvSaturationF() >= 0.8)
    ):
        return Scheme.HIGH_CONTRAST
    return Scheme.DARK if luminance(window) < luminance(text) else Scheme.LIGHT


class _Current:
    """The scheme in use, read from the application's palette on first use, and the
    system's accessibility hints once `follow_system` has them."""

    scheme: Scheme | None = None
    # Both kept for the application's life: PySide6 6.11 deletes the C++ hints with the
    # last Python wrapper of them, and a later call would find them gone.
    hints: QStyleHints | None = None
    accessibility: QAccessibilityHints | None = None


def current_scheme() -> Scheme:
    if _Current.scheme is None:
        _Current.scheme = scheme_of(QGuiApplication.palette())
    return _Current.scheme


def sheet(which: Tone, scheme: Scheme) -> str:
    """The style sheet of a widget of tone `which` in `scheme`."""
    text, background = _COLOURS[scheme].get(which, (None, None))
    border = text
    if which in _SOFT_BORDERED and scheme in _SOFT_BORDER:
        border = _SOFT_BORDER[scheme]
    elif which is Tone.DROP_ZONE:
        border = "palette(mid)"
    elif which is Tone.FRAMED:
        text = None  # the frame's colour only: the group's content keeps the palette's
    declarations = [_FORM.get(which, "").format(border=border or "palette(window-text)")]
    if text is not None:
        declarations.append(f"color: {text};")
    if background is not None:
        declarations.append(f"background: {background};")
    if scheme is Scheme.HIGH_CONTRAST:
        if which in _HIGH_CONTRAST_BOLD:
            declarations.append("font-weight: bold;")
        if which in _HIGH_CONTRAST_FRAMED:
            declarations.append("border: 2px solid palette(text);")
    selector = f'*[{TONE_PROPERTY}="{which.value}"]'
    rules = f"{selector} {{ {' '.join(d for d in declarations if d)} }}"
    if which in _SUB_RULES:
        rules += f" {selector}{_SUB_RULES[which]}"
    return rules


def tone(widget: QWidget, which: Tone | None, *, centred: bool = False) -> None:
    """Give `widget` the look of `which`, or take its tone away (None).

    `centred` aligns a label's text through the style sheet: the sign-in screen must not
    build Qt's enum namespace (see ui/main_window.py).
    """
    widget.setProperty(TONE_PROPERTY, None if which is None else which.value)
    widget.setProperty("tone_centred", centred or None)
    _apply(widget, current_scheme())


def tone_of(widget: QWidget) -> Tone | None:
    """The tone `tone()` gave `widget`, None if none."""
    value = widget.property(TONE_PROPERTY)
    return Tone(value) if value else None


def _apply(widget: QWidget, scheme: Scheme) -> None:
    which = tone_of(widget)
    if which is None:
        widget.setStyleSheet("")
        return
    rules = sheet(which, scheme)
    if widget.property("tone_centred"):
        rules += f' *[{TONE_PROPERTY}="{which.value}"] {{ qproperty-alignment: AlignCenter; }}'
    widget.setStyleSheet(rules)


def colour(which: Tone) -> QColor:
    """The text colour of `which` in the scheme in use, for what is painted rather than
    styled (a table cell, a chart); the palette's text where the tone has none."""
    text = _COLOURS[current_scheme()].get(which, (None, None))[0] or "palette(window-text)"
    return _resolve(text)


def strength_colour(score: int) -> QColor:
    """The password meter's colour for `score` (0 weakest to 4)."""
    scheme = current_scheme()
    if scheme is Scheme.HIGH_CONTRAST:
        return _resolve("palette(highlight)")
    return QColor(_STRENGTH[scheme][score])


def strength_meter(bar: QProgressBar, score: int) -> None:
    """Fill the password meter `bar` in the colour of `score`; its label says it in words."""
    bar.setStyleSheet(f"QProgressBar::chunk {{ background: {strength_colour(score).name()}; }}")


def series_colour(index: int) -> QColor:
    """The colour of a chart's `index`-th series."""
    scheme = current_scheme()
    if scheme is Scheme.HIGH_CONTRAST:
        return _resolve("palette(window-text)" if index % 2 == 0 else "palette(highlight)")
    colours = _SERIES[scheme]
    return QColor(colours[index % len(colours)])


def _resolve(value: str) -> QColor:
    if value.startswith("palette("):
        return QGuiApplication.palette().color(_ROLES[value.removeprefix("palette(")[:-1]])
    return QColor(value)


def refresh(*, high_contrast: bool | None = None) -> None:
    """Read the system's palette again and give every toned widget the look it asks for.

    Painted colours (`colour`, charts) are read when a page fills itself, so they follow at
    the next refill.
    """
    if high_contrast is None:
        high_contrast = _asks_high_contrast()
    scheme = scheme_of(QGuiApplication.palette(), high_contrast=high_contrast)
    if scheme is _Current.scheme:
        return
    _Current.scheme = scheme
    for widget in QApplication.allWidgets():
        if widget.property(TONE_PROPERTY):
            _apply(widget, scheme)


def _asks_high_contrast() -> bool:
    from PySide6.QtCore import Qt  # here, not on the way to the sign-in screen

    hints = _Current.accessibility
    return hints is not None and hints.contrastPreference() == Qt.ContrastPreference.HighContrast


def follow_system(application: QGuiApplication) -> None:
    """Follow the system's light, dark and high-contrast settings from now on.

    Called once the first screen is up: the system's hints build Qt's enum namespace,
    about 30 ms the sign-in screen need not wait for. Qt sends the new palette after its
    signals, hence the look is read again once the events in hand are through.
    """
    hints = _Current.hints = application.styleHints()

    def later() -> None:
        QTimer.singleShot(0, application, refresh)

    _Current.accessibility = hints.accessibility()
    hints.colorSchemeChanged.connect(later)
    _Current.accessibility.contrastPreferenceChanged.connect(later)
    # A palette set by hand, or by a platform that has no colour-scheme signal.
    application.paletteChanged.connect(later)
    refresh()
