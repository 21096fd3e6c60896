"""The activities page as a receptionist uses it: an activity recorded, changed, refused
under its field and deleted; the list sorted; an activity saved in another month shown in
that month; housing units added and retired, their stays recorded, ended and deleted, and
the occupancy of the month."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.activities import ActivityForm, UnitForm
from app.domain.codes import ActivityKind, Audience
from app.domain.periods import Month
from app.i18n import format_date
from app.services import activities, drafts, housing
from app.services.open_desk import OpenDesk
from tests.conftest import STAFF_PASSWORD
from tests.ui.conftest import Prompts, quick_exit, sign_in
from tests.ui.test_saved_once_across_a_lock import (
    answered_after_a_lock,
    locked_while_saving,
    saved_once,
)
from tests.ui.user import User
from ui import tasks
from ui.main_window import MainWindow
from ui.pages.activities_page import ActivitiesPage

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates

ACTIVITIES = "Activities of the month"
UNITS = "Housing units"
STAYS = "Stays of the unit"
RETIRE = "Retire the unit…"
#: the desk's own name of its La cabane afternoons (its default list)
CABANE = "“La cabane” (children aged 5 to 10)"


def written(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def opened(qtbot: QtBot, reception: OpenDesk) -> User:
    """The page shown, as it is once signed in; what the services hold is read then."""
    page = ActivitiesPage()
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    page.open_desk(reception)
    tasks.wait_for_all()
    return User(qtbot, page)


@pytest.fixture
def user(qtbot: QtBot, reception: OpenDesk) -> User:
    return opened(qtbot, reception)


def _activity(held_on: date, title: str, participants: int) -> ActivityForm:
    return ActivityForm(
        held_on, ActivityKind.ANIMATION, title, "École 3", Audience.YOUNG_PEOPLE, participants
    )


def test_an_activity_is_recorded_changed_and_deleted(
    qtbot: QtBot, user: User, reception: OpenDesk, recorded_prompts: Prompts
) -> None:
    this_month = Month.of(clock.today())
    assert user.text("Month") == format_date(this_month.first_day, "LLLL yyyy")
    assert "New activity" in user.said()
    user.type("Date of the activity", written(this_month.first_day))
    user.choose("Kind of activity", CABANE)
    assert user.text("Audience") == Audience.CHILDREN.label  # suggested from the kind
    user.type("Title", "La cabane de novembre")
    user.type("Place", "Maison de quartier")
    user.type("Participants", "9")
    user.press("Save the activity")
    qtbot.waitUntil(lambda: len(user.rows(ACTIVITIES)) == 1)
    [shown] = user.rows(ACTIVITIES)
    assert shown[1:] == [
        CABANE,
        "La cabane de novembre",
        "Maison de quartier",
        Audience.CHILDREN.label,
        "9",
    ]
    qtbot.waitUntil(lambda: "9 participants" in user.said())
    user.press("New activity")
    assert user.text("Title") == "" and "New activity" in user.said()
    user.click_row(ACTIVITIES, "La cabane de novembre")
    assert "Change the activity" in user.said() and user.text("Participants") == "9"
    user.type("Participants", "11")
    user.press("Save the activity")
    qtbot.waitUntil(lambda: "1 activity in" in user.said() and "11 participants" in user.said())
    [stored] = activities.activities_of(reception, this_month, this_month)
    assert (stored.participants, stored.kind.id) == (11, ActivityKind.LA_CABANE)

    user.click_row(ACTIVITIES, "La cabane de novembre")
    user.press("Delete…")
    qtbot.waitUntil(lambda: user.rows(ACTIVITIES) == [])
    assert recorded_prompts.questions == ["Delete this activity from the counts?"]
    assert activities.activities_of(reception, this_month, this_month) == []
    assert "0 activities in" in user.said() and "New activity" in user.said()


def test_an_activity_still_to_come_with_participants_is_refused_under_the_field(
    qtbot: QtBot, user: User, reception: OpenDesk, recorded_prompts: Prompts
) -> None:
    ahead = clock.today() + timedelta(days=7)
    user.type("Date of the activity", written(ahead))
    user.type("Participants", "5")
    user.press("Save the activity")
    qtbot.waitUntil(lambda: "An activity still to come has no participants yet" in user.said())
    assert recorded_prompts.errors == []
    months = Month.of(clock.today()), Month.of(ahead)
    assert activities.activities_of(reception, min(months), max(months)) == []
    # Left without a title, the activity is called by its kind.
    user.type("Participants", "0")
    user.keys("Ctrl+S")
    qtbot.waitUntil(lambda: bool(activities.activities_of(reception, *months)))
    [saved] = activities.activities_of(reception, *months)
    assert (saved.held_on, saved.title) == (ahead, saved.kind.label)
    assert "An activity still to come has no participants yet" not in user.said()


def test_an_activity_saved_in_another_month_is_shown_in_that_month(
    qtbot: QtBot, user: User, reception: OpenDesk
) -> None:
    before = Month.of(clock.today()).previous()
    user.type("Date of the activity", written(before.first_day))
    user.type("Title", "Atelier smartphone")
    user.press("Save the activity")
    qtbot.waitUntil(lambda: user.text("Month") == format_date(before.first_day, "LLLL yyyy"))
    qtbot.waitUntil(lambda: [row[2] for row in user.rows(ACTIVITIES)] == ["Atelier smartphone"])
    qtbot.waitUntil(lambda: "Change the activity" in user.said())
    assert user.selected(ACTIVITIES)[2] == "Atelier smartphone"
    assert user.text("Title") == "Atelier smartphone"


def test_a_click_on_a_header_sorts_the_activities_by_number(
    qtbot: QtBot, reception: OpenDesk
) -> None:
    first = Month.of(clock.today()).first_day
    for title, participants in (("B", 100), ("C", 9), ("A", 12)):
        activities.save_activity(reception, _activity(first, title, participants))
    user = opened(qtbot, reception)
    qtbot.waitUntil(lambda: len(user.rows(ACTIVITIES)) == 3)
    user.click_row(ACTIVITIES, "C")
    user.click_header(ACTIVITIES, 2)
    titles = [row[2] for row in user.rows(ACTIVITIES)]
    user.click_header(ACTIVITIES, 2)
    assert sorted([titles, [row[2] for row in user.rows(ACTIVITIES)]]) == [
        ["A", "B", "C"],
        ["C", "B", "A"],
    ]
    assert user.text("Title") == "C"  # still the one chosen
    user.click_header(ACTIVITIES, 5)
    numbers = [row[5] for row in user.rows(ACTIVITIES)]
    user.click_header(ACTIVITIES, 5)
    again = [row[5] for row in user.rows(ACTIVITIES)]
    assert sorted([numbers, again]) == [["100", "12", "9"], ["9", "12", "100"]]


def test_the_delete_key_deletes_the_chosen_activity_once_confirmed(
    qtbot: QtBot, reception: OpenDesk, recorded_prompts: Prompts
) -> None:
    this_month = Month.of(clock.today())
    activities.save_activity(reception, _activity(this_month.first_day, "Théâtre", 20))
    user = opened(qtbot, reception)
    qtbot.waitUntil(lambda: len(user.rows(ACTIVITIES)) == 1)
    user.click_row(ACTIVITIES, "Théâtre")
    recorded_prompts.confirm_answer = False
    user.keys("Delete")
    assert recorded_prompts.questions == ["Delete this activity from the counts?"]
    tasks.wait_for_all()
    assert len(activities.activities_of(reception, this_month, this_month)) == 1
    recorded_prompts.confirm_answer = True
    user.keys("Delete")
    qtbot.waitUntil(lambda: user.rows(ACTIVITIES) == [])
    assert activities.activities_of(reception, this_month, this_month) == []


def test_housing_units_stays_and_occupancy(
    qtbot: QtBot, user: User, reception: OpenDesk, recorded_prompts: Prompts
) -> None:
    user.open_tab("Emergency housing")
    qtbot.waitUntil(lambda: "No housing unit yet" in user.said())
    assert not user.find("Save the stay").isEnabled()
    assert not user.find(RETIRE).isEnabled()
    user.press("Save the unit")
    qtbot.waitUntil(lambda: "The unit's name cannot be empty." in user.said())
    assert housing.housing(reception).units == []
    month = Month.of(clock.today())
    start = clock.today() - timedelta(days=2)
    user.type("Name of the unit", "Studio A")
    user.type("Available from", written(month.previous().first_day))
    assert user.find("Still in use").isChecked()
    user.press("Save the unit")
    qtbot.waitUntil(lambda: len(user.rows(UNITS)) == 1 and user.find(STAYS).isEnabled())
    assert user.selected(UNITS)[:1] == ["Studio A"]
    assert user.rows(UNITS)[0][3] == "free"
    user.type("Day of arrival", written(start))
    assert user.find("Still there").isChecked()
    user.press("Save the stay")
    qtbot.waitUntil(lambda: len(user.rows(STAYS)) == 1 and user.rows(UNITS)[0][3] == "occupied")
    nights = (clock.today() - max(start, month.first_day)).days + 1
    qtbot.waitUntil(lambda: f"{nights} of {month.days} unit-nights occupied" in user.said())
    assert user.rows(STAYS)[0][1] == "still there"

    # A second stay over the first is refused under its field, its date as dates are
    # written; nothing changes.
    user.press("New stay")
    user.press("Save the stay")
    qtbot.waitUntil(lambda: "one stay at a time" in user.said())
    assert f"occupied from {format_date(start)} then" in user.said()
    assert recorded_prompts.errors == []
    assert len(housing.housing(reception).stays) == 1

    # The stay ends today: the unit is free again.
    user.click_row(STAYS, "still there")
    user.tick("Still there", False)
    user.type("Day of leaving", written(clock.today()))
    user.press("Save the stay")
    qtbot.waitUntil(lambda: user.rows(UNITS)[0][3] == "free")
    [stay] = housing.housing(reception).stays
    assert stay.ends_on == clock.today()
    # The stays list is read again on its own, after the units list: wait for it too.
    qtbot.waitUntil(lambda: user.rows(STAYS)[0][1] == format_date(clock.today(), "short"))

    user.click_row(STAYS, format_date(clock.today(), "short"))
    user.press("Delete the stay…")
    qtbot.waitUntil(lambda: user.rows(STAYS) == [])
    assert recorded_prompts.questions[-1] == "Delete this stay from the counts?"
    assert housing.housing(reception).stays == []

    # The unit is no longer used after tonight.
    user.click_row(UNITS, "Studio A")
    user.press(RETIRE)
    tomorrow = clock.today() + timedelta(days=1)
    qtbot.waitUntil(lambda: user.rows(UNITS)[0][2] == format_date(tomorrow, "short"))
    [unit] = housing.housing(reception).units
    assert unit.available_until == tomorrow
    # Still listed, and still chosen: its last night in its form.
    qtbot.waitUntil(lambda: user.selected(UNITS)[:1] == ["Studio A"])
    assert not user.find("Still in use").isChecked()
    assert user.text("Last night the unit is available") == written(clock.today())
    assert recorded_prompts.questions[-1] == (
        "Retire this unit? It will not be available after tonight."
    )


def test_a_unit_with_a_stay_running_is_not_retired_and_nothing_is_asked(
    qtbot: QtBot, reception: OpenDesk, recorded_prompts: Prompts
) -> None:
    """Found in the real window: "Stop using the unit?" was asked first, and only then was
    the person told that it could not be done."""
    start = clock.today() - timedelta(days=10)
    unit = housing.save_unit(reception, UnitForm("Studio A", start))
    housing.save_stay(reception, unit, start, None)
    refusal = f"The stay from {format_date(start)} runs past that night: end it first."
    user = opened(qtbot, reception)
    user.open_tab("Emergency housing")
    qtbot.waitUntil(lambda: user.selected(UNITS)[:1] == ["Studio A"])
    # The Delete key in the list, as in every list: the unit is retired, or told why not.
    user.click_row(UNITS, "Studio A")
    user.keys("Delete")
    qtbot.waitUntil(lambda: refusal in user.said())
    assert recorded_prompts.questions == []
    user.press(RETIRE)
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: refusal in user.said())
    assert recorded_prompts.questions == [] and recorded_prompts.errors == []
    assert housing.housing(reception).unit(unit).available_until is None


def test_a_unit_is_named_and_dated_in_its_form_as_any_record(
    qtbot: QtBot, reception: OpenDesk, recorded_prompts: Prompts
) -> None:
    start = clock.today() - timedelta(days=10)
    unit = housing.save_unit(reception, UnitForm("Studio B", start))
    housing.save_stay(reception, unit, start, start + timedelta(days=3))
    user = opened(qtbot, reception)
    user.open_tab("Emergency housing")
    qtbot.waitUntil(lambda: user.selected(UNITS)[:1] == ["Studio B"])
    # Ctrl+N and Ctrl+S where the cursor is in the units' list.
    user.click_row(UNITS, "Studio B")
    user.keys("Ctrl+N")
    assert user.text("Name of the unit") == "" and user.selected(UNITS) == []
    user.type("Name of the unit", "Studio A")
    user.type("Available from", written(start))
    user.keys("Ctrl+S")
    qtbot.waitUntil(lambda: len(user.rows(UNITS)) == 2)
    assert user.selected(UNITS)[:1] == ["Studio A"]
    user.click_header(UNITS, 0)
    assert [row[0] for row in user.rows(UNITS)] == ["Studio A", "Studio B"]

    # Renamed, and its last night given: a night its stay runs past is refused under it.
    user.click_row(UNITS, "Studio B")
    qtbot.waitUntil(lambda: len(user.rows(STAYS)) == 1)
    user.type("Name of the unit", "Studio C")
    user.tick("Still in use", False)
    user.type("Last night the unit is available", written(start + timedelta(days=1)))
    user.press("Save the unit")
    refusal = f"The stay from {format_date(start)} runs past that night: end it first."
    qtbot.waitUntil(lambda: refusal in user.said())
    assert housing.housing(reception).unit(unit).name == "Studio B"
    user.type("Last night the unit is available", written(start + timedelta(days=2)))
    user.press("Save the unit")
    qtbot.waitUntil(lambda: [row[0] for row in user.rows(UNITS)] == ["Studio A", "Studio C"])
    saved = housing.housing(reception).unit(unit)
    assert (saved.name, saved.available_until) == ("Studio C", start + timedelta(days=3))
    assert user.rows(UNITS)[1][2] == format_date(start + timedelta(days=3), "short")
    assert recorded_prompts.errors == [] and recorded_prompts.questions == []

    # Read again each time the tab comes into view.
    housing.save_unit(reception, UnitForm("Studio D", start))
    user.open_tab("Activities")
    user.open_tab("Emergency housing")
    qtbot.waitUntil(lambda: len(user.rows(UNITS)) == 3)


def test_the_stays_shown_are_those_of_the_unit_chosen(qtbot: QtBot, reception: OpenDesk) -> None:
    start = clock.today() - timedelta(days=10)
    first = housing.save_unit(reception, UnitForm("Studio A", start))
    second = housing.save_unit(reception, UnitForm("Studio B", start))
    housing.save_stay(reception, first, start, start + timedelta(days=2))
    housing.save_stay(reception, second, start + timedelta(days=1), None)
    user = opened(qtbot, reception)
    user.open_tab("Emergency housing")
    qtbot.waitUntil(lambda: len(user.rows(UNITS)) == 2 and len(user.rows(STAYS)) == 1)
    user.click_row(UNITS, "Studio B")
    qtbot.waitUntil(lambda: [row[1] for row in user.rows(STAYS)] == ["still there"])
    user.click_row(UNITS, "Studio A")
    qtbot.waitUntil(
        lambda: (
            [row[1] for row in user.rows(STAYS)]
            == [format_date(start + timedelta(days=2), "short")]
        )
    )
    # A stay typed for the unit chosen is saved in that unit.
    user.press("New stay")
    user.type("Day of arrival", written(start + timedelta(days=3)))
    user.tick("Still there", False)
    user.type("Day of leaving", written(start + timedelta(days=4)))
    user.press("Save the stay")
    qtbot.waitUntil(lambda: len(user.rows(STAYS)) == 2)
    # The latest stay first.
    assert [row[0] for row in user.rows(STAYS)] == [
        format_date(start + timedelta(days=3), "short"),
        format_date(start, "short"),
    ]
    assert sorted(s.unit_id for s in housing.housing(reception).stays) == sorted(
        [first, first, second]
    )


def test_an_activity_being_changed_comes_back_over_its_record_after_a_quick_exit(
    qtbot: QtBot, window: MainWindow, reception: OpenDesk
) -> None:
    this_month = Month.of(clock.today())
    kept = activities.save_activity(reception, _activity(this_month.first_day, "Théâtre", 20))
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    User(qtbot, window).click_row("Pages", "Activities and housing")
    user = User(qtbot, window.workspace.activities_page)
    qtbot.waitUntil(lambda: len(user.rows(ACTIVITIES)) == 1)
    user.click_row(ACTIVITIES, "Théâtre")
    user.type("Participants", "23")
    quick_exit(qtbot, window)
    assert "Change the activity" not in user.said()  # emptied at the lock
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    # The record is listed again after the input is put back: the input stays.
    qtbot.waitUntil(lambda: user.selected(ACTIVITIES)[2:3] == ["Théâtre"])
    tasks.wait_for_all()
    assert user.text("Participants") == "23" and "Change the activity" in user.said()
    user.press("Save the activity")
    qtbot.waitUntil(lambda: user.rows(ACTIVITIES)[0][5] == "23")
    [saved] = activities.activities_of(reception, this_month, this_month)
    assert (saved.id, saved.participants) == (kept, 23)


def test_a_form_left_as_it_came_is_no_draft(
    qtbot: QtBot, window: MainWindow, reception: OpenDesk
) -> None:
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    User(qtbot, window).click_row("Pages", "Activities and housing")
    user = User(qtbot, window.workspace.activities_page)
    user.open_tab("Emergency housing")
    quick_exit(qtbot, window)
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    assert window.desk is not None
    assert "activities" not in drafts.load(window.desk)


def test_a_new_unit_being_typed_comes_back_after_a_quick_exit(
    qtbot: QtBot, window: MainWindow, reception: OpenDesk
) -> None:
    housing.save_unit(reception, UnitForm("Studio A", clock.today() - timedelta(days=10)))
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    User(qtbot, window).click_row("Pages", "Activities and housing")
    user = User(qtbot, window.workspace.activities_page)
    user.open_tab("Emergency housing")
    qtbot.waitUntil(lambda: user.selected(UNITS)[:1] == ["Studio A"])
    user.press("New unit")
    user.type("Name of the unit", "Studio N")
    quick_exit(qtbot, window)
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    qtbot.waitUntil(lambda: len(user.rows(UNITS)) == 1)
    tasks.wait_for_all()
    # Not the first unit chosen over it: the new one, as typed.
    assert user.text("Name of the unit") == "Studio N" and user.selected(UNITS) == []
    user.press("Save the unit")
    qtbot.waitUntil(lambda: len(user.rows(UNITS)) == 2)
    assert sorted(u.name for u in housing.housing(reception).units) == ["Studio A", "Studio N"]


def test_a_new_unit_saved_again_after_a_lock_is_one_unit(
    qtbot: QtBot, window: MainWindow, reception: OpenDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    User(qtbot, window).click_row("Pages", "Activities and housing")
    user = User(qtbot, window.workspace.activities_page)
    user.open_tab("Emergency housing")
    qtbot.waitUntil(lambda: "No housing unit yet" in user.said())
    user.type("Name of the unit", "Studio A")
    held = answered_after_a_lock(monkeypatch, "housing.unit")
    locked_while_saving(qtbot, window, user, "Save the unit", held)
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    qtbot.waitUntil(lambda: len(user.rows(UNITS)) == 1)
    tasks.wait_for_all()
    assert user.text("Name of the unit") == "Studio A" and "Studio A" in user.selected(UNITS)
    saved_once(qtbot, user, "Save the unit", UNITS)
    assert [unit.name for unit in housing.housing(reception).units] == ["Studio A"]
    assert [row[0] for row in user.rows(UNITS)] == ["Studio A"]


class _Windows(QObject):
    """Records every window shown, however briefly."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            if watched.isWindow():
                self.shown.append(type(watched).__name__)
        return False


