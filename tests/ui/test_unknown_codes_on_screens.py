"""The screens open on rows holding a code this version does not know (retired since, or
written by a newer Havre on a network desk): the case list, the case page, the activities and
the call-backs show the list's catch-all (or the answer declared for the list), the log says
which code without the person, and a record saved again from the screen stores a known code."""

from __future__ import annotations

import logging
from datetime import date, datetime

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app import clock
from app.domain.activities import ActivityForm
from app.domain.codes import (
    ActivityKind,
    Audience,
    CaseStatus,
    RecontactSource,
    Relationship,
    SafeTime,
    Sex,
    count_afresh,
)
from app.domain.periods import Month
from app.services import activities, intake
from app.services.open_desk import OpenDesk
from db.models import Activity, CaseFile, Person, RecontactItem, Situation
from tests import factories
from tests.conftest import TestClock
from tests.factories import named_intake, police_referral
from tests.ui.conftest import Prompts
from tests.ui.user import User
from tests.unknown_codes_support import NEWER, warned
from ui import tasks
from ui.models.case_list_model import CaseListModel
from ui.pages.activities_page import ActivitiesPage
from ui.pages.case_list_page import CaseListPage
from ui.pages.case_page import CasePage
from ui.pages.follow_up_page import FollowUpPage

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates

PSEUDONYM = "Hélène Dubois"


@pytest.fixture(autouse=True)
def said_afresh(caplog: pytest.LogCaptureFixture) -> None:
    """Each test hears every unknown code it meets (the log says each once per run)."""
    count_afresh()
    caplog.set_level(logging.WARNING)


def _opened(
    qtbot: QtBot, page: CasePage | CaseListPage | ActivitiesPage | FollowUpPage, desk: OpenDesk
) -> User:
    """The page as it is once signed in and brought into view, and the person at it."""
    qtbot.addWidget(page)
    page.open_desk(desk)
    page.resize(1180, 700)
    page.show()
    qtbot.waitExposed(page)
    return User(qtbot, page)


def _case_of_a_newer_version(desk: OpenDesk) -> tuple[str, str]:
    """A case as a newer version left it: (its id, its code)."""
    saved = intake.record_intake(desk, named_intake(PSEUDONYM))
    with desk.transaction() as session:
        case = session.get(CaseFile, saved.case_id)
        assert case is not None
        session.execute(update(CaseFile).where(CaseFile.id == case.id).values(status=NEWER))
        session.execute(update(Person).where(Person.id == case.person_id).values(sex=NEWER))
        session.execute(
            update(Situation).where(Situation.case_id == case.id).values(relationship=NEWER)
        )
    return saved.case_id, saved.case_code


def test_the_case_list_shows_a_case_of_unknown_status_as_open(
    qtbot: QtBot, reception: OpenDesk, caplog: pytest.LogCaptureFixture
) -> None:
    _case_id, code = _case_of_a_newer_version(reception)
    page = CaseListPage()
    user = _opened(qtbot, page, reception)
    qtbot.waitUntil(lambda: user.text("Number of cases found") == "1 case")
    qtbot.waitUntil(lambda: user.rows("Cases found")[0][0] == code)
    assert user.rows("Cases found")[0][CaseListModel.STATUS] == CaseStatus.OPEN.label
    assert "CaseStatus: a code this version does not know, taken as open" in warned(caplog)
    assert code not in warned(caplog) and PSEUDONYM not in warned(caplog)


