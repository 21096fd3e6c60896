"""The tones of ui/style.py are readable on a light, a dark and a high-contrast palette, and
follow the system's palette while Havre runs."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.conftest import DeskFixture
from ui import style
from ui.lock_screen import LockScreen
from ui.style import Scheme, Tone

# Fusion's light and dark windows, a darker editor-like one, and Windows' high-contrast
# themes (white on black, yellow on black, black on white).
LIGHT_WINDOWS = ("#efefef", "#ffffff", "#f3f3f3")
DARK_WINDOWS = ("#353535", "#1e1e1e", "#2b2b2b")
HIGH_CONTRAST = (("#000000", "#ffffff"), ("#000000", "#ffff00"), ("#ffffff", "#000000"))
_DECLARED = re.compile(r"\b(color|background): ([^;]+);")


def _palette(window: str, text: str) -> QPalette:
    palette = QPalette(QColor(window))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
        palette.setColor(role, QColor(text))
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        palette.setColor(role, QColor(window))
    palette.setColor(QPalette.ColorRole.Link, QColor(text))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(text))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor(window))
    return palette


def _pairs(scheme: Scheme, palette: QPalette) -> Iterator[tuple[Tone, QColor, QColor]]:
    """(tone, its text colour, what it stands on) for every tone that names a text colour,
    palette roles resolved against `palette`."""
    roles = {
        "window": QPalette.ColorRole.Window,
        "window-text": QPalette.ColorRole.WindowText,
        "text": QPalette.ColorRole.Text,
        "base": QPalette.ColorRole.Base,
        "link": QPalette.ColorRole.Link,
        "highlight": QPalette.ColorRole.Highlight,
        "highlighted-text": QPalette.ColorRole.HighlightedText,
    }

    def resolve(value: str) -> QColor:
        if value.startswith("palette("):
            return palette.color(roles[value.removeprefix("palette(").removesuffix(")")])
        return QColor(value)

    for tone in Tone:
        declared = dict(_DECLARED.findall(style.sheet(tone, scheme).split("}")[0]))
        if "color" in declared:
            behind = declared.get("background", "palette(window)")
            yield tone, resolve(declared["color"]), resolve(behind)


@pytest.mark.parametrize(
    ("scheme", "window", "text"),
    [(Scheme.LIGHT, window, "#000000") for window in LIGHT_WINDOWS]
    + [(Scheme.DARK, window, "#ffffff") for window in DARK_WINDOWS],
)
def test_tones_are_readable(scheme: Scheme, window: str, text: str) -> None:
    palette = _palette(window, text)
    assert style.scheme_of(palette) is scheme
    low = [
        (tone.value, round(style.contrast(colour, behind), 2))
        for tone, colour, behind in _pairs(scheme, palette)
        if style.contrast(colour, behind) < 4.5
    ]
    assert low == []


@pytest.mark.parametrize("window", DARK_WINDOWS)
def test_the_light_tones_would_not_be_readable_on_a_dark_window(window: str) -> None:
    # The reason for a dark scheme: the soft colours of the light one fade into the window.
    assert style.contrast(QColor("#555555"), QColor(window)) < 4.5


@pytest.mark.parametrize(("window", "text"), HIGH_CONTRAST)
def test_high_contrast_tones_are_the_systems_own(window: str, text: str) -> None:
    palette = _palette(window, text)
    assert style.scheme_of(palette, high_contrast=True) is Scheme.HIGH_CONTRAST
    low = [
        (tone.value, round(style.contrast(colour, behind), 2))
        for tone, colour, behind in _pairs(Scheme.HIGH_CONTRAST, palette)
        if style.contrast(colour, behind) < 7
    ]
    assert low == []
    for tone in Tone:
        sheet = style.sheet(tone, Scheme.HIGH_CONTRAST)
        # Our colours only on the printed page, which is white on paper too.
        assert tone is Tone.PAPER or "#" not in sheet.replace('"', "").split("{", 1)[1], tone


def test_a_high_contrast_theme_is_recognised_from_its_palette() -> None:
    assert style.scheme_of(_palette("#000000", "#ffffff")) is Scheme.HIGH_CONTRAST
    assert style.scheme_of(_palette("#000000", "#ffff00")) is Scheme.HIGH_CONTRAST
    # Ordinary themes, light or dark, are not taken for one.
    assert style.scheme_of(_palette("#efefef", "#000000")) is Scheme.LIGHT
    assert style.scheme_of(_palette("#353535", "#ffffff")) is Scheme.DARK


def test_painted_colours_are_readable_in_both_schemes() -> None:
    for scheme, window in ((Scheme.LIGHT, "#ffffff"), (Scheme.DARK, "#1e1e1e")):
        for tone in (Tone.GOOD, Tone.ERROR, Tone.NOTE, Tone.LINK):
            text = QColor(dict(_DECLARED.findall(style.sheet(tone, scheme)))["color"])
            assert style.contrast(text, QColor(window)) >= 4.5, (scheme, tone)


@pytest.fixture
def dark_system(qapp: QApplication) -> Iterator[QPalette]:
    """The system switching to a dark palette while Havre runs, and back after the test."""
    light = qapp.palette()
    style.follow_system(qapp)
    yield _palette("#1e1e1e", "#ffffff")
    qapp.setPalette(light)
    style.refresh(high_contrast=False)


def test_the_sign_in_screen_follows_the_system_to_dark(
    qtbot: QtBot, desk: DeskFixture, dark_system: QPalette
) -> None:
    screen = LockScreen()
    qtbot.addWidget(screen)
    screen.set_database(desk.database)
    screen.show()
    qtbot.keyClicks(screen.user_name, "rita")
    qtbot.keyClicks(screen.password, "not her password")
    qtbot.mouseClick(screen.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: style.tone_of(screen.message) is Tone.ERROR, timeout=10_000)
    refusal = screen.message.palette().color(QPalette.ColorRole.WindowText)
    assert refusal == QColor("#b3261e")

    QApplication.setPalette(dark_system)
    qtbot.waitUntil(lambda: style.current_scheme() is Scheme.DARK)
    shown = screen.message.palette().color(QPalette.ColorRole.WindowText)
    assert style.contrast(shown, QColor("#1e1e1e")) >= 4.5
    assert shown != refusal


@pytest.mark.parametrize("scheme", list(Scheme))
def test_every_frame_has_a_colour(scheme: Scheme) -> None:
    for tone in Tone:
        assert "None" not in style.sheet(tone, scheme), tone
