"""The monthly counts built from known data: every number asserted, and each rule (consent,
"already counted by another desk", one count per victim, housing nights) shown to matter."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain import indicators as ind
from app.domain.codes import AttemptOutcome, NextStep, SessionType
from app.domain.intake import ContactForm
from app.domain.periods import Month
from app.domain.protocols import ProtocolUseForm
from app.domain.recontact import AttemptForm
from app.domain.sessions import SessionForm
from app.errors import AccessDenied, ValidationError
from app.services import counts, protocols, recontact, sessions
from app.services.open_desk import OpenDesk
from tests.counts_support import MARCH, at, intake_on
from tests.factories import police_referral, refer

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates


def test_every_number_of_a_known_month(march_desk: OpenDesk) -> None:
    counted = counts.month_counts(march_desk, MARCH, today=date(2026, 11, 23))
    v = counted.value
    # Volumes: six contacts in March (A, B, C, D, E, and the second contact on F).
    assert v(ind.CONTACTS, "VICTIM") == 5
    assert v(ind.CONTACTS, "WITNESS") == 1
    assert counted.total(ind.CONTACTS) == 6
    assert v(ind.REFERRED_FROM, "POLICE") == 1
    assert v(ind.REFERRED_FROM, "SELF") == 5
    assert v(ind.SESSIONS, "LISTENING") == 1
    assert v(ind.SESSIONS, "ACCOMPANIMENT") == 1
    assert counted.total(ind.SESSIONS) == 2
    assert v(ind.RISK_SCREENS, "HIGH") == 1
    assert counted.total(ind.RISK_SCREENS) == 1
    assert v(ind.REFERRALS_MADE, "LEGAL_AID") == 1
    assert v(ind.REFERRALS_MADE, "SHELTER") == 1
    assert v(ind.REFERRAL_STATUS, "REFERRED") == 1
    assert v(ind.REFERRAL_STATUS, "DECLINED") == 1
    assert v(ind.PRINTED, "BROCHURE", "AR") == 3
    assert v(ind.PRINTED, "WALLET_CARD", "FR") == 2
    assert counted.total(ind.PRINTED) == 5
    assert v(ind.ACTIVITIES, "LA_CABANE", "CHILDREN") == 2
    assert v(ind.PARTICIPANTS, "LA_CABANE", "CHILDREN") == 14
    assert v(ind.ACTIVITIES, "PLATFORM_MEETING", "PROFESSIONALS") == 1
    assert v(ind.PARTICIPANTS, "PLATFORM_MEETING", "PROFESSIONALS") == 11
    assert counted.total(ind.ACTIVITIES) == 3
    # Housing: Studio A all month (31) and Flat B from the 16th (16); stays of 10 and 12.
    assert v(ind.HOUSING, "AVAILABLE") == 47
    assert v(ind.HOUSING, "OCCUPIED") == 22
    # Profile tables: only A counts. B refused, C is anonymous, E withdrew; D was counted
    # by another desk; F opened in February.
    assert v(ind.EXCLUDED_NO_CONSENT) == 3
    assert v(ind.EXCLUDED_COUNTED_ELSEWHERE) == 1
    assert v(ind.NEW_VICTIMS, "FEMALE", "A26_40") == 1
    assert counted.total(ind.NEW_VICTIMS) == 1
    assert v(ind.CHILDREN_EXPOSED, "YES") == 1
    assert counted.total(ind.CHILDREN_EXPOSED) == 1
    assert v(ind.SITUATIONS_CORE_TYPE, "SEXUAL_ASSAULT") == 1
    assert counted.total(ind.SITUATIONS_CORE_TYPE) == 1
    assert v(ind.SITUATIONS_FORM, "SEXUAL") == 1
    assert v(ind.SITUATIONS_FORM, "PHYSICAL") == 1
    assert counted.total(ind.SITUATIONS_FORM) == 2  # several forms per situation
    assert v(ind.SITUATIONS_CONTEXT, "PARTNER_FORMER") == 1
    assert v(ind.ELAPSED_TIME, "D0_3") == 1
    assert counted.total(ind.ELAPSED_TIME) == 1


def test_february_and_april_hold_their_own_numbers(march_desk: OpenDesk) -> None:
    today = date(2026, 11, 23)
    february = counts.month_counts(march_desk, MARCH.previous(), today)
    assert february.total(ind.CONTACTS) == 1
    assert february.total(ind.NEW_VICTIMS) == 1
    assert february.value(ind.ACTIVITIES, "LA_CABANE", "CHILDREN") == 1
    # Studio A from the 1st of February (28 nights), its stay from the 20th (9 nights).
    assert february.value(ind.HOUSING, "AVAILABLE") == 28
    assert february.value(ind.HOUSING, "OCCUPIED") == 9
    april = counts.month_counts(march_desk, MARCH.next(), today)
    assert april.total(ind.SESSIONS) == 1
    assert april.value(ind.PRINTED, "BROCHURE", "AR") == 1
    # Flat B still occupied: all of April.
    assert april.value(ind.HOUSING, "OCCUPIED") == 30


def test_an_empty_month_is_all_zeros_not_an_error(coordinator: OpenDesk) -> None:
    counted = counts.month_counts(coordinator, Month(2025, 1))
    assert counted.is_empty
    assert sum(len(cells) for cells in counted.values.values()) == sum(
        len(e.combos) for e in ind.ELEMENTS
    )


def test_a_month_to_come_and_other_roles_are_refused(
    coordinator: OpenDesk, reception: OpenDesk
) -> None:
    with pytest.raises(ValidationError, match="has not started yet"):
        counts.month_counts(coordinator, Month(2026, 12), today=date(2026, 11, 23))
    with pytest.raises(AccessDenied):
        counts.month_counts(reception, MARCH)


@pytest.mark.usefixtures("on_counts_day")
def test_recontact_attempts_and_protocols_are_volume_indicators(
    reception: OpenDesk, coordinator: OpenDesk, admin_desk: OpenDesk
) -> None:
    def referral(day: date) -> str:
        saved = refer(reception, police_referral(day))
        return recontact.items_of_case(reception, saved.case_id)[0].id

    def attempt(item: str, day: date, outcome: AttemptOutcome) -> None:
        form = AttemptForm(at(day), outcome, NextStep.TRY_AGAIN, day + timedelta(days=1))
        recontact.log_attempt(reception, item, form)

    first = referral(date(2026, 3, 2))
    attempt(first, date(2026, 3, 3), AttemptOutcome.NO_ANSWER)
    attempt(first, date(2026, 3, 4), AttemptOutcome.UNSAFE)
    attempt(first, date(2026, 3, 5), AttemptOutcome.REACHED)
    attempt(referral(date(2026, 3, 30)), date(2026, 4, 1), AttemptOutcome.WRONG_NUMBER)
    ours = protocols.create(admin_desk, "fr", "Personne âgée", ["Écouter.", "Orienter."])
    for day, keys in (
        (date(2026, 3, 10), ("complaint", "legal_aid")),
        (date(2026, 3, 11), ("complaint", ours.key)),
        (date(2026, 4, 11), ("complaint",)),
    ):
        uses = tuple(ProtocolUseForm(key, 1, frozenset({"s1"})) for key in keys)
        intake_on(reception, day, protocols=uses)

    march = counts.month_counts(coordinator, MARCH, today=date(2026, 11, 23))
    assert march.value(ind.RECONTACT_ATTEMPTS, "NO_ANSWER") == 1
    assert march.value(ind.RECONTACT_ATTEMPTS, "UNSAFE_TO_TALK") == 1
    assert march.value(ind.RECONTACT_ATTEMPTS, "REACHED") == 1
    assert march.total(ind.RECONTACT_ATTEMPTS) == 3
    assert march.value(ind.PROTOCOLS_USED, "COMPLAINT") == 2
    assert march.value(ind.PROTOCOLS_USED, "LEGAL_AID") == 1
    assert march.value(ind.PROTOCOLS_USED, "OTHER") == 1
    assert march.total(ind.PROTOCOLS_USED) == 4
    # The police referrals are the desk's first contacts about the two people.
    assert march.value(ind.REFERRED_FROM, "POLICE") == 2
    april = counts.month_counts(coordinator, MARCH.next(), today=date(2026, 11, 23))
    assert april.value(ind.RECONTACT_ATTEMPTS, "WRONG_NUMBER") == 1
    assert april.total(ind.RECONTACT_ATTEMPTS) == 1
    assert april.value(ind.PROTOCOLS_USED, "COMPLAINT") == 1


def test_a_training_planned_later_in_the_month_is_not_counted_yet(
    march_desk: OpenDesk,
) -> None:
    # The platform meeting of 27 March is still to come on the 20th.
    before = counts.month_counts(march_desk, MARCH, today=date(2026, 3, 20))
    assert before.value(ind.ACTIVITIES, "PLATFORM_MEETING", "PROFESSIONALS") == 0
    assert before.value(ind.ACTIVITIES, "LA_CABANE", "CHILDREN") == 2
    after = counts.month_counts(march_desk, MARCH, today=date(2026, 3, 27))
    assert after.value(ind.ACTIVITIES, "PLATFORM_MEETING", "PROFESSIONALS") == 1


@pytest.fixture(params=["UTC", "Pacific/Kiritimati", "America/Los_Angeles"])
def pc_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The PC set to a zone other than Brussels: UTC (a laptop left on it), +14 and -8."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def test_months_are_brussels_months_whatever_the_pcs_zone(
    pc_zone: str, reception: OpenDesk, counsellor: OpenDesk, coordinator: OpenDesk
) -> None:
    """Issue 19, point 8: on a PC set to UTC, a contact at 00:30 on the 1st (Brussels)
    counted in the previous month, and re-exporting on another PC changed past months."""
    # Moments as stored (UTC): 00:30 on 1 March and 23:30 on 28 February in Brussels (CET).
    first_of_march = datetime(2026, 2, 28, 23, 30, tzinfo=UTC)
    last_of_february = datetime(2026, 2, 28, 22, 30, tzinfo=UTC)
    intake_on(reception, date(2026, 3, 1), contact=ContactForm(occurred_at=first_of_march))
    intake_on(reception, date(2026, 2, 28), contact=ContactForm(occurred_at=last_of_february))
    case = intake_on(reception, date(2026, 3, 31))
    # 23:45 on 31 March and 00:15 on 1 April in Brussels (CEST).
    late = datetime(2026, 3, 31, 21, 45, tzinfo=UTC)
    early = datetime(2026, 3, 31, 22, 15, tzinfo=UTC)
    sessions.add_session(counsellor, case, SessionForm(late, session_type=SessionType.LISTENING))
    sessions.add_session(counsellor, case, SessionForm(early, session_type=SessionType.LISTENING))
    today = date(2026, 11, 23)
    february, march, april = (
        counts.month_counts(coordinator, month, today)
        for month in (MARCH.previous(), MARCH, MARCH.next())
    )
    assert (february.total(ind.CONTACTS), march.total(ind.CONTACTS)) == (1, 2), pc_zone
    assert (march.total(ind.SESSIONS), april.total(ind.SESSIONS)) == (1, 1), pc_zone
    assert (february.total(ind.NEW_VICTIMS), march.total(ind.NEW_VICTIMS)) == (1, 2), pc_zone
