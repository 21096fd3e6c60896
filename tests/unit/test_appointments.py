"""Appointments: planned ahead on a case, listed by day and week with the next sessions
counsellors recorded, cancelled, and audited; one in the past is refused."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from app import clock
from app.domain.appointments import AppointmentForm, week_of
from app.domain.codes import AppointmentKind
from app.domain.sessions import SessionForm
from app.errors import ValidationError
from app.services import appointments, audit_log, intake, sessions
from app.services.open_desk import OpenDesk
from tests.conftest import TEST_DAY
from tests.factories import named_intake, now

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates

TOMORROW = TEST_DAY + timedelta(days=1)


def at(day: date, hour: int) -> datetime:
    return clock.at(day, time(hour))


def test_day_and_week_views_list_appointments_and_next_sessions(
    counsellor: OpenDesk, admin_desk: OpenDesk
) -> None:
    case = intake.record_intake(counsellor, named_intake())
    appointments.plan(
        counsellor,
        AppointmentForm(case.case_id, at(TOMORROW, 14), 90, AppointmentKind.COURT, "Justice"),
    )
    sessions.add_session(
        counsellor, case.case_id, SessionForm(held_at=now(), next_appointment=at(TOMORROW, 9))
    )
    in_two_days = TOMORROW + timedelta(days=1)
    appointments.plan(
        counsellor, AppointmentForm(case.case_id, at(in_two_days, 10), 30, AppointmentKind.POLICE)
    )

    day = appointments.between(counsellor, TOMORROW, TOMORROW + timedelta(days=1))
    assert [(clock.local(row.starts_at).hour, row.kind) for row in day] == [
        (9, AppointmentKind.SESSION),
        (14, AppointmentKind.COURT),
    ]
    assert {row.case_code for row in day} == {case.case_code}
    assert day[1].place == "Justice" and day[0].id is None

    monday, next_monday = week_of(TOMORROW)
    week = appointments.between(counsellor, monday, next_monday)
    expected = 3 if in_two_days < next_monday else 2
    assert len(week) == expected

    appointments.cancel(counsellor, day[1].id or "")
    assert [r.kind for r in appointments.between(counsellor, TOMORROW, in_two_days)] == [
        AppointmentKind.SESSION
    ]
    actions = [e.action for e in audit_log.entries(admin_desk, audit_log.AuditFilter())]
    assert actions.count("appointment.list") == 3
    assert actions.count("appointment.record") == 2
    assert "appointment.cancel" in actions


def test_an_appointment_in_the_past_is_refused(counsellor: OpenDesk) -> None:
    case = intake.record_intake(counsellor, named_intake())
    yesterday = clock.today() - timedelta(days=1)
    with pytest.raises(ValidationError, match="in the past") as refused:
        appointments.plan(
            counsellor, AppointmentForm(case.case_id, at(yesterday, 10), 60, AppointmentKind.DOCTOR)
        )
    assert refused.value.field == "starts_at"
    with pytest.raises(ValidationError) as refused:
        appointments.plan(
            counsellor, AppointmentForm(case.case_id, at(TOMORROW, 10), 0, AppointmentKind.DOCTOR)
        )
    assert refused.value.field == "minutes"
    assert appointments.between(counsellor, yesterday, TOMORROW + timedelta(days=1)) == []


def test_week_of_starts_on_monday() -> None:
    assert week_of(date(2026, 11, 22)) == (date(2026, 11, 16), date(2026, 11, 23))
    assert week_of(date(2026, 11, 23)) == (date(2026, 11, 23), date(2026, 11, 30))
