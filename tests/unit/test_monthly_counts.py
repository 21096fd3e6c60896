"""The monthly counts built from known data: every number asserted, and each rule (consent,
"already counted by another desk", one count per victim, housing nights) shown to matter."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from app.domain import indicators as ind
from app.domain.activities import ActivityForm
from app.domain.codes import (
    ActivityKind,
    Audience,
    ConsentDecision,
    ConsentScope,
    PersonRole,
    ReferralStatus,
    ReferredFrom,
    RiskLevel,
    RiskTool,
    ServiceType,
    SessionType,
    Sex,
    YesNoUnknown,
)
from app.domain.intake import ConsentForm, ContactForm, PersonForm, SituationForm
from app.domain.periods import Month
from app.domain.sessions import ReferralForm, SessionForm
from app.errors import AccessDenied, ValidationError
from app.services import activities, cases, counts, housing, intake, printing, referrals, sessions
from app.services.open_desk import OpenDesk
from app.services.printing import Layout, Material, PrintRequest
from db import case_queries
from tests.factories import named_intake

MARCH = Month(2026, 3)


def at(day: date, hour: int = 10) -> datetime:
    """A local time of day, as the desk would have typed it."""
    return datetime.combine(day, time(hour)).astimezone().astimezone(UTC)


def intake_on(desk: OpenDesk, day: date, **changes: object) -> str:
    contact = changes.pop("contact", ContactForm(occurred_at=at(day)))
    return intake.record_intake(desk, named_intake(contact=contact, **changes)).case_id


@pytest.fixture
def march_desk(
    reception: OpenDesk, counsellor: OpenDesk, coordinator: OpenDesk
) -> OpenDesk:
    d = date
    # A: a consenting victim, woman of 34, sexual and physical violence 2 days before.
    case_a = intake_on(
        reception,
        d(2026, 3, 3),
        contact=ContactForm(occurred_at=at(d(2026, 3, 3)), referred_from=ReferredFrom.POLICE),
        person=PersonForm(age=34, sex=Sex.FEMALE, children_exposed=YesNoUnknown.YES),
        situation=SituationForm(
            relationship=named_intake().situation.relationship,
            forms=named_intake().situation.forms,
            sexual_subtype=named_intake().situation.sexual_subtype,
            last_incident=d(2026, 3, 1),
        ),
    )
    # B: a victim of 17 who refused statistics.
    intake_on(
        reception,
        d(2026, 3, 10),
        person=PersonForm(age=17, sex=Sex.MALE),
        consents=(ConsentForm(ConsentScope.STATISTICS, ConsentDecision.REFUSED),),
    )
    # C: an anonymous witness.
    intake_on(
        reception,
        d(2026, 3, 11),
        contact=ContactForm(occurred_at=at(d(2026, 3, 11)), role=PersonRole.WITNESS),
        person=None,
        identity=named_intake().identity.__class__(),
        consents=(),
    )
    # D: already counted by another desk of the network.
    intake_on(
        reception,
        d(2026, 3, 12),
        contact=ContactForm(occurred_at=at(d(2026, 3, 12)), already_counted=YesNoUnknown.YES),
        person=PersonForm(age=70, sex=Sex.FEMALE),
    )
    # E: consented, then withdrew.
    case_e = intake_on(reception, d(2026, 3, 20), person=PersonForm(age=26, sex=Sex.FEMALE))
    with reception.transaction() as session:
        case = case_queries.case_by_id(session, case_e)
        assert case is not None and case.person_id is not None
        statistics = next(
            c for c in case_queries.consents_of(session, case.person_id) if c.scope == "statistics"
        )
    cases.withdraw_consent(reception, statistics.id)
    # F: February, and a second contact on it in March (a contact, not a new case).
    case_f = intake_on(reception, d(2026, 2, 25))
    intake.record_intake(
        reception,
        named_intake(contact=ContactForm(occurred_at=at(d(2026, 3, 5))), link_case_id=case_f),
    )
    # Sessions: two in March, one in April.
    for held, kind, risk in (
        (d(2026, 3, 4), SessionType.LISTENING, RiskLevel.HIGH),
        (d(2026, 3, 18), SessionType.ACCOMPANIMENT, None),
        (d(2026, 4, 1), SessionType.LISTENING, RiskLevel.STANDARD),
    ):
        tool = RiskTool.NONE if risk is None else RiskTool.RTI
        form = SessionForm(at(held), session_type=kind, risk_tool=tool, risk_level=risk)
        sessions.add_session(counsellor, case_a, form)
    referrals.add_referral(
        counsellor, case_a, ReferralForm(ServiceType.LEGAL_AID, "Bureau d'aide", d(2026, 3, 4))
    )
    referrals.add_referral(
        counsellor,
        case_a,
        ReferralForm(ServiceType.SHELTER, "Refuge", d(2026, 3, 6), ReferralStatus.DECLINED),
    )
    brochure = PrintRequest(Material.BROCHURE, "ar", None, Layout.A4)
    printing.record_handout(reception, brochure, copies=3, today=d(2026, 3, 9))
    printing.record_handout(reception, brochure, copies=1, today=d(2026, 4, 2))
    card = PrintRequest(Material.WALLET_CARD, "fr", None, Layout.A4)
    printing.record_handout(reception, card, copies=2, today=d(2026, 3, 30))
    for held, kind, audience, people in (
        (d(2026, 3, 4), ActivityKind.LA_CABANE, Audience.CHILDREN, 8),
        (d(2026, 3, 18), ActivityKind.LA_CABANE, Audience.CHILDREN, 6),
        (d(2026, 3, 27), ActivityKind.PLATFORM_MEETING, Audience.PROFESSIONALS, 11),
        (d(2026, 2, 4), ActivityKind.LA_CABANE, Audience.CHILDREN, 5),
    ):
        activities.save_activity(
            reception, ActivityForm(held, kind, "Atelier", "Maison de quartier", audience, people)
        )
    studio = housing.add_unit(reception, "Studio A", d(2026, 1, 1))
    housing.save_stay(reception, studio, d(2026, 2, 20), d(2026, 3, 11))
    flat = housing.add_unit(reception, "Flat B", d(2026, 3, 16))
    housing.save_stay(reception, flat, d(2026, 3, 20), None)
    return coordinator


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
