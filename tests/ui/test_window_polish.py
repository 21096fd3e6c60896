"""What a tester found walking through the real window: the wheel scrolling a long form
changed the drop-down list under the pointer; text cut at 1024 x 700; German words left
in English."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app import clock, i18n
from app.domain.activities import ActivityForm
from app.domain.codes import ActivityKind, Audience, DatePrecision
from app.domain.desk import DeskInfo
from app.domain.intake import format_incident_date, parse_incident_date
from app.instance_lock import DeskLock
from app.services import activities, demo, intake
from app.services.open_desk import OpenDesk
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, DeskFixture
from tests.factories import named_intake
from tests.ui.conftest import sign_in
from tests.ui.user import User
from ui import tasks
from ui.application import apply_language
from ui.main_window import MainWindow
from ui.pages.case.case_form import FormScroll
from ui.settings import UiSettings
from ui.workspace import Workspace


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
    qtbot: QtBot, reception: OpenDesk, tmp_path: Path
) -> None:
    page = Workspace(UiSettings(tmp_path / "ui.ini")).intake_page  # guarded as built
    page.setParent(None)
    qtbot.addWidget(page)
    page.open_desk(reception)
    page.resize(1024, 600)
    page.show()
    qtbot.waitExposed(page)
    tasks.wait_for_all()
    combo = User(qtbot, page).find("Municipality of residence")
    assert isinstance(combo, QComboBox)
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


def _whole(widget: QWidget, text: str, room: int = 0) -> bool:
    """`text` fits in `widget` with `room` pixels more (a box to tick, an arrow)."""
    return widget.fontMetrics().horizontalAdvance(text) + room <= widget.width()


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_nothing_is_cut_at_1024_by_700(
    qtbot: QtBot, desk: DeskFixture, tmp_path: Path, language: str, havre_font: None
) -> None:
    apply_language(language)
    lock = DeskLock(desk.database)
    lock.acquire()
    window = MainWindow(lock, UiSettings(tmp_path / "ui.ini"))
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    assert window.desk is not None
    case_id = intake.record_intake(window.desk, named_intake("Nadia")).case_id
    workspace = window.workspace
    pages = User(qtbot, window)

    # The case's form scrolls up and down, never sideways: the timeline gives way.
    # harness: the case opened as the case list or the intake opens it.
    workspace.open_case(case_id)
    qtbot.waitUntil(lambda: workspace.case_page.detail is not None)
    form = workspace.case_page.findChild(FormScroll)
    assert form is not None
    QApplication.processEvents()
    assert form.horizontalScrollBar().maximum() == 0
    assert form.viewport().width() >= form.widget().minimumSizeHint().width()

    pages.click_row(i18n._("Pages"), i18n._("Cases"))
    search = workspace.case_list_page.search
    assert _whole(search, search.placeholderText(), 16)

    # Title and place whole, not cut to "A…"; the kinds' long names elided (whole in the form).
    activities.save_activity(
        window.desk,
        ActivityForm(
            clock.today(),
            ActivityKind.OTHER,
            "Atelier smartphone",
            "Maison de quartier",
            Audience.WOMEN,
            8,
        ),
    )
    pages.click_row(i18n._("Pages"), i18n._("Activities and housing"))
    table = User(qtbot, workspace.activities_page).find(i18n._("Activities of the month"))
    assert isinstance(table, QTableView)
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    header = table.horizontalHeader()
    for column in (2, 3):  # title, place
        shown = str(table.model().index(0, column).data())
        assert header.sectionSize(column) > table.fontMetrics().horizontalAdvance(shown)
        assert header.sectionResizeMode(column) is QHeaderView.ResizeMode.Interactive

    pages.click_row(i18n._("Pages"), i18n._("Printed material"))
    printing_page = workspace.printing_page
    # harness: the case handed over as the case page's Print button does.
    printing_page.set_case((case_id, "DEMO-2026-0123"))
    QApplication.processEvents()
    # Whole within the controls (they have a fixed width, and cut the rest).
    choices = printing_page.choices
    controls = choices.parentWidget()
    for line in (printing_page.on_case, choices.reviewed, choices.unreviewed):
        end = line.mapTo(controls, QPoint(line.sizeHint().width(), 0)).x()
        assert end <= controls.width(), line.text()
        assert line.width() >= line.sizeHint().width(), line.text()  # not squeezed either

    pages.click_row(i18n._("Pages"), i18n._("Directory"))
    directory = User(qtbot, workspace.directory_page)
    qtbot.waitUntil(lambda: bool(directory.rows(i18n._("Services found"))))
    serving = directory.find(i18n._("Municipality served"))
    assert isinstance(serving, QComboBox)
    serving.setFocus()
    qtbot.keyClicks(serving, "Schaerbeek")  # chosen by typing its name
    QApplication.processEvents()
    assert _whole(serving, serving.currentText(), 30)
    # However narrow the window gets, such a name is never cut.
    least = serving.fontMetrics().horizontalAdvance(serving.currentText())
    assert serving.minimumSizeHint().width() >= least + 20
    tasks.wait_for_all()


def test_the_directory_entry_form_scrolls_in_a_low_window(qtbot: QtBot, window: MainWindow) -> None:
    """The entry's form is taller than 700 pixels: it scrolls up and down, never sideways,
    and its buttons stay in sight."""
    window.resize(1024, 700)
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    User(qtbot, window).click_row("Pages", "Directory")
    user = User(qtbot, window.workspace.directory_page)
    user.open_tab("Keep the entries")
    user.press("New entry…")
    QApplication.processEvents()
    form = user.find("Key").parentWidget()
    assert form is not None
    scroll = next(w for w in window.findChildren(QScrollArea) if w.widget() is form)
    assert scroll.verticalScrollBar().maximum() > 0
    assert scroll.horizontalScrollBar().maximum() == 0
    assert scroll.viewport().width() >= form.minimumSizeHint().width()
    for button in ("New entry…", "Save the entry", "Mark verified today"):
        shown = user.find(button)
        corner = shown.mapTo(window, QPoint(shown.width(), shown.height()))
        assert window.rect().contains(corner), button
    # A refusal far down the form is brought into sight, under its field.
    user.type("Sunday", "all day")
    scroll.verticalScrollBar().setValue(0)
    user.press("Save the entry")
    refused = "Write the hours as 09:00-17:00, several separated by commas."
    qtbot.waitUntil(lambda: refused in user.said())
    [message] = [label for label in form.findChildren(QLabel) if label.text() == refused]
    viewport = scroll.viewport()
    qtbot.waitUntil(
        lambda: viewport.rect().contains(message.mapTo(viewport, message.rect().bottomLeft()))
    )
    tasks.wait_for_all()


@pytest.mark.parametrize("language", i18n.LANGUAGE_CODES)
def test_a_day_is_written_alike_in_fields_and_on_screens(language: str) -> None:
    apply_language(language)
    day = date(2027, 1, 6)
    assert i18n.numeric_day(day) == i18n.format_date(day)
    assert i18n.numeric_month(day) == i18n.format_date(day)[3:]
    # A last incident, to the day or to the month, shown so and read back in any language.
    for precision in DatePrecision:
        shown = format_incident_date(day, precision)
        assert shown.endswith(i18n.format_date(day)[3:])
        for other in i18n.LANGUAGE_CODES:
            apply_language(other)
            read, read_precision = parse_incident_date(shown)
            assert read_precision is precision
            assert read == (day if precision is DatePrecision.DAY else day.replace(day=1))
        apply_language(language)