def test_the_case_page_shows_other_and_a_save_stores_known_codes(
    qtbot: QtBot, reception: OpenDesk, recorded_prompts: Prompts, caplog: pytest.LogCaptureFixture
) -> None:
    case_id, code = _case_of_a_newer_version(reception)
    page = CasePage()
    user = _opened(qtbot, page, reception)
    page.show_case(case_id)
    qtbot.waitUntil(lambda: code in user.text("Case"))
    assert user.text("Status") == CaseStatus.OPEN.label
    assert user.text("Sex") == Sex.OTHER.label
    assert user.text("Relationship of the perpetrator") == Relationship.OTHER.label
    said = warned(caplog)
    assert "Sex: a code this version does not know, taken as other" in said
    assert "Relationship: a code this version does not know, taken as other" in said
    assert PSEUDONYM not in said and code not in said and case_id not in said

    user.keys("Ctrl+S")
    qtbot.waitUntil(lambda: recorded_prompts.infos == ["The case was saved."])
    with reception.transaction() as session:
        case = session.get(CaseFile, case_id)
        assert case is not None and case.status == CaseStatus.OPEN
        person = session.get(Person, case.person_id)
        situation = session.get(Situation, case_id)
        assert person is not None and person.sex == Sex.OTHER
        assert situation is not None and situation.relationship == Relationship.OTHER


def test_an_activity_of_an_unknown_kind_is_listed_as_other_and_saved_again(
    qtbot: QtBot, reception: OpenDesk, caplog: pytest.LogCaptureFixture
) -> None:
    today = clock.today()
    saved = activities.save_activity(
        reception,
        ActivityForm(today, ActivityKind.ANIMATION, "Théâtre forum", "École 3", Audience.WOMEN, 12),
    )
    with reception.transaction() as session:
        session.execute(
            update(Activity).where(Activity.id == saved).values(kind=NEWER, audience=NEWER)
        )
    page = ActivitiesPage()
    user = _opened(qtbot, page, reception)
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: len(user.rows("Activities of the month")) == 1)
    [row] = user.rows("Activities of the month")
    assert row[1:3] == [ActivityKind.OTHER.label, "Théâtre forum"]
    assert row[4] == Audience.GENERAL_PUBLIC.label
    assert "ActivityKind: a code this version does not know, taken as other" in warned(caplog)
    assert "Audience: a code this version does not know, taken as general_public" in warned(caplog)

    user.click_row("Activities of the month", "Théâtre forum")
    assert user.text("Kind of activity") == ActivityKind.OTHER.label
    user.press("Save the activity")
    tasks.wait_for_all()

    def stored() -> tuple[str, str]:
        with reception.transaction() as session:
            activity = session.get(Activity, saved)
            assert activity is not None
            return activity.kind, activity.audience

    qtbot.waitUntil(lambda: stored() == (ActivityKind.OTHER, Audience.GENERAL_PUBLIC))
    month = Month.of(today)
    assert [a.title for a in activities.activities_of(reception, month, month)] == ["Théâtre forum"]


# A Tuesday morning, Brussels time: inside the weekday-morning window of a police referral.
MORNING = datetime(2026, 11, 17, 10, 0, tzinfo=clock.BRUSSELS)


def test_a_call_back_owed_for_an_unknown_reason_is_on_the_worklist(
    qtbot: QtBot, reception: OpenDesk, test_clock: TestClock, caplog: pytest.LogCaptureFixture
) -> None:
    test_clock.set(MORNING)
    referred = factories.refer(reception, police_referral(date(2026, 11, 16), "Nadia"))
    with reception.transaction() as session:
        session.execute(
            update(RecontactItem)
            .where(RecontactItem.case_id == referred.case_id)
            .values(source=NEWER)
        )
        case = session.get(CaseFile, referred.case_id)
        assert case is not None
        session.execute(
            update(Person)
            .where(Person.id == case.person_id)
            .values(safe_times=f"{SafeTime.WEEKDAY_MORNING.value},{NEWER}")
        )
    page = FollowUpPage()
    user = _opened(qtbot, page, reception)
    user.find("Call-backs due now").setFocus()
    user.keys("F5")
    qtbot.waitUntil(lambda: len(user.rows("Call-backs due now")) == 1)
    [row] = user.rows("Call-backs due now")
    assert row[2] == "Nadia"
    assert row[-1].startswith(RecontactSource.PROMISED.label)
    assert row[5] == SafeTime.WEEKDAY_MORNING.label
    said = warned(caplog)
    assert "RecontactSource: a code this version does not know, taken as promised_callback" in said
    assert "SafeTime: a code this version does not know, taken as nothing" in said
    assert "Nadia" not in said and referred.case_code not in said
