"""Date fields take dates as people type them, day first (06/01/2027, 6-1-2027, 06.01.2027,
6/1/27) in every language, show them as the language writes a day everywhere else
(06.01.2027 in German), and refuse what is no date rather than take another one. Date-time
fields show and give back the desk's wall clock (Brussels), whatever the PC's time zone: a
session or a contact typed at 00:30 on the 1st belongs to that month, and a Brussels time
the PC's zone skips in spring stays what was typed."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app import clock, i18n
from app.domain.appointments import AppointmentForm
from app.domain.periods import Month
from app.i18n import _
from app.services import activities
from app.services.open_desk import OpenDesk
from tests.conftest import TestClock, clock_env
from tests.ui.conftest import Prompts
from tests.ui.user import User
from ui import tasks
from ui.application import apply_language
from ui.dialogs.appointment_dialog import AppointmentDialog
from ui.dialogs.session_dialog import SessionDialog
from ui.pages.activities_page import ActivitiesPage
from ui.widgets.dates import DateRefused, date_edit, datetime_edit, day_of, moment_of, qdatetime
from ui.widgets.field_set import FieldSet

pytestmark = pytest.mark.dates

# 00:30 on 1 December in Brussels: still 30 November in UTC and further west.
FIRST_OF_THE_MONTH = datetime(2026, 12, 1, 0, 30, tzinfo=clock.BRUSSELS)


def test_a_new_session_is_held_now_on_the_desks_clock(qtbot: QtBot) -> None:
    dialog = SessionDialog("SG-2026-0001", save=None)
    qtbot.addWidget(dialog)
    held = dialog.session().held_at
    now = clock.local_now()
    assert held.tzinfo is not None
    assert clock.local_day(held) == clock.today()
    assert abs((held - now).total_seconds()) < 120  # the field shows minutes


def test_a_session_shown_again_keeps_its_time(qtbot: QtBot, test_clock: TestClock) -> None:
    test_clock.set(FIRST_OF_THE_MONTH)
    dialog = SessionDialog("SG-2026-0001", save=None)
    qtbot.addWidget(dialog)
    assert dialog.session().held_at == FIRST_OF_THE_MONTH
    assert clock.local_day(dialog.session().held_at).month == 12
    assert dialog.held_at.text() == "01/12/2026 00:30"


# Run with the PC in London, whose clocks skip 01:00-02:00 on 28 March 2027 while Brussels
# is then at 01:xx and 02:xx a UTC hour earlier: the fields must not care.
LONDON_SCRIPT = """
    from datetime import datetime
    from PySide6.QtWidgets import QApplication
    from app import clock
    from ui.widgets.dates import datetime_edit, moment_of, qdatetime
    from ui.widgets.field_set import FieldSet

    app = QApplication([])
    for text in ("2027-03-28T01:30", "2026-10-25T02:30", "2026-12-01T00:30"):
        typed = datetime.fromisoformat(text).replace(tzinfo=clock.BRUSSELS)
        edit = datetime_edit(typed)
        shown = (edit.text(), moment_of(edit).isoformat())
        fields = FieldSet()  # a draft kept across a lock, then put back
        fields.widgets["when"] = edit
        kept = fields.values()
        edit.setDateTime(qdatetime(datetime(2030, 1, 1, tzinfo=clock.BRUSSELS)))
        fields.set_values(kept)
        print(text, *shown, "| draft", edit.text(), moment_of(edit).isoformat())
"""


@pytest.mark.slow
def test_the_fields_ignore_the_pcs_time_zone() -> None:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(LONDON_SCRIPT)],
        env={**clock_env(), "TZ": "Europe/London", "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{text} {shown} {moment} | draft {shown} {moment}"
        for text, shown, moment in (
            ("2027-03-28T01:30", "28/03/2027 01:30", "2027-03-28T01:30:00+01:00"),
            ("2026-10-25T02:30", "25/10/2026 02:30", "2026-10-25T02:30:00+02:00"),
            ("2026-12-01T00:30", "01/12/2026 00:30", "2026-12-01T00:30:00+01:00"),
        )
    ]


def test_a_moment_goes_through_a_field_unchanged(qtbot: QtBot) -> None:
    edit = datetime_edit(FIRST_OF_THE_MONTH)
    qtbot.addWidget(edit)
    assert moment_of(edit) == FIRST_OF_THE_MONTH
    edit.setDateTime(qdatetime(FIRST_OF_THE_MONTH.astimezone(clock.BRUSSELS).replace(hour=23)))
    assert moment_of(edit) == FIRST_OF_THE_MONTH.replace(hour=23)


# -- typing dates as people type them ---------------------------------------------------

ACCEPTED_DAYS = ("06/01/2027", "6-1-2027", "06.01.2027", "6/1/27", "6 1 2027", "2027-01-06")
ACCEPTED_MOMENTS = {
    "06/01/2027 14:30": "06/01/2027 14:30",
    "6-1-27 14h30": "06/01/2027 14:30",
    "06.01.2027 14.30": "06/01/2027 14:30",
    "6/1/2027 9:05": "06/01/2027 09:05",
    "2027-01-06 9h": "06/01/2027 09:00",
}


# A day as each language writes it on every screen (app.i18n.format_date "short").
SHOWN_DAY = {"fr": "06/01/2027", "nl": "06/01/2027", "de": "06.01.2027", "en": "06/01/2027"}


def shown(written: str, language: str) -> str:
    """`written` (day/month/year) as a field shows it in `language`."""
    return written.replace("/", SHOWN_DAY[language][2])


@pytest.fixture(params=["fr", "nl", "de"])
def ui_language(request: pytest.FixtureRequest) -> Iterator[str]:
    """The window's language, as chosen at start-up; English again afterwards."""
    before = QLocale()
    apply_language(request.param)
    yield request.param
    i18n.set_language("en")
    QLocale.setDefault(before)


