"""Recording a contact at the desk (reception or counsellor): a new case with its short code,
or one more contact on an existing case when the user links a likely duplicate."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from app import clock
from app.domain.case_code import format_case_code
from app.domain.cases import DuplicateCandidate, SavedIntake
from app.domain.codes import CaseStatus, RetentionClass, join_codes
from app.domain.intake import ConsentForm, IntakeForm, PersonForm, search_key, validate_intake
from app.domain.roles import Role
from app.services import audit, case_records, protocols
from app.services.open_desk import OpenDesk
from db import case_queries, repositories
from db.models import CaseFile, Contact, Situation

CASE_ROLES = (Role.RECEPTION, Role.COUNSELLOR)


def likely_duplicates(
    desk: OpenDesk, pseudonym: str, person: PersonForm | None
) -> list[DuplicateCandidate]:
    """Cases of a person with the same pseudonym, age and municipality: pointed out, never
    merged."""
    desk.require(CASE_ROLES, "intake.duplicates")
    key = search_key(pseudonym)
    if not key or person is None:
        return []
    with desk.transaction() as session:
        found = case_queries.likely_duplicates(session, key, person.age, person.municipality)
        return [
            DuplicateCandidate(
                case_id=case.id,
                case_code=case.code,
                pseudonym=identity.pseudonym,
                age=row.age,
                opened_at=case.opened_at,
                status=CaseStatus(case.status),
            )
            for case, identity, row in found
        ]


def record_intake(desk: OpenDesk, form: IntakeForm, draft_page: str | None = None) -> SavedIntake:
    """Save the contact, and in the same transaction drop the page's draft, so that a crash
    right after can neither lose the contact nor offer it again as a draft."""
    desk.require(CASE_ROLES, "intake.record")
    now = clock.now()
    form = validate_intake(form, now)
    with desk.transaction() as session:
        saved = save_intake(session, desk, form, now)
        if draft_page and saved.created:
            repositories.delete_draft(session, desk.user.id, draft_page)
        return saved


def save_intake(session: Session, desk: OpenDesk, form: IntakeForm, now: datetime) -> SavedIntake:
    """Inside a transaction: save a validated form once (a form saved again is found by its
    id), so that other records of the same moment (a police referral's call-back, the
    protocols followed) go in with it or not at all. Called before anything else is
    written in the transaction: the role is checked (and a refusal recorded) apart."""
    desk.require(CASE_ROLES, "intake.record")
    existing = case_queries.contact_by_id(session, form.id)
    if existing is not None:
        case = case_queries.case_by_id(session, existing.case_id)
        assert case is not None
        return SavedIntake(case.id, case.code, existing.id, created=False)
    if form.link_case_id:
        case = _linked_case(session, desk, form, now)
    else:
        case = _new_case(session, desk, form, now)
    session.add(_contact(form, case.id, desk.user.id))
    protocols.record_uses(session, desk.user.id, form.id, form.protocols)
    audit.record(
        session,
        audit.INTAKE_RECORDED,
        desk.user.id,
        target_type="case",
        target_id=case.id,
    )
    return SavedIntake(case.id, case.code, form.id, created=True)


def _new_case(session: Session, desk: OpenDesk, form: IntakeForm, now: datetime) -> CaseFile:
    year = clock.local(form.contact.occurred_at).year
    number = case_queries.next_case_number(session, year)
    case = CaseFile(
        id=str(uuid.uuid4()),
        code=format_case_code(desk.desk.code, year, number),
        year=year,
        number=number,
        status=CaseStatus.OPEN.value,
        opened_at=form.contact.occurred_at,
        person_id=None,
        created_by=desk.user.id,
        updated_at=now,
        version=1,
        retention_class=RetentionClass.CASE.value,
    )
    if form.person is not None:
        person_id = str(uuid.uuid4())
        # Flushed one by one: the rows are not linked by ORM relationships, so the order
        # of the inserts is the order of these flushes (foreign keys are enforced).
        session.add(case_records.new_person(person_id, form.person, now))
        session.flush()
        if not form.identity.is_empty:
            session.add(case_records.new_identity(person_id, form.identity))
        _add_consents(session, desk, person_id, form, form.consents)
        case.person_id = person_id
    session.add(case)
    session.flush()
    if not form.situation.is_empty:
        session.add(_situation(case.id, form, desk))
    return case


def _linked_case(session: Session, desk: OpenDesk, form: IntakeForm, now: datetime) -> CaseFile:
    """The chosen existing case gets the contact; its person stays as recorded (edit it on
    the case page); consents for scopes not yet recorded and a first situation are added."""
    assert form.link_case_id is not None
    case = case_records.existing_case(session, form.link_case_id)
    if case.person_id is not None:
        known = {c.scope for c in case_queries.consents_of(session, case.person_id)}
        new = tuple(c for c in form.consents if c.scope.value not in known)
        _add_consents(session, desk, case.person_id, form, new)
    if not form.situation.is_empty and case_queries.situation_of(session, case.id) is None:
        session.add(_situation(case.id, form, desk))
    if case.status == CaseStatus.CLOSED.value:
        case.status = CaseStatus.OPEN.value
    case.updated_at = now
    case.version += 1
    return case


def _add_consents(
    session: Session,
    desk: OpenDesk,
    person_id: str,
    form: IntakeForm,
    consents: tuple[ConsentForm, ...],
) -> None:
    day = clock.local_day(form.contact.occurred_at)
    session.add_all(
        case_records.new_consent(person_id, consent, day, desk.user.id) for consent in consents
    )


def _situation(case_id: str, form: IntakeForm, desk: OpenDesk) -> Situation:
    situation = form.situation
    if situation.gbvims_correction is not None and not desk.user.has(Role.COUNSELLOR):
        # Reception records what was said; only a counsellor corrects the classification.
        situation = replace(situation, gbvims_correction=None)
    return case_records.new_situation(case_id, situation, desk.user.id)


def _contact(form: IntakeForm, case_id: str, user_id: str) -> Contact:
    contact = form.contact
    return Contact(
        id=form.id,
        case_id=case_id,
        occurred_at=contact.occurred_at,
        mode=contact.mode.value,
        person_role=contact.role.value,
        language=contact.language.value,
        interpreter=contact.interpreter,
        referred_from=contact.referred_from.value,
        requests=join_codes(contact.requests),
        already_counted=contact.already_counted.value,
        caller_relation=contact.relation.value if contact.relation else None,
        victim_age=contact.victim_age.value if contact.victim_age else None,
        victim_sex=contact.victim_sex.value if contact.victim_sex else None,
        note=contact.note or None,
        recorded_by=user_id,
        retention_class=RetentionClass.CASE.value,
    )