def test_building_the_page_opens_no_window(qtbot: QtBot, qapp: QApplication) -> None:
    """Found in the real window: the editors' New and Delete buttons, shown before they had
    a parent, opened as windows of their own and took the focus from the main window."""
    windows = _Windows()
    qapp.installEventFilter(windows)
    try:
        page = ActivitiesPage()
    finally:
        qapp.removeEventFilter(windows)
    qtbot.addWidget(page)
    assert windows.shown == []


def test_the_housing_is_read_once_for_the_units_and_once_for_the_stays_shown(
    qtbot: QtBot, reception: OpenDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = clock.today() - timedelta(days=10)
    unit = housing.save_unit(reception, UnitForm("Studio A", start))
    housing.save_stay(reception, unit, start, None)
    reads: list[str] = []
    reading = housing.housing

    def counted(desk: OpenDesk) -> housing.Housing:
        reads.append("housing")
        return reading(desk)

    monkeypatch.setattr(housing, "housing", counted)
    user = opened(qtbot, reception)
    user.open_tab("Emergency housing")
    qtbot.waitUntil(lambda: len(user.rows(STAYS)) == 1)
    tasks.wait_for_all()
    qtbot.wait(50)
    tasks.wait_for_all()
    assert len(reads) == 2  # the units and occupancy, then the chosen unit's stays
