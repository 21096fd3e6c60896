"""Recording a contact at the desk (reception or counsellor): a new case with its short code,
or one more contact on an existing case when the user links a likely duplicate."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from app import clock
from app.domain.case_code import format_case_code
from app.domain.cases import SavedIntake
from app.domain.codes import CaseStatus, RetentionClass, join_codes
from app.domain.duplicates import (
    BIRTH_YEAR_TOLERANCE,
    DuplicateCandidate,
    DuplicateProbe,
    KnownPerson,
    Matcher,
    ranked,
)
from app.domain.intake import ConsentForm, IntakeForm, validate_intake
from app.domain.roles import Role
from app.services import audit, case_records, protocols
from app.services.open_desk import OpenDesk
from db import case_queries, repositories
from db.models import CaseFile, Contact, Situation

CASE_ROLES = (Role.RECEPTION, Role.COUNSELLOR)
# Persons found at most by a phone, an e-mail or a close pseudonym: more than anyone reads
# (a shelter's phone may be on dozens of cases), few enough to stay within a keystroke.
MAX_CANDIDATES = 50


def likely_duplicates(desk: OpenDesk, probe: DuplicateProbe) -> list[DuplicateCandidate]:
    """The cases that may be this person's, best first (app/domain/duplicates.py says when):
    pointed out as the person is typed, never merged. Only what reception sees of a case
    in the case list comes back, with the fields that matched."""
    with desk.guarded(CASE_ROLES, "intake.duplicates") as session:
        today = clock.today()
        matcher = Matcher(probe, today)
        # One year wider than the rule: the database dates an age by its person's row, which
        # may be made a while after a contact entered late.
        years = (
            None
            if matcher.birth_year is None
            else (
                matcher.birth_year - BIRTH_YEAR_TOLERANCE - 1,
                matcher.birth_year + BIRTH_YEAR_TOLERANCE + 1,
            )
        )
        # Apart: dozens of cases sharing a shelter's phone must not hide the one sharing the
        # e-mail typed.
        person_ids: list[str] = []
        if matcher.phone:
            pattern = "%" + "%".join(matcher.phone)
            person_ids += case_queries.persons_by_phone(session, pattern, MAX_CANDIDATES)
        if matcher.email:
            pattern = _like_pattern(matcher.email)
            person_ids += case_queries.persons_by_email(session, pattern, MAX_CANDIDATES)
        close = (
            [
                key
                for key in case_queries.pseudonym_keys(session, matcher.initial)
                if matcher.close_to(key)
            ]
            if matcher.initial and (years or matcher.municipality)
            else []
        )
        person_ids.extend(
            case_queries.persons_named(session, close, years, matcher.municipality, MAX_CANDIDATES)
        )
        found = []
        for row in case_queries.duplicate_rows(session, person_ids):
            known = KnownPerson(
                pseudonym=row.pseudonym,
                phone=row.phone,
                email=row.email,
                age=row.age,
                municipality=row.municipality,
                opened_at=row.opened_at,
            )
            matched = matcher.matched(known)
            if matched:
                found.append((row, matched))
        last = case_queries.last_contacts(session, [row.id for row, _matched in found])
    return ranked(
        [
            DuplicateCandidate(
                case_id=row.id,
                case_code=row.code,
                pseudonym=row.pseudonym,
                age=row.age,
                status=CaseStatus.read(row.status),
                opened_at=row.opened_at,
                last_contact=last.get(row.id),
                matched=matched,
            )
            for row, matched in found
        ]
    )


def record_duplicates_shown(desk: OpenDesk, case_ids: list[str]) -> None:
    """What reception learnt of these cases from a phone, an e-mail or a name typed, as a
    view of a case would be: recorded once per case and form by the intake (not at every
    key: a write per key would slow the typing)."""
    with desk.guarded(CASE_ROLES, "intake.duplicates") as session:
        for case_id in case_ids:
            audit.record(
                session, audit.DUPLICATE_SHOWN, desk.user.id, target_type="case", target_id=case_id
            )


def _like_pattern(text: str) -> str:
    """`text` as a LIKE pattern matching itself only (escaped with a backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def record_intake(desk: OpenDesk, form: IntakeForm, draft_page: str | None = None) -> SavedIntake:
    """Save the contact, and in the same transaction drop the page's draft, so that a crash
    right after can neither lose the contact nor offer it again as a draft."""
    with desk.guarded(CASE_ROLES, "intake.record") as session:
        now = clock.now()
        form = validate_intake(form, now)
        saved = save_intake(session, desk, form, now)
        if draft_page and saved.created:
            repositories.delete_draft(session, desk.user.id, draft_page)
        return saved


def save_intake(session: Session, desk: OpenDesk, form: IntakeForm, now: datetime) -> SavedIntake:
    """Inside a transaction: save a validated form once (a form saved again is found by its
    id), so that other records of the same moment (a police referral's call-back, the
    protocols followed) go in with it or not at all. The role is checked here too, whoever
    calls it: a refusal rolls the whole transaction back, and is recorded after."""
    desk.check(session, CASE_ROLES, "intake.record")
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
