"""The recontact worklist: only the people who may be called, only when it is safe, every
attempt logged and audited, and the item closed after the set number of failed tries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from app import clock
from app.domain import recontact
from app.domain.cases import CaseEdit, TimelineKind
from app.domain.codes import (
    AttemptOutcome,
    ConsentDecision,
    ConsentScope,
    NextStep,
    RecontactChannel,
    RecontactClosed,
    SafeTime,
    YesNoUnknown,
)
from app.domain.intake import ConsentForm, SituationForm
from app.domain.recontact import AttemptForm, PoliceReferralForm
from app.domain.safe_hours import HourRange
from app.errors import ValidationError
from app.services import audit_log, cases, desk_settings
from app.services import recontact as service
from app.services.open_desk import OpenDesk
from tests import factories
from tests.conftest import TestClock
from tests.factories import police_referral

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates

# A Tuesday morning and a Saturday evening, Brussels time; the tests' clock is set to the
# Tuesday morning, so that "received a week ago" and the worklist's moments agree.
TUESDAY_10 = datetime(2026, 11, 17, 10, 0, tzinfo=clock.BRUSSELS)
TUESDAY_22 = datetime(2026, 11, 17, 22, 0, tzinfo=clock.BRUSSELS)
SATURDAY_19 = datetime(2026, 11, 21, 19, 0, tzinfo=clock.BRUSSELS)


@pytest.fixture(autouse=True)
def on_tuesday_morning(test_clock: TestClock) -> None:
    test_clock.set(TUESDAY_10)


def referral(
    pseudonym: str = "Nadia",
    consent: bool = True,
    channel: RecontactChannel | None = RecontactChannel.PHONE,
    safe_times: frozenset[SafeTime] = frozenset({SafeTime.WEEKDAY_MORNING}),
    received_on: date | None = None,
) -> PoliceReferralForm:
    return police_referral(
        received_on or clock.today() - timedelta(days=7),
        pseudonym,
        consent_to_recontact=consent,
        channel=channel,
        safe_times=safe_times,
    )


def refer(desk: OpenDesk, form: PoliceReferralForm) -> str:
    return factories.refer(desk, form).case_id


def names(desk: OpenDesk, moment: datetime) -> list[str]:
    return [row.pseudonym for row in service.worklist(desk, moment).rows]


@pytest.mark.parametrize(
    ("moment", "windows", "open_"),
    [
        (datetime(2026, 11, 17, 7, 59), {SafeTime.WEEKDAY_MORNING}, False),
        (datetime(2026, 11, 17, 8, 0), {SafeTime.WEEKDAY_MORNING}, True),
        (datetime(2026, 11, 17, 11, 59), {SafeTime.WEEKDAY_MORNING}, True),
        (datetime(2026, 11, 17, 12, 0), {SafeTime.WEEKDAY_MORNING}, False),
        (datetime(2026, 11, 17, 12, 0), {SafeTime.WEEKDAY_AFTERNOON}, True),
        (datetime(2026, 11, 17, 20, 59), {SafeTime.WEEKDAY_EVENING}, True),
        (datetime(2026, 11, 17, 21, 0), {SafeTime.WEEKDAY_EVENING}, False),
        (datetime(2026, 11, 21, 10, 0), {SafeTime.WEEKDAY_MORNING}, False),
        (datetime(2026, 11, 21, 9, 0), {SafeTime.WEEKEND}, True),
        (datetime(2026, 11, 22, 20, 0), {SafeTime.WEEKEND}, False),
        (datetime(2026, 11, 17, 10, 0), set(), False),
    ],
)
def test_safe_windows_at_their_edges(moment: datetime, windows: set[SafeTime], open_: bool) -> None:
    assert recontact.window_open(frozenset(windows), moment) is open_


def test_a_police_referral_with_consent_lands_on_the_list_within_its_window(
    reception: OpenDesk,
) -> None:
    refer(reception, referral("Nadia"))
    refer(reception, referral("Evening only", safe_times=frozenset({SafeTime.WEEKDAY_EVENING})))
    refer(reception, referral("Said no", consent=False, channel=None, safe_times=frozenset()))

    morning = service.worklist(reception, TUESDAY_10)
    assert [row.pseudonym for row in morning.rows] == ["Nadia"]
    assert morning.waiting_for_window == 1  # "Evening only", not shown
    assert morning.rows[0].police_zone == "Secova (5283)"
    assert names(reception, TUESDAY_22) == []
    assert names(reception, SATURDAY_19) == []


def test_never_anyone_marked_do_not_recontact(reception: OpenDesk) -> None:
    case_id = refer(reception, referral("Nadia"))
    assert names(reception, TUESDAY_10) == ["Nadia"]
    detail = cases.case_detail(reception, case_id)
    assert detail.person is not None
    person = replace(detail.person, may_recontact=YesNoUnknown.NO)
    cases.update_case(
        reception,
        case_id,
        detail.version,
        CaseEdit(detail.status, person, detail.identity, detail.situation or SituationForm()),
    )
    assert names(reception, TUESDAY_10) == []
    with pytest.raises(ValidationError, match="may no longer be called back"):
        item = service.items_of_case(reception, case_id)[0]
        service.log_attempt(reception, item.id, attempt(TUESDAY_10, AttemptOutcome.NO_ANSWER))


def test_never_anyone_whose_recontact_consent_is_withdrawn(reception: OpenDesk) -> None:
    case_id = refer(reception, referral("Nadia"))
    refer(reception, referral("Sofia"))
    consent = next(
        c
        for c in cases.case_detail(reception, case_id).consents
        if c.scope is ConsentScope.RECONTACT
    )
    cases.withdraw_consent(reception, consent.id)
    assert names(reception, TUESDAY_10) == ["Sofia"]


def test_a_refused_recontact_consent_keeps_a_promised_call_back_off_the_list(
    reception: OpenDesk,
) -> None:
    case_id = refer(reception, referral("Nadia", consent=False, channel=None))
    assert service.items_of_case(reception, case_id) == []
    with pytest.raises(ValidationError, match="has not agreed"):
        service.plan_callback(reception, case_id, clock.today())
    cases.record_consent(
        reception, case_id, ConsentForm(ConsentScope.RECONTACT, ConsentDecision.GIVEN)
    )
    assert names(reception, TUESDAY_10) == []


def attempt(
    moment: datetime,
    outcome: AttemptOutcome,
    next_step: NextStep = NextStep.TRY_AGAIN,
    reason: str = "",
) -> AttemptForm:
    return AttemptForm(
        attempted_at=moment,
        outcome=outcome,
        next_step=next_step,
        next_due=moment.date() + timedelta(days=1) if next_step is NextStep.TRY_AGAIN else None,
        outside_window_reason=reason,
    )


def test_failed_attempts_close_the_item_after_the_set_number(
    reception: OpenDesk, admin_desk: OpenDesk, test_clock: TestClock
) -> None:
    desk_settings.set_recontact_max_attempts(admin_desk, 2)
    case_id = refer(reception, referral("Nadia", received_on=date(2026, 11, 10)))
    item_id = service.worklist(reception, TUESDAY_10).rows[0].item_id

    first = service.log_attempt(reception, item_id, attempt(TUESDAY_10, AttemptOutcome.NO_ANSWER))
    assert first.closes is None and first.next_due == date(2026, 11, 18)
    assert names(reception, TUESDAY_10) == []  # due tomorrow now
    wednesday = TUESDAY_10 + timedelta(days=1)
    test_clock.set(wednesday)
    (row,) = service.worklist(reception, wednesday).rows
    assert (row.pseudonym, row.attempts, row.failed_attempts) == ("Nadia", 1, 1)
    assert service.worklist(reception, wednesday).max_attempts == 2
    second = service.log_attempt(reception, item_id, attempt(wednesday, AttemptOutcome.UNSAFE))
    assert second.closes is RecontactClosed.ATTEMPTS_EXHAUSTED
    assert names(reception, wednesday + timedelta(days=1)) == []
    (item,) = service.items_of_case(reception, case_id)
    assert not item.open and item.closed_reason is RecontactClosed.ATTEMPTS_EXHAUSTED
    assert [a.outcome for a in item.attempts] == [AttemptOutcome.NO_ANSWER, AttemptOutcome.UNSAFE]
    timeline = cases.case_detail(reception, case_id).timeline
    assert [e.summary for e in timeline if e.kind is TimelineKind.ATTEMPT] == [
        "Unsafe to talk → Try again",
        "No answer → Try again",
    ]
    with pytest.raises(ValidationError, match="already closed"):
        service.log_attempt(reception, item_id, attempt(wednesday, AttemptOutcome.REACHED))


@pytest.mark.parametrize(
    ("outcome", "closes"),
    [
        (AttemptOutcome.DECLINED, RecontactClosed.DECLINED),
        (AttemptOutcome.WRONG_NUMBER, RecontactClosed.WRONG_NUMBER),
    ],
)
def test_declined_and_wrong_number_close_at_once(
    reception: OpenDesk, outcome: AttemptOutcome, closes: RecontactClosed
) -> None:
    refer(reception, referral(received_on=date(2026, 11, 10)))
    item_id = service.worklist(reception, TUESDAY_10).rows[0].item_id
    assert service.log_attempt(reception, item_id, attempt(TUESDAY_10, outcome)).closes is closes


def test_reached_with_an_appointment_closes_as_reached(reception: OpenDesk) -> None:
    refer(reception, referral(received_on=date(2026, 11, 10)))
    item_id = service.worklist(reception, TUESDAY_10).rows[0].item_id
    decision = service.log_attempt(
        reception, item_id, attempt(TUESDAY_10, AttemptOutcome.REACHED, NextStep.APPOINTMENT)
    )
    assert decision.closes is RecontactClosed.REACHED


def test_an_attempt_outside_the_safe_window_needs_a_reason(
    reception: OpenDesk, test_clock: TestClock
) -> None:
    case_id = refer(reception, referral(received_on=date(2026, 11, 10)))
    item_id = service.worklist(reception, TUESDAY_10).rows[0].item_id
    test_clock.set(TUESDAY_22 + timedelta(minutes=5))  # logged just after the call
    with pytest.raises(ValidationError, match="outside the safe times") as refused:
        service.log_attempt(reception, item_id, attempt(TUESDAY_22, AttemptOutcome.NO_ANSWER))
    assert refused.value.field == "outside_window_reason"
    assert service.items_of_case(reception, case_id)[0].attempts == ()  # nothing saved
    service.log_attempt(
        reception,
        item_id,
        attempt(TUESDAY_22, AttemptOutcome.NO_ANSWER, reason="She asked us to call tonight"),
    )
    (logged,) = service.items_of_case(reception, case_id)[0].attempts
    assert logged.outside_window_reason == "She asked us to call tonight"


def test_bad_attempts_and_referrals_are_refused(reception: OpenDesk) -> None:
    with pytest.raises(ValidationError) as refused:
        refer(reception, referral(received_on=clock.today() + timedelta(days=1)))
    assert refused.value.field == "received_on"
    with pytest.raises(ValidationError) as refused:
        refer(reception, referral(safe_times=frozenset()))
    assert refused.value.field == "safe_times"
    with pytest.raises(ValidationError) as refused:
        refer(reception, referral(channel=None))
    assert refused.value.field == "channel"
    blank_zone = replace(referral(), police_zone="  ")
    with pytest.raises(ValidationError) as refused:
        refer(reception, blank_zone)
    assert refused.value.field == "police_zone"
    assert service.worklist(reception, TUESDAY_10).rows == ()

    refer(reception, referral(received_on=date(2026, 11, 10)))
    item_id = service.worklist(reception, TUESDAY_10).rows[0].item_id
    future = clock.local_now() + timedelta(hours=2)
    with pytest.raises(ValidationError) as refused:
        service.log_attempt(reception, item_id, attempt(future, AttemptOutcome.NO_ANSWER))
    assert refused.value.field == "attempted_at"
    before = datetime(2026, 11, 9, 10, tzinfo=clock.BRUSSELS)
    with pytest.raises(ValidationError) as refused:
        service.log_attempt(reception, item_id, attempt(before, AttemptOutcome.NO_ANSWER))
    assert refused.value.field == "attempted_at"


def test_every_view_and_attempt_is_audited(reception: OpenDesk, admin_desk: OpenDesk) -> None:
    case_id = refer(reception, referral(received_on=date(2026, 11, 10)))
    item_id = service.worklist(reception, TUESDAY_10).rows[0].item_id
    service.worklist(reception, TUESDAY_22)
    service.log_attempt(reception, item_id, attempt(TUESDAY_10, AttemptOutcome.NO_ANSWER))
    events = audit_log.entries(admin_desk, audit_log.AuditFilter())
    actions = [(e.action, e.target_id, e.outcome) for e in events]
    assert actions.count(("recontact.list", None, "ok")) == 2
    assert ("recontact.attempt", case_id, "no_answer") in actions
    assert ("recontact.plan", case_id, "ok") in actions


def test_max_attempts_setting_is_checked(admin_desk: OpenDesk) -> None:
    assert desk_settings.recontact_max_attempts(admin_desk) == 3
    with pytest.raises(ValidationError, match="from 1 to 10"):
        desk_settings.set_recontact_max_attempts(admin_desk, 0)
    assert desk_settings.recontact_max_attempts(admin_desk) == 3


def test_safe_hours_of_a_weekday_open_the_list_in_them_only(
    reception: OpenDesk, test_clock: TestClock
) -> None:
    # Weekday evenings as the quick slot, and Tuesdays 10-12 h: said at the desk, when her
    # partner is at work.
    case_id = refer(
        reception, referral("Tuesday", safe_times=frozenset({SafeTime.WEEKDAY_EVENING}))
    )
    detail = cases.case_detail(reception, case_id)
    assert detail.person is not None
    person = replace(detail.person, safe_hours=(HourRange(1, 10, 12),))
    edit = CaseEdit(detail.status, person, detail.identity, detail.situation or SituationForm())
    cases.update_case(reception, case_id, detail.version, edit)

    tuesday_10_30 = TUESDAY_10 + timedelta(minutes=30)
    [row] = service.worklist(reception, tuesday_10_30).rows
    assert row.pseudonym == "Tuesday" and row.safe_hours == (HourRange(1, 10, 12),)
    after = service.worklist(reception, TUESDAY_10 + timedelta(hours=3))
    assert after.rows == () and after.waiting_for_window == 1
    assert names(reception, tuesday_10_30 + timedelta(days=1)) == []  # Wednesday
    assert names(reception, TUESDAY_10.replace(hour=18)) == ["Tuesday"]  # the evening slot
    # Called at 10:30 on the Tuesday: inside her hours, no reason asked.
    test_clock.set(tuesday_10_30 + timedelta(minutes=5))
    service.log_attempt(reception, row.item_id, attempt(tuesday_10_30, AttemptOutcome.NO_ANSWER))
    at_13 = TUESDAY_10.replace(hour=13)
    test_clock.set(at_13 + timedelta(minutes=5))
    with pytest.raises(ValidationError, match=r"Tue\w* 10–12 h"):
        service.log_attempt(reception, row.item_id, attempt(at_13, AttemptOutcome.NO_ANSWER))