def typed(qtbot: QtBot, field: QWidget, text: str) -> None:
    """Select what the field shows, type `text` over it and press Enter, as a person does."""
    target = field.focusProxy() or field
    qtbot.keyClick(target, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(target, text)
    qtbot.keyClick(target, Qt.Key.Key_Return)


def in_a_window(qtbot: QtBot, *fields: QWidget) -> QWidget:
    window = QWidget()
    layout = QVBoxLayout(window)
    for field in fields:
        layout.addWidget(field)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.mark.parametrize("text", ACCEPTED_DAYS)
def test_a_date_is_typed_in_the_usual_forms(qtbot: QtBot, ui_language: str, text: str) -> None:
    edit = date_edit(_("Date of the activity"), date(2026, 11, 17))
    _window = in_a_window(qtbot, edit)
    typed(qtbot, edit, text)
    assert edit.text() == SHOWN_DAY[ui_language]  # shown normalised
    assert edit.text() == i18n.format_date(date(2027, 1, 6))  # as on every other screen
    assert day_of(edit) == date(2027, 1, 6)


@pytest.mark.parametrize("text", ACCEPTED_MOMENTS)
def test_a_date_and_time_is_typed_in_the_usual_forms(
    qtbot: QtBot, ui_language: str, text: str
) -> None:
    edit = datetime_edit(FIRST_OF_THE_MONTH)
    _window = in_a_window(qtbot, edit)
    typed(qtbot, edit, text)
    assert edit.text() == shown(ACCEPTED_MOMENTS[text], ui_language)
    hour, minute = (int(part) for part in ACCEPTED_MOMENTS[text][-5:].split(":"))
    assert moment_of(edit) == datetime(2027, 1, 6, hour, minute, tzinfo=clock.BRUSSELS)


@pytest.mark.parametrize("text", ["31/02/2027", "13/13/2027", "29/02/2027", "demain", "6/1"])
def test_an_impossible_date_is_refused_never_changed(
    qtbot: QtBot, ui_language: str, text: str
) -> None:
    edit = date_edit(_("Date of the activity"), date(2026, 11, 17))
    _window = in_a_window(qtbot, edit)
    typed(qtbot, edit, text)
    assert edit.text() == text  # left as typed, for the person to correct
    assert edit.message.isVisible()
    assert edit.message.text() == _("Not a date: type it as {day}.").format(
        day=SHOWN_DAY[ui_language]
    )
    assert edit.line.accessibleDescription() == edit.message.text()  # read out too
    with pytest.raises(DateRefused) as refused:
        day_of(edit)
    assert str(refused.value) == _("{field}: {problem}").format(
        field=_("Date of the activity"),
        problem=_(
            "This is not a date. Type the day, the month and the year, for example {day}."
        ).format(day=SHOWN_DAY[ui_language]),
    )
    typed(qtbot, edit, "6/1/2027")
    assert not edit.message.isVisible() and day_of(edit) == date(2027, 1, 6)


def test_an_impossible_time_is_refused(qtbot: QtBot) -> None:
    edit = datetime_edit(FIRST_OF_THE_MONTH)
    edit.setAccessibleName("Date and time")
    _window = in_a_window(qtbot, edit)
    for text in ("06/01/2027 25:00", "06/01/2027 14:60", "06/01/2027"):
        typed(qtbot, edit, text)
        assert edit.text() == text and edit.message.isVisible()
        with pytest.raises(DateRefused, match=r"^Date and time: This is not a date and time"):
            moment_of(edit)


def test_a_date_out_of_the_fields_limits_is_refused(qtbot: QtBot) -> None:
    edit = date_edit("Opened from", date(2027, 1, 6))
    edit.setMinimumDate(QDate(2000, 1, 1))
    edit.setMaximumDate(QDate(2030, 12, 31))
    _window = in_a_window(qtbot, edit)
    typed(qtbot, edit, "31/12/1999")
    assert edit.message.text() == "The date cannot be before 01/01/2000."
    with pytest.raises(DateRefused, match=r"^Opened from: The date cannot be before 01/01/2000"):
        day_of(edit)
    typed(qtbot, edit, "1/1/2031")
    assert edit.message.text() == "The date cannot be after 31/12/2030."
    assert edit.date() == QDate(2027, 1, 6)  # what a filter on it still shows


def test_the_keyboard_moves_the_day_opens_the_calendar_and_leaves_with_tab(
    qtbot: QtBot,
) -> None:
    edit, following = date_edit("Call back on", date(2027, 1, 6)), QLineEdit()
    window = in_a_window(qtbot, edit, following)
    window.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(edit.line.hasFocus)
    assert edit.line.accessibleName() == "Call back on"
    qtbot.keyClick(edit.line, Qt.Key.Key_Up)
    assert edit.text() == "07/01/2027"
    qtbot.keyClick(edit.line, Qt.Key.Key_Down)
    qtbot.keyClick(edit.line, Qt.Key.Key_Down)
    assert day_of(edit) == date(2027, 1, 5)
    qtbot.keyClick(edit.line, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = edit.findChild(QCalendarWidget)
    assert calendar is not None and calendar.isVisible()
    assert calendar.selectedDate() == QDate(2027, 1, 5)
    qtbot.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Right)
    qtbot.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Return)
    assert not calendar.isVisible()
    assert edit.text() == "06/01/2027"
    qtbot.keyClicks(edit.line, "x")
    qtbot.keyClick(edit.line, Qt.Key.Key_Tab)
    qtbot.waitUntil(following.hasFocus)
    assert edit.message.isVisible()  # left with a typo: said at once


