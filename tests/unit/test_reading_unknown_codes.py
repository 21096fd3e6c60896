"""A code this version does not know, in the rows a screen reads (a code retired since, or
written by a newer Havre on a network desk), never stops the screen: it is read as its list's
catch-all, or as the answer declared for its list, and said once in the log (the code, never
the person). Each kind of record is written here as that newer version would have left it,
straight into its rows, then read through the services the screens call."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app import clock
from app.domain.activities import ActivityForm
from app.domain.appointments import AppointmentForm
from app.domain.cases import CaseEdit, CaseQuery, TimelineKind
from app.domain.codes import (
    ActivityKind,
    AgeGroup,
    AppointmentKind,
    AttemptOutcome,
    Audience,
    CaseStatus,
    Children,
    ConsentDecision,
    ConsentFrom,
    ConsentScope,
    ContactLanguage,
    ContactMode,
    DatePrecision,
    GbvimsType,
    LegalBasis,
    NextStep,
    PerpetratorCount,
    PersonRole,
    PoliceComplaint,
    ProtocolStatus,
    RecontactChannel,
    RecontactClosed,
    RecontactSource,
    ReferralStatus,
    Relationship,
    Repetition,
    RiskLevel,
    RiskTool,
    SafeTime,
    ServiceType,
    SessionMode,
    SessionType,
    Sex,
    SexualSubtype,
    Topic,
    ViolenceForm,
    YesNoUnknown,
    count_afresh,
    read_codes,
)
from app.domain.disclosure import Level, Method
from app.domain.periods import Month
from app.domain.recontact import AttemptForm
from app.domain.roles import Role
from app.domain.sessions import ReferralForm, SessionForm
from app.errors import ValidationError
from app.services import (
    activities,
    appointments,
    cases,
    directory,
    intake,
    network_resources,
    protocols,
    publication_register,
    recontact,
    referrals,
    sessions,
)
from app.services.open_desk import OpenDesk
from db.models import (
    Activity,
    Appointment,
    CaseFile,
    Consent,
    Contact,
    DirectoryEntryRow,
    ListeningSession,
    Person,
    PublicationRecord,
    RecontactAttempt,
    RecontactItem,
    Referral,
    Situation,
)
from db.models import Protocol as ProtocolRow
from tests import factories
from tests.factories import named_intake, police_referral
from tests.unknown_codes_support import NEWER, warned


@pytest.fixture(autouse=True)
def said_afresh(caplog: pytest.LogCaptureFixture) -> None:
    """Each test hears every unknown code it meets (the log says each once per run)."""
    count_afresh()
    caplog.set_level(logging.WARNING)


def _newer_version_wrote(desk: OpenDesk, *statements: object) -> None:
    with desk.transaction() as session:
        for statement in statements:
            session.execute(statement)  # type: ignore[call-overload]


def test_a_case_written_by_a_newer_version_opens_in_the_list_and_on_its_page(
    reception: OpenDesk, caplog: pytest.LogCaptureFixture
) -> None:
    saved = intake.record_intake(reception, named_intake("Hélène Dubois"))
    case_id = saved.case_id
    with reception.transaction() as session:
        person_id = session.get(CaseFile, case_id).person_id  # type: ignore[union-attr]
    _newer_version_wrote(
        reception,
        update(CaseFile).where(CaseFile.id == case_id).values(status=NEWER),
        update(Person)
        .where(Person.id == person_id)
        .values(
            sex=NEWER,
            disability=NEWER,
            children=NEWER,
            may_recontact=NEWER,
            recontact_channel=NEWER,
            safe_times=f"{SafeTime.WEEKEND.value},{NEWER}",
        ),
        update(Situation)
        .where(Situation.case_id == case_id)
        .values(
            relationship=NEWER,
            forms=f"{ViolenceForm.PHYSICAL.value},{NEWER}",
            sexual_subtype=NEWER,
            repetition=NEWER,
            last_incident_precision=NEWER,
            perpetrator_sex=NEWER,
            perpetrator_age=NEWER,
            perpetrator_count=NEWER,
            perpetrator_cohabiting=NEWER,
            police_complaint=NEWER,
            protection=NEWER,
            gbvims_derived=NEWER,
            gbvims_corrected=NEWER,
        ),
        update(Consent)
        .where(Consent.person_id == person_id, Consent.scope == ConsentScope.STATISTICS)
        .values(scope=NEWER),
        update(Consent)
        .where(Consent.person_id == person_id, Consent.scope == ConsentScope.REFERRAL_SHARE)
        .values(decision=NEWER, given_by=NEWER, legal_basis=NEWER),
        update(Contact)
        .where(Contact.case_id == case_id)
        .values(mode=NEWER, person_role=NEWER, requests=NEWER),
    )

    [row] = cases.case_rows(reception, cases.find_case_ids(reception, CaseQuery()))
    assert row.status is CaseStatus.OPEN  # kept in sight
    detail = cases.case_detail(reception, case_id)
    assert detail.status is CaseStatus.OPEN
    person, situation = detail.person, detail.situation
    assert person is not None and situation is not None
    assert (person.sex, person.disability, person.children, person.may_recontact) == (
        Sex.OTHER,
        YesNoUnknown.UNKNOWN,
        Children.UNKNOWN,
        YesNoUnknown.UNKNOWN,
    )
    assert person.channel is RecontactChannel.IN_PERSON_ONLY  # never a call not agreed to
    assert person.safe_times == {SafeTime.WEEKEND}  # no window is guessed
    assert situation.relationship is Relationship.OTHER
    assert situation.forms == {ViolenceForm.PHYSICAL, ViolenceForm.OTHER}
    assert (situation.sexual_subtype, situation.repetition) == (
        SexualSubtype.UNKNOWN,
        Repetition.UNKNOWN,
    )
    assert situation.precision is DatePrecision.MONTH  # no day is claimed
    assert (situation.perpetrator_sex, situation.perpetrator_age) == (Sex.OTHER, AgeGroup.UNKNOWN)
    assert situation.perpetrator_count is PerpetratorCount.UNKNOWN
    assert situation.police_complaint is PoliceComplaint.UNKNOWN
    assert situation.protection == frozenset()
    assert situation.gbvims_correction is None and detail.gbvims_derived is None
    # A decision on a scope this version cannot name is not shown as another scope's.
    [consent] = detail.consents
    assert consent.scope is ConsentScope.REFERRAL_SHARE
    assert (consent.decision, consent.given_by, consent.legal_basis) == (
        ConsentDecision.UNDECIDED,
        ConsentFrom.OTHER,
        LegalBasis.CONSENT,
    )
    [contact] = [e for e in detail.timeline if e.kind is TimelineKind.CONTACT]
    assert contact.summary.startswith(f"{ContactMode.OTHER.label} · {PersonRole.UNKNOWN.label}")
    assert detail.first_role is PersonRole.UNKNOWN

    said = warned(caplog)
    for list_name in ("CaseStatus", "Sex", "RecontactChannel", "SafeTime", "ConsentScope"):
        assert f"{list_name}: a code this version does not know" in said
    assert said.count("Sex: a code this version does not know") == 1  # said once, not per read
    assert "Hélène" not in said and saved.case_code not in said and case_id not in said
    assert NEWER not in said  # the stored value itself is never logged

    # Saved again as shown: every code stored is one this version knows.
    cases.update_case(
        reception,
        case_id,
        detail.version,
        CaseEdit(detail.status, person, detail.identity, situation),
    )
    with reception.transaction() as session:
        case = session.get(CaseFile, case_id)
        stored_person = session.get(Person, person_id)
        stored_situation = session.get(Situation, case_id)
        assert case is not None and stored_person is not None and stored_situation is not None
        assert case.status == CaseStatus.OPEN
        assert stored_person.sex == Sex.OTHER and stored_person.children == Children.UNKNOWN
        assert stored_person.recontact_channel is None  # recontact no longer known as agreed
        assert stored_situation.relationship == Relationship.OTHER
        assert stored_situation.last_incident_precision == DatePrecision.MONTH
        assert stored_situation.gbvims_corrected == NEWER  # unreadable, kept as it was
        assert GbvimsType.parse(stored_situation.gbvims_derived) is not None


def test_sessions_referrals_and_call_backs_of_a_newer_version_are_read(
    reception: OpenDesk, counsellor: OpenDesk, caplog: pytest.LogCaptureFixture
) -> None:
    case_id = factories.refer(reception, police_referral(clock.today(), "Nadia")).case_id
    held = sessions.add_session(
        counsellor, case_id, SessionForm(held_at=clock.now() - timedelta(hours=1))
    )
    referrals.add_referral(
        reception,
        case_id,
        ReferralForm(
            ServiceType.LEGAL_AID,
            "Bureau d'aide juridique",
            clock.today(),
            override_reason="Asked for by the person on the phone",
        ),
    )
    [item] = recontact.items_of_case(reception, case_id)
    recontact.log_attempt(
        reception,
        item.id,
        AttemptForm(
            clock.now(),
            AttemptOutcome.NO_ANSWER,
            NextStep.TRY_AGAIN,
            clock.today() + timedelta(days=1),
            "She asked us to call now",
        ),
    )
    _newer_version_wrote(
        reception,
        update(ListeningSession)
        .where(ListeningSession.id == held.id)
        .values(
            mode=NEWER,
            session_type=NEWER,
            topics=f"{Topic.HOUSING.value},{NEWER}",
            risk_tool=NEWER,
            risk_level=NEWER,
            brochure_language="xx",
        ),
        update(Referral)
        .where(Referral.case_id == case_id)
        .values(service_type=NEWER, status=NEWER),
        update(RecontactItem)
        .where(RecontactItem.id == item.id)
        .values(source=NEWER, closed_reason=NEWER),
        update(RecontactAttempt)
        .where(RecontactAttempt.item_id == item.id)
        .values(outcome=NEWER, next_step=NEWER),
    )

    form = sessions.session_form(counsellor, held.id)
    assert (form.mode, form.session_type, form.topics) == (
        SessionMode.IN_PERSON,
        SessionType.LISTENING,
        {Topic.HOUSING},
    )
    assert (form.risk_tool, form.risk_level) == (RiskTool.OTHER, RiskLevel.HIGH)
    assert form.brochure_language is ContactLanguage.OTHER
    timeline = cases.case_detail(reception, case_id).timeline
    [referral] = [e for e in timeline if e.kind is TimelineKind.REFERRAL]
    assert (referral.service_type, referral.referral_status) == (
        ServiceType.OTHER,
        ReferralStatus.REFERRED,
    )
    [session_entry] = [e for e in timeline if e.kind is TimelineKind.SESSION]
    assert session_entry.summary.startswith(SessionType.LISTENING.label)
    [attempt_entry] = [e for e in timeline if e.kind is TimelineKind.ATTEMPT]
    assert attempt_entry.summary == f"{AttemptOutcome.NO_ANSWER.label} → {NextStep.TRY_AGAIN.label}"
    [item] = recontact.items_of_case(reception, case_id)
    assert item.source is RecontactSource.PROMISED
    assert item.closed_reason is RecontactClosed.CLOSED_BY_WORKER
    [attempt] = item.attempts
    assert (attempt.outcome, attempt.next_step) == (AttemptOutcome.NO_ANSWER, NextStep.TRY_AGAIN)
    worklist = recontact.worklist(reception, clock.local_now() + timedelta(days=1))
    assert [row.source for row in worklist.rows] == [RecontactSource.PROMISED]
    for list_name in ("SessionMode", "RiskLevel", "ReferralStatus", "RecontactSource", "NextStep"):
        assert f"{list_name}: a code this version does not know" in warned(caplog)
    assert "Nadia" not in warned(caplog)


def test_activities_and_appointments_of_a_newer_version_are_listed(
    reception: OpenDesk, coordinator: OpenDesk
) -> None:
    today = clock.today()
    saved = activities.save_activity(
        reception,
        ActivityForm(today, ActivityKind.TRAINING, "Formation", "Salle", Audience.PARENTS, 9),
    )
    case_id = intake.record_intake(reception, named_intake()).case_id
    starts = clock.at(today + timedelta(days=1)) + timedelta(hours=10)
    appointments.plan(reception, AppointmentForm(case_id, starts, 60, AppointmentKind.COURT))
    _newer_version_wrote(
        reception,
        update(Activity).where(Activity.id == saved).values(kind=NEWER, audience=NEWER),
        update(Appointment).where(Appointment.case_id == case_id).values(kind=NEWER),
    )
    [row] = activities.activities_of(reception, Month.of(today), Month.of(today))
    # No entry of the desk's lists holds the code: read as the network's answer for it.
    assert (row.kind.network, row.audience.network) == (ActivityKind.OTHER, Audience.GENERAL_PUBLIC)
    assert (row.kind.label, row.audience.label) == ("Other action", "General public")
    assert network_resources.training_plan(coordinator, today, today) == []  # not a training
    [planned] = appointments.between(reception, today, today + timedelta(days=2))
    assert planned.kind is AppointmentKind.OTHER


def _with(document: str, **values: str) -> str:
    """A stored JSON document with `values` written in, as a newer version wrote it."""
    return json.dumps({**json.loads(document), **values})


def test_a_protocol_and_a_directory_entry_of_a_newer_version_open(reception: OpenDesk) -> None:
    with reception.transaction() as session:
        stored = session.scalars(select(ProtocolRow)).first()
        if stored is None:
            protocols.install_bundled(session)
            stored = session.scalars(select(ProtocolRow)).first()
        assert stored is not None
        stored.document, stored.status = _with(stored.document, status=NEWER), NEWER
        key = stored.key
        entry = session.scalars(select(DirectoryEntryRow)).first()
        assert entry is not None
        entry.document, entry.service_type = _with(entry.document, service_type=NEWER), NEWER
        entry_key = entry.key
    shown = [p for p in protocols.current(reception) if p.key == key]
    assert shown and shown[0].status is ProtocolStatus.DRAFT  # approval is not assumed
    assert directory.entry(reception, entry_key).service_type is ServiceType.OTHER


def test_the_register_of_a_newer_version_is_shown_and_refuses_to_mix_rules(
    coordinator: OpenDesk,
) -> None:
    with coordinator.transaction() as session:
        register = publication_register.current(session, coordinator)
        session.add(
            PublicationRecord(
                register_id=register.id,
                published_at=clock.now(),
                published_by=coordinator.user.id,
                level=NEWER,
                method=NEWER,
                k=5,
                first_period="2026-01",
                last_period="2026-01",
                format="csv",
            )
        )
    view = publication_register.view(coordinator)
    assert view is not None
    [made] = view.publications
    assert (made.level, made.method) == (Level.MUNICIPALITY, Method.SUPPRESS)
    # Rules this version cannot read are never the same as the ones it publishes under.
    with coordinator.transaction() as session:
        with pytest.raises(ValidationError):
            publication_register.check_rules(session, register.id, Method.SUPPRESS, 5)


def test_a_role_of_a_newer_version_gives_no_right_and_is_said(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert read_codes(Role, ["counsellor", NEWER]) == {Role.COUNSELLOR}
    assert "Role: a code this version does not know, taken as nothing" in warned(caplog)


def test_one_code_is_read_for_a_screen_and_counted_as_before(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert DatePrecision.counted(NEWER) is None  # counts take it as a day, as they did
    assert DatePrecision.read(NEWER) is DatePrecision.MONTH
    assert "DatePrecision: a code this version does not know" in warned(caplog)
    assert ContactMode.read_optional(None) is None and ContactMode.read_optional("") is None
    assert SafeTime.read_optional(NEWER) is None  # no single answer is guessed for it
