"""Forms turned into rows and rows back into forms, for the case services only."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy.orm import Session

from app.domain import safe_hours
from app.domain.cases import ConsentView
from app.domain.classification import gbvims_type
from app.domain.codes import (
    AgeGroup,
    Children,
    ConsentDecision,
    ConsentFrom,
    ConsentScope,
    ContactLanguage,
    DatePrecision,
    GbvimsType,
    LegalBasis,
    PerpetratorCount,
    PoliceComplaint,
    ProtectionMeasure,
    RecontactChannel,
    Relationship,
    Repetition,
    RetentionClass,
    RiskLevel,
    RiskTool,
    SafeTime,
    SessionMode,
    SessionType,
    Sex,
    SexualSubtype,
    Topic,
    ViolenceForm,
    YesNoUnknown,
    join_codes,
    split_codes,
)
from app.domain.intake import ConsentForm, IdentityForm, PersonForm, SituationForm, search_key
from app.domain.sessions import SessionForm
from app.errors import RecordNotFound
from db import case_queries
from db.models import CaseFile, Consent, Identity, ListeningSession, Person, Situation


def fill_person(row: Person, form: PersonForm) -> None:
    row.age = form.age
    row.sex = form.sex.value
    row.municipality = form.municipality
    row.disability = form.disability.value
    row.children = form.children.value
    row.children_exposed = form.children_exposed.value
    row.may_recontact = form.may_recontact.value
    row.recontact_channel = form.channel.value if form.channel else None
    row.safe_times = join_codes(form.safe_times)
    row.safe_hours = safe_hours.join(form.safe_hours)
    row.voicemail_ok = form.voicemail_ok


def new_person(person_id: str, form: PersonForm, now: datetime) -> Person:
    row = Person(id=person_id, retention_class=RetentionClass.CASE.value, created_at=now)
    fill_person(row, form)
    return row


def person_form(row: Person) -> PersonForm:
    return PersonForm(
        age=row.age,
        sex=Sex.read(row.sex),
        municipality=row.municipality,
        disability=YesNoUnknown.read(row.disability),
        children=Children.read(row.children),
        children_exposed=YesNoUnknown.read(row.children_exposed),
        may_recontact=YesNoUnknown.read(row.may_recontact),
        channel=RecontactChannel.read_optional(row.recontact_channel),
        safe_times=split_codes(SafeTime, row.safe_times),
        safe_hours=safe_hours.split(row.safe_hours),
        voicemail_ok=row.voicemail_ok,
    )


def fill_identity(row: Identity, form: IdentityForm) -> None:
    row.pseudonym = form.pseudonym
    row.pseudonym_key = search_key(form.pseudonym)
    row.phone = form.phone
    row.email = form.email
    row.code_word = form.code_word


def new_identity(person_id: str, form: IdentityForm) -> Identity:
    row = Identity(person_id=person_id, retention_class=RetentionClass.IDENTITY.value)
    fill_identity(row, form)
    return row


def identity_form(row: Identity) -> IdentityForm:
    return IdentityForm(
        pseudonym=row.pseudonym, phone=row.phone, email=row.email, code_word=row.code_word
    )


def fill_situation(row: Situation, form: SituationForm, corrected_by: str | None) -> None:
    row.relationship = form.relationship.value
    row.forms = join_codes(form.forms)
    row.sexual_subtype = form.sexual_subtype.value
    row.repetition = form.repetition.value
    row.last_incident = form.last_incident
    row.last_incident_precision = form.precision.value
    row.perpetrator_sex = form.perpetrator_sex.value
    row.perpetrator_age = form.perpetrator_age.value
    row.perpetrator_count = form.perpetrator_count.value
    row.perpetrator_cohabiting = form.perpetrator_cohabiting.value
    row.police_complaint = form.police_complaint.value
    row.protection = join_codes(form.protection)
    row.gbvims_derived = gbvims_type(form.forms, form.sexual_subtype).value
    correction = form.gbvims_correction
    if correction is None and GbvimsType.read_optional(row.gbvims_corrected) is None:
        # A correction this version cannot read was shown as none: left as none, it is kept
        # with its author (a save by someone without the counsellor role included).
        return
    if correction is not None and correction.value == row.gbvims_derived:
        correction = None
    if (correction.value if correction else None) != row.gbvims_corrected:
        row.corrected_by = corrected_by if correction else None
    row.gbvims_corrected = correction.value if correction else None


def new_situation(case_id: str, form: SituationForm, user_id: str) -> Situation:
    row = Situation(case_id=case_id, retention_class=RetentionClass.CASE.value)
    row.gbvims_corrected = None
    fill_situation(row, form, user_id)
    return row


def situation_form(row: Situation) -> SituationForm:
    return SituationForm(
        relationship=Relationship.read(row.relationship),
        forms=split_codes(ViolenceForm, row.forms),
        sexual_subtype=SexualSubtype.read(row.sexual_subtype),
        repetition=Repetition.read(row.repetition),
        last_incident=row.last_incident,
        precision=DatePrecision.read(row.last_incident_precision),
        perpetrator_sex=Sex.read(row.perpetrator_sex),
        perpetrator_age=AgeGroup.read(row.perpetrator_age),
        perpetrator_count=PerpetratorCount.read(row.perpetrator_count),
        perpetrator_cohabiting=YesNoUnknown.read(row.perpetrator_cohabiting),
        police_complaint=PoliceComplaint.read(row.police_complaint),
        protection=split_codes(ProtectionMeasure, row.protection),
        gbvims_correction=GbvimsType.read_optional(row.gbvims_corrected),
    )


def new_consent(person_id: str, consent: ConsentForm, day: date, user_id: str) -> Consent:
    return Consent(
        id=str(uuid.uuid4()),
        person_id=person_id,
        scope=consent.scope.value,
        decision=consent.decision.value,
        given_by=consent.given_by.value,
        legal_basis=consent.legal_basis.value,
        given_on=day,
        withdrawn_on=None,
        recorded_by=user_id,
        retention_class=RetentionClass.CASE.value,
    )


def existing_case(session: Session, case_id: str) -> CaseFile:
    """The case, or a clear refusal when it is gone (purged, or a stale id)."""
    case = case_queries.case_by_id(session, case_id)
    if case is None:
        raise RecordNotFound()
    return case


def consent_view(row: Consent, scope: ConsentScope) -> ConsentView:
    """The decision of `row`, on `scope` as the caller read it (see `consent_views`)."""
    return ConsentView(
        id=row.id,
        scope=scope,
        decision=ConsentDecision.read(row.decision),
        given_by=ConsentFrom.read(row.given_by),
        legal_basis=LegalBasis.read(row.legal_basis),
        given_on=row.given_on,
        withdrawn_on=row.withdrawn_on,
    )


def consent_views(rows: Iterable[Consent]) -> tuple[ConsentView, ...]:
    """The decisions a case page shows. One on a scope this version cannot name is left
    out (logged): shown under another scope, it would say the person decided what she did
    not."""
    return tuple(
        consent_view(row, scope)
        for row in rows
        if (scope := ConsentScope.read_optional(row.scope)) is not None
    )


def session_form(row: ListeningSession, notes: str) -> SessionForm:
    return SessionForm(
        held_at=row.held_at,
        duration_minutes=row.duration_minutes,
        mode=SessionMode.read(row.mode),
        session_type=SessionType.read(row.session_type),
        topics=split_codes(Topic, row.topics),
        risk_tool=RiskTool.read(row.risk_tool),
        risk_level=RiskLevel.read_optional(row.risk_level),
        safety_plan=row.safety_plan,
        brochure_language=ContactLanguage.read_optional(row.brochure_language),
        next_appointment=row.next_appointment,
        notes=notes,
    )