def test_an_activity_typed_on_6_january_2027_is_saved_on_that_day(
    qtbot: QtBot, reception: OpenDesk, recorded_prompts: Prompts
) -> None:
    page = ActivitiesPage()
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    page.open_desk(reception)
    tasks.wait_for_all()
    user = User(qtbot, page)
    qtbot.waitUntil(lambda: bool(user.options("Kind of activity")))  # the desk's kinds read
    user.type("Date of the activity", "31/02/2027")
    user.type("Title", "Atelier")
    user.press("Save the activity")
    refused = "Not a date: type it as 06/01/2027."
    # Said once, at the field, the cursor there; nothing saved.
    assert user.said().count(refused) == 1
    assert user.find("Date of the activity").isAncestorOf(page.focusWidget())
    assert activities.activities_of(reception, Month(2027, 2), Month(2027, 3)) == []
    user.type("Date of the activity", "06/01/2027")
    user.press("Save the activity")
    january = Month(2027, 1)
    qtbot.waitUntil(lambda: bool(activities.activities_of(reception, january, january)))
    [saved] = activities.activities_of(reception, january, january)
    assert (saved.held_on, saved.title) == (date(2027, 1, 6), "Atelier")
    assert recorded_prompts.errors == [] and refused not in user.said()
    tasks.wait_for_all()


def test_an_appointment_typed_with_its_time(qtbot: QtBot, recorded_prompts: Prompts) -> None:
    saved: list[AppointmentForm] = []
    dialog = AppointmentDialog("case-1", "SG-2027-0001", saved.append, None)
    qtbot.addWidget(dialog)
    dialog.show()
    typed(qtbot, dialog.starts_at, "30/02/2027 14h30")  # Enter saves, as in any dialog
    assert not saved and dialog.starts_at.message.isVisible()
    assert recorded_prompts.errors == [
        "Date and time: This is not a date and time. Type the day, the month, the year and "
        "the time, for example 06/01/2027 14:30."
    ]
    typed(qtbot, dialog.starts_at, "6.1.2027 14h30")
    qtbot.waitUntil(lambda: bool(saved))
    [form] = saved
    assert form.starts_at == datetime(2027, 1, 6, 14, 30, tzinfo=clock.BRUSSELS)


def test_a_date_in_a_draft_is_kept_as_before(qtbot: QtBot) -> None:
    """Drafts written before date fields were typed (WALL_TIME_FORMAT) still load."""
    fields = FieldSet()
    edit = fields.add("due_on", date_edit("Call back on", date(2027, 1, 6)))
    qtbot.addWidget(edit)
    assert fields.values() == {"due_on": "2027-01-06T00:00"}
    fields.set_values({"due_on": "2027-03-28T00:00"})
    assert edit.text() == "28/03/2027"
    fields.set_values({"due_on": "not a draft"})
    assert edit.text() == "28/03/2027"


def test_what_a_field_keeps_comes_back_after_a_change_of_language(qtbot: QtBot) -> None:
    apply_language("de")
    german = date_edit(_("Date of the activity"), date(2026, 11, 17))
    _window = in_a_window(qtbot, german)
    typed(qtbot, german, "6/1/27")
    assert german.text() == "06.01.2027"
    draft, as_typed = german.draft(), german.text()
    apply_language("fr")
    french = date_edit(_("Date of the activity"), date(2026, 11, 17))
    again = date_edit(_("Date of the activity"), date(2026, 11, 17))
    _other = in_a_window(qtbot, french, again)
    french.restore(draft)  # a draft of the form
    again.put_back(as_typed)  # the screen as it was left (ui/widgets/typed_input.py)
    assert french.text() == again.text() == "06/01/2027"
    assert day_of(french) == day_of(again) == date(2027, 1, 6)
