"""The follow-up page and the protocol panel as desk workers use them: the worklist and its
attempt dialog (warning and reason outside the safe times), a police referral landing on
the list, the day view, the quick exit emptying it all, ticks kept on the contact."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QTableWidget
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.appointments import AppointmentForm
from app.domain.codes import AppointmentKind, AttemptOutcome, SafeTime
from app.services import appointments, desk_settings, recontact
from app.services.open_desk import OpenDesk
from tests import factories
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, DeskFixture, TestClock
from tests.factories import followed, police_referral, protocol_version
from tests.ui.conftest import Prompts, sign_in
from ui import tasks
from ui.dialogs.attempt_dialog import AttemptDialog
from ui.dialogs.police_referral_dialog import PoliceReferralDialog
from ui.main_window import MainWindow
from ui.pages.follow_up_page import FollowUpPage
from ui.pages.intake_page import IntakePage
from ui.widgets.dates import qdatetime

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


def rows(table: QTableWidget) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_the_worklist_and_an_attempt_outside_the_safe_times(
    qtbot: QtBot, page: FollowUpPage, reception: OpenDesk, test_clock: TestClock
) -> None:
    case_id = refer(reception, "Nadia")
    page.load_worklist()
    qtbot.waitUntil(lambda: page.callback_table.rowCount() == 1)
    assert rows(page.callback_table)[0][2] == "Nadia"
    assert "1 call-back can be made now." in page.callback_summary.text()
    page.log_attempt()
    dialog = page.findChild(AttemptDialog)
    assert dialog is not None
    dialog.attempted_at.setDateTime(qdatetime(NIGHT))
    assert dialog.warning.isVisibleTo(dialog)
    dialog.outcome.set_value(AttemptOutcome.NO_ANSWER)
    test_clock.set(NIGHT + timedelta(minutes=5))  # written down just after the call
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled())
    error = dialog.fields.errors["outside_window_reason"]
    assert "outside the safe times" in error.text() and error.isVisibleTo(dialog)
    assert recontact.items_of_case(reception, case_id)[0].attempts == ()  # nothing saved
    qtbot.keyClicks(dialog.reason, "She asked us to call after her shift")
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (attempt,) = recontact.items_of_case(reception, case_id)[0].attempts
    assert attempt.outside_window_reason == "She asked us to call after her shift"
    # Tried again tomorrow: off today's list, even back inside the safe times.
    tasks.wait_for_all()
    test_clock.set(MORNING + timedelta(hours=1))
    page.load_worklist()
    qtbot.waitUntil(lambda: page.callback_table.rowCount() == 0)


def test_the_attempt_dialog_inside_the_window_shows_no_warning(
    qtbot: QtBot, page: FollowUpPage, reception: OpenDesk
) -> None:
    refer(reception, "Nadia")
    page.load_worklist()
    qtbot.waitUntil(lambda: page.callback_table.rowCount() == 1)
    page.log_attempt()
    dialog = page.findChild(AttemptDialog)
    assert dialog is not None
    dialog.attempted_at.setDateTime(qdatetime(MORNING))
    assert not dialog.warning.isVisibleTo(dialog)
    dialog.close()


def test_a_police_referral_typed_in_lands_on_the_list(
    qtbot: QtBot, page: FollowUpPage, recorded_prompts: Prompts
) -> None:
    page.police_referral()
    dialog = page.findChild(PoliceReferralDialog)
    assert dialog is not None
    dialog.submit()  # no police zone yet
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled())
    assert dialog.fields.errors["police_zone"].isVisibleTo(dialog)
    qtbot.keyClicks(dialog.police_zone, "Bruxelles-Midi (5341)")
    qtbot.keyClicks(dialog.pseudonym, "Sofie")
    qtbot.keyClicks(dialog.phone, "0470 99 88 77")
    dialog.received_on.setDate(dialog.received_on.date().addDays(-1))
    dialog.safe_times.boxes[SafeTime.WEEKDAY_MORNING].setChecked(True)
    dialog.submit()
    qtbot.waitUntil(lambda: page.callback_table.rowCount() == 1)
    assert rows(page.callback_table)[0][2] == "Sofie"
    assert any("Police referral saved as" in info for info in recorded_prompts.infos)


def test_the_day_view_and_cancelling_an_appointment(
    qtbot: QtBot, page: FollowUpPage, reception: OpenDesk, recorded_prompts: Prompts
) -> None:
    case_id = refer(reception, "Nadia")
    tomorrow = clock.today() + timedelta(days=1)
    starts = clock.at(tomorrow, time(14, 30))
    appointments.plan(
        reception, AppointmentForm(case_id, starts, 60, AppointmentKind.COURT, "Palais")
    )
    page.tabs.setCurrentIndex(1)
    page._step(1)
    qtbot.waitUntil(lambda: page.agenda_table.rowCount() == 1)
    assert rows(page.agenda_table)[0][1:] == [
        "14:30",
        page.agenda[0].case_code,
        "Accompaniment to court",
        "60 min",
        "Palais",
    ]
    page.agenda_table.selectRow(0)
    page.cancel_appointment()
    assert recorded_prompts.questions and "Cancel the appointment" in recorded_prompts.questions[0]
    qtbot.waitUntil(lambda: page.agenda_table.rowCount() == 0)


def test_the_quick_exit_leaves_no_name_of_the_worklist_on_screen(
    qtbot: QtBot, window: MainWindow, desk: DeskFixture
) -> None:
    opened = desk.unlock("rita", STAFF_PASSWORD)
    case_id = refer(opened, "Zelda")
    starts = clock.at(clock.today() + timedelta(days=1), time(9))
    appointments.plan(opened, AppointmentForm(case_id, starts, 30, AppointmentKind.DOCTOR))
    opened.close()
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    page = window.workspace.follow_up_page
    window.show_page("follow_up")
    qtbot.waitUntil(lambda: page.callback_table.rowCount() == 1)
    page.tabs.setCurrentIndex(1)
    page._step(1)
    qtbot.waitUntil(lambda: page.agenda_table.rowCount() == 1)
    page.tabs.setCurrentIndex(0)
    for _ in range(3):
        qtbot.keyClick(window.windowHandle(), Qt.Key.Key_Shift)
    assert window.desk is None
    assert page.callback_table.rowCount() == 0 and page.worklist.rows == ()
    assert page.agenda_table.rowCount() == 0 and page.agenda == []
    assert not page.agenda_heading.text()
    texts = [label.text() for label in window.findChildren(QLabel)]
    texts += [edit.text() for edit in window.findChildren(QLineEdit)]
    assert not any("Zelda" in text for text in texts)
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
    page.save()
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
    window.show_page("admin")
    page = window.workspace.admin_page
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.max_attempts.value() == 3)
    page.max_attempts.setValue(2)
    page.save_attempts_button.click()
    qtbot.waitUntil(lambda: bool(recorded_prompts.infos))
    assert "after 2 failed attempts" in recorded_prompts.infos[-1]
    window.lock()
    admin = desk.unlock()
    assert desk_settings.recontact_max_attempts(admin) == 2
    admin.close()
