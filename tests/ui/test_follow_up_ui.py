"""The follow-up page and the protocol panel as desk workers use them: the worklist and its
attempt dialog (warning and reason outside the safe times), a police referral landing on
the list, the day view, the quick exit emptying it all, ticks kept on the contact."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QTableView
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.appointments import AppointmentForm
from app.domain.codes import AppointmentKind, AttemptOutcome, SafeTime
from app.i18n import numeric_day
from app.services import appointments, desk_settings, recontact
from app.services.open_desk import OpenDesk
from tests import factories
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, DeskFixture, TestClock
from tests.factories import followed, police_referral, protocol_version
from tests.ui.conftest import Prompts, lock, sign_in
from tests.ui.user import User
from ui import tasks
from ui.dialogs.attempt_dialog import AttemptDialog
from ui.dialogs.police_referral_dialog import PoliceReferralDialog
from ui.main_window import MainWindow
from ui.pages.follow_up_page import FollowUpPage
from ui.pages.intake_page import IntakePage

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates

# A Tuesday, 10:00 and 22:00 Brussels time; the tests' clock is set to the morning.
MORNING = datetime(2026, 11, 17, 10, 0, tzinfo=clock.BRUSSELS)
NIGHT = datetime(2026, 11, 17, 22, 0, tzinfo=clock.BRUSSELS)


@pytest.fixture(autouse=True)
def on_tuesday_morning(test_clock: TestClock) -> None:
    test_clock.set(MORNING)


def refer(desk: OpenDesk, name: str) -> str:
    return factories.refer(desk, police_referral(date(2026, 11, 16), name)).case_id


@pytest.fixture
def page(qtbot: QtBot, reception: OpenDesk) -> FollowUpPage:
    follow_up = FollowUpPage()
    qtbot.addWidget(follow_up)
    follow_up.open_desk(reception)
    follow_up.resize(1100, 600)
    follow_up.show()
    qtbot.waitExposed(follow_up)
    return follow_up


CALLBACKS, APPOINTMENTS = "Call-backs due now", "Appointments"


def _user(qtbot: QtBot, page: FollowUpPage) -> User:
    return User(qtbot, page)


def _refresh(qtbot: QtBot, user: User, table: str, count: int) -> None:
    """F5, as someone waiting for the list does, until it shows `count` rows."""
    user.find(table).setFocus()
    user.keys("F5")
    qtbot.waitUntil(lambda: len(user.rows(table)) == count)


def _dialog(qtbot: QtBot, page: FollowUpPage, kind: type[QDialog]) -> tuple[Any, User]:
    qtbot.waitUntil(lambda: page.findChild(kind) is not None)
    dialog = page.findChild(kind)
    # As the window system does with a dialog that opens: typing goes to it.
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog, User(qtbot, dialog)


def _moment(moment: datetime) -> str:
    return f"{numeric_day(moment.date())} {moment.hour:02d}:{moment.minute:02d}"


def test_the_worklist_and_an_attempt_outside_the_safe_times(
    qtbot: QtBot, page: FollowUpPage, reception: OpenDesk, test_clock: TestClock
) -> None:
    case_id = refer(reception, "Nadia")
    user = _user(qtbot, page)
    _refresh(qtbot, user, CALLBACKS, 1)
    assert user.rows(CALLBACKS)[0][2] == "Nadia"
    assert "1 call-back can be made now." in user.said()
    user.click_row(CALLBACKS, "Nadia")
    user.keys("Enter")  # on the call-back chosen: its attempt
    dialog, at_dialog = _dialog(qtbot, page, AttemptDialog)
    at_dialog.type("Date and time", _moment(NIGHT))
    assert dialog.warning.isVisibleTo(dialog)
    at_dialog.choose("Outcome", AttemptOutcome.NO_ANSWER.label)
    test_clock.set(NIGHT + timedelta(minutes=5))  # written down just after the call
    at_dialog.press("Save")
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled())
    error = dialog.fields.errors["outside_window_reason"]
    assert "outside the safe times" in error.text() and error.isVisibleTo(dialog)
    assert recontact.items_of_case(reception, case_id)[0].attempts == ()  # nothing saved
    at_dialog.type("Reason for calling now", "She asked us to call after her shift")
    at_dialog.press("Save")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (attempt,) = recontact.items_of_case(reception, case_id)[0].attempts
    assert attempt.outside_window_reason == "She asked us to call after her shift"
    # Tried again tomorrow: off today's list, even back inside the safe times.
    tasks.wait_for_all()
    test_clock.set(MORNING + timedelta(hours=1))
    _refresh(qtbot, user, CALLBACKS, 0)


def test_the_attempt_dialog_inside_the_window_shows_no_warning(
    qtbot: QtBot, page: FollowUpPage, reception: OpenDesk
) -> None:
    refer(reception, "Nadia")
    user = _user(qtbot, page)
    _refresh(qtbot, user, CALLBACKS, 1)
    user.press("Log an attempt… (Enter)")
    dialog, at_dialog = _dialog(qtbot, page, AttemptDialog)
    at_dialog.type("Date and time", _moment(MORNING))
    assert not dialog.warning.isVisibleTo(dialog)
    dialog.close()


def test_the_call_backs_sort_by_a_click_on_a_header(
    qtbot: QtBot, page: FollowUpPage, reception: OpenDesk
) -> None:
    for name in ("Zelda", "Anna", "Mira"):
        refer(reception, name)
    user = _user(qtbot, page)
    _refresh(qtbot, user, CALLBACKS, 3)
    user.click_header(CALLBACKS, 2)
    assert [row[2] for row in user.rows(CALLBACKS)] == ["Anna", "Mira", "Zelda"]
    user.click_header(CALLBACKS, 2)
    assert [row[2] for row in user.rows(CALLBACKS)] == ["Zelda", "Mira", "Anna"]
    # The attempt is for the call-back chosen, whatever the order shown.
    user.click_row(CALLBACKS, "Mira")
    user.press("Log an attempt… (Enter)")
    dialog, _at_dialog = _dialog(qtbot, page, AttemptDialog)
    assert dialog.row.pseudonym == "Mira"
    dialog.close()


def test_a_police_referral_typed_in_lands_on_the_list(
    qtbot: QtBot, page: FollowUpPage, recorded_prompts: Prompts
) -> None:
    user = _user(qtbot, page)
    user.press("Police referral…")
    dialog, at_dialog = _dialog(qtbot, page, PoliceReferralDialog)
    at_dialog.press("Save")  # no police zone yet
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled())
    assert dialog.fields.errors["police_zone"].isVisibleTo(dialog)
    at_dialog.type("Police zone", "Bruxelles-Midi (5341)")
    at_dialog.type("Pseudonym or first name", "Sofie")
    at_dialog.type("Phone", "0470 99 88 77")
    at_dialog.type("Received on", numeric_day(MORNING.date() - timedelta(days=1)))
    at_dialog.tick(f"Safe times: {SafeTime.WEEKDAY_MORNING.label}")
    at_dialog.press("Save")
    qtbot.waitUntil(lambda: len(user.rows(CALLBACKS)) == 1)
    assert user.rows(CALLBACKS)[0][2] == "Sofie"
    assert any("Police referral saved as" in info for info in recorded_prompts.infos)


def test_the_day_view_and_cancelling_an_appointment(
    qtbot: QtBot, page: FollowUpPage, reception: OpenDesk, recorded_prompts: Prompts
) -> None:
    saved = factories.refer(reception, police_referral(date(2026, 11, 16), "Nadia"))
    tomorrow = clock.today() + timedelta(days=1)
    starts = clock.at(tomorrow, time(14, 30))
    appointments.plan(
        reception, AppointmentForm(saved.case_id, starts, 60, AppointmentKind.COURT, "Palais")
    )
    user = _user(qtbot, page)
    user.open_tab("Appointments")
    user.press("Next")
    qtbot.waitUntil(lambda: len(user.rows(APPOINTMENTS)) == 1)
    assert user.rows(APPOINTMENTS)[0][1:] == [
        "14:30",
        saved.case_code,
        "Accompaniment to court",
        "60 min",
        "Palais",
    ]
    assert "1 appointment" in user.said()
    user.click_row(APPOINTMENTS, "Palais")
    user.press("Cancel the appointment…")
    assert recorded_prompts.questions and "Cancel the appointment" in recorded_prompts.questions[0]
    qtbot.waitUntil(lambda: user.rows(APPOINTMENTS) == [])


def test_the_quick_exit_leaves_no_name_of_the_worklist_on_screen(
    qtbot: QtBot, window: MainWindow, desk: DeskFixture
) -> None:
    opened = desk.unlock("rita", STAFF_PASSWORD)
    case_id = refer(opened, "Zelda")
    starts = clock.at(clock.today() + timedelta(days=1), time(9))
    appointments.plan(opened, AppointmentForm(case_id, starts, 30, AppointmentKind.DOCTOR))
    opened.close()
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    User(qtbot, window).click_row("Pages", "Follow-up")
    user = User(qtbot, window.workspace.follow_up_page)
    qtbot.waitUntil(lambda: len(user.rows(CALLBACKS)) == 1)
    user.open_tab("Appointments")
    user.press("Next")
    qtbot.waitUntil(lambda: len(user.rows(APPOINTMENTS)) == 1)
    user.open_tab("Call-backs")
    for _ in range(3):
        qtbot.keyClick(window.windowHandle(), Qt.Key.Key_Shift)
    assert window.desk is None
    page = window.workspace.follow_up_page
    assert all(table.model().rowCount() == 0 for table in page.findChildren(QTableView))
    texts = [label.text() for label in window.findChildren(QLabel)]
    texts += [edit.text() for edit in window.findChildren(QLineEdit)]
    assert not any("Zelda" in text for text in texts)
    assert not any(re.search(r"\d appointment", text) for text in texts)  # the heading
    tasks.wait_for_all()


def test_a_protocol_open_beside_the_intake_keeps_its_ticks_on_the_contact(
    qtbot: QtBot, reception: OpenDesk
) -> None:
    page = IntakePage()
    qtbot.addWidget(page)
    page.open_desk(reception)
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    mode = page.form_area.contact.mode
    qtbot.waitUntil(lambda: QApplication.focusWidget() is mode)
    qtbot.keyClick(mode, Qt.Key.Key_F8)
    panel = page.protocol_panel
    qtbot.waitUntil(lambda: panel.choice.count() == 5)
    assert panel.isVisible()
    panel.choice.setCurrentIndex(panel.choice.findData("complaint"))
    for index in (0, 2):
        panel.steps.item(index).setCheckState(Qt.CheckState.Checked)
    assert "(2)" in panel.summary.text()
    kept = page.draft()
    page.clear()  # a lock
    assert panel.uses() == () and panel.steps.count() == 0
    page.open_desk(reception)
    page.restore(kept)
    assert page.protocol_button.isChecked()
    qtbot.waitUntil(lambda: panel.choice.count() == 5)
    page.form_area.anonymous.setChecked(True)
    User(qtbot, page).press("Save the contact (Ctrl+S)")
    qtbot.waitUntil(lambda: page.last_saved is not None)
    assert page.last_saved is not None
    (use,) = followed(reception, page.last_saved.case_id)
    complaint = protocol_version(reception, "complaint", 1)
    assert complaint is not None
    assert use.ticked == (complaint.steps[0].text["en"], complaint.steps[2].text["en"])
    assert panel.uses() == ()  # a new form starts with no ticks
    QApplication.processEvents()


def test_the_administrator_sets_the_number_of_attempts(
    qtbot: QtBot, window: MainWindow, desk: DeskFixture, recorded_prompts: Prompts
) -> None:
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    User(qtbot, window).click_row("Pages", "Administration")
    user = User(qtbot, window.workspace.admin_page)
    user.open_tab("Desk and data")
    # The number with its unit, in the singular for one.
    qtbot.waitUntil(lambda: user.text("Failed call-back attempts before closing") == "3 attempts")
    user.type("Failed call-back attempts before closing", "1")
    assert user.text("Failed call-back attempts before closing") == "1 attempt"
    user.type("Failed call-back attempts before closing", "2")
    assert user.text("Failed call-back attempts before closing") == "2 attempts"
    user.press("Save the number of attempts")
    qtbot.waitUntil(lambda: bool(recorded_prompts.infos))
    assert "after 2 failed attempts" in recorded_prompts.infos[-1]
    lock(qtbot, window)
    admin = desk.unlock()
    assert desk_settings.recontact_max_attempts(admin) == 2
    admin.close()
