"""What a tester found walking through the real window: the wheel scrolling a long form
changed the drop-down list under the pointer; German words left in English."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.domain.desk import DeskInfo
from app.services import demo
from app.services.open_desk import OpenDesk
from ui import tasks
from ui.application import apply_language
from ui.pages.intake_page import IntakePage
from ui.widgets import wheel_guard


@pytest.fixture
def guarded(qapp: QApplication) -> Iterator[None]:
    """The guard HavreApplication installs (the tests' application is a plain one)."""
    guard = wheel_guard.install(qapp)
    yield
    qapp.removeEventFilter(guard)
    guard.deleteLater()


def _wheel_down(widget: QWidget) -> None:
    centre = widget.rect().center()
    QApplication.sendEvent(
        widget,
        QWheelEvent(
            QPointF(centre),
            QPointF(widget.mapToGlobal(centre)),
            QPoint(0, 0),
            QPoint(0, -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        ),
    )


def test_the_wheel_scrolls_the_intake_form_not_the_municipality_under_it(
    qtbot: QtBot, reception: OpenDesk, guarded: None
) -> None:
    page = IntakePage()
    qtbot.addWidget(page)
    page.open_desk(reception)
    page.resize(1024, 600)
    page.show()
    qtbot.waitExposed(page)
    tasks.wait_for_all()
    combo = page.person.municipality
    page.form_area.ensureWidgetVisible(combo)
    chosen = combo.currentIndex()
    scrolled = page.form_area.verticalScrollBar()
    before = scrolled.value()
    assert scrolled.maximum() > before
    _wheel_down(combo)
    assert combo.currentIndex() == chosen
    assert scrolled.value() > before
    assert not combo.hasFocus()
    # Clicked or tabbed into, the list takes the wheel as it always did.
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    _wheel_down(combo)
    assert combo.currentIndex() != chosen


def test_a_demo_desk_made_in_one_language_is_named_in_the_screen_s(
    qtbot: QtBot,
) -> None:
    apply_language("en")
    made_in_english = DeskInfo(
        id="d",
        name="Demo",
        code="DEMO",
        organisation=demo.DEMO_ORGANISATION,
        nis_code="21013",
        network_name=None,
        language="en",
        is_demo=True,
        created_at=datetime(2026, 12, 3),
    )
    made_in_french = replace(made_in_english, organisation="Démonstration (données fictives)")
    apply_language("de")
    assert demo.organisation_shown(made_in_english) == "Vorführung (erfundene Daten)"
    assert demo.organisation_shown(made_in_french) == "Vorführung (erfundene Daten)"
    # A real desk's organisation is what was typed, whatever it says.
    typed = replace(made_in_english, is_demo=False)
    assert demo.organisation_shown(typed) == "Demonstration (synthetic data)"
