"""Finding and following cases: the list (ids first, rows on demand), the case page with
its timeline, edits guarded by the case's version, consents given and withdrawn.

Reception and counsellors may use all of this; notes are not part of it (sessions.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from app import clock
from app.domain.case_code import searches_a_code
from app.domain.cases import (
    CaseDetail,
    CaseEdit,
    CaseQuery,
    CaseRow,
    ConsentView,
    TimelineEntry,
    TimelineKind,
)
from app.domain.classification import violence_scope
from app.domain.codes import (
    AgeGroup,
    AttemptOutcome,
    CallerRelation,
    CaseStatus,
    ContactMode,
    GbvimsType,
    NextStep,
    PersonRole,
    ReferralStatus,
    RequestType,
    ServiceType,
    SessionType,
    Sex,
    YesNoUnknown,
    split_codes,
)
from app.domain.intake import (
    ConsentForm,
    search_key,
    validate_identity,
    validate_person,
    validate_situation,
)
from app.domain.roles import Role
from app.errors import AccessDenied, EditConflict, RecordNotFound
from app.i18n import N_, _, current_language, language_name, ngettext
from app.services import audit, case_records, protocols
from app.services.intake import CASE_ROLES
from app.services.open_desk import OpenDesk
from db import case_queries, fulltext, recontact_queries, repositories
from db.models import CaseFile, Contact, Identity, Person


def find_case_ids(desk: OpenDesk, query: CaseQuery) -> list[str]:
    """Ids of the cases matching `query`, newest first."""
    with desk.guarded(CASE_ROLES, "case.list") as session:
        text = query.text.strip()
        code = searches_a_code(text)
        name_query = None if code else fulltext.prefix_query(search_key(text))
        if text and not code and name_query is None:
            return []  # only punctuation: nothing a pseudonym could match
        return case_queries.case_ids(
            session,
            code_part=text.upper() if code else None,
            name_query=name_query,
            status=query.status.value if query.status else None,
            opened_from=_midnight_or_none(query.opened_from),
            opened_before=_midnight_or_none(query.opened_to, plus_days=1),
        )


def case_rows(desk: OpenDesk, ids: Sequence[str]) -> list[CaseRow]:
    """The rows for `ids`, in the same order (missing ones, purged meanwhile, left out)."""
    with desk.guarded(CASE_ROLES, "case.list") as session:
        found = {
            case.id: CaseRow(
                id=case.id,
                code=case.code,
                status=CaseStatus.read(case.status),
                opened_at=case.opened_at,
                pseudonym=identity.pseudonym if identity else None,
                age=person.age if person else None,
                contacts=contacts,
                sessions=sessions,
                do_not_recontact=person is not None
                and person.may_recontact == YesNoUnknown.NO.value,
            )
            for case, person, identity, contacts, sessions in case_queries.case_rows(session, ids)
        }
    return [found[i] for i in ids if i in found]


def case_detail(desk: OpenDesk, case_id: str) -> CaseDetail:
    """Everything the case page shows (never notes); the view is audited."""
    with desk.guarded(CASE_ROLES, "case.view") as session:
        case = case_records.existing_case(session, case_id)
        audit.record(
            session, audit.CASE_VIEWED, desk.user.id, target_type="case", target_id=case.id
        )
        return _detail(session, case)


def update_case(desk: OpenDesk, case_id: str, version: int, edit: CaseEdit) -> CaseDetail:
    """Save an edit made on version `version` of the case; refuse it if the case has changed
    since (EditConflict), so that nobody's work is silently overwritten."""
    with desk.guarded(CASE_ROLES, "case.edit") as session:
        case = case_records.existing_case(session, case_id)
        if case.version != version:
            raise EditConflict()
        situation_form = validate_situation(edit.situation, clock.local_day(case.opened_at))
        existing_situation = case_queries.situation_of(session, case.id)
        # As the page showed it: a correction a newer version wrote, shown as none, is not
        # changed by a save that keeps none (and the role check must not refuse it).
        old_correction = (
            GbvimsType.read_optional(existing_situation.gbvims_corrected)
            if existing_situation
            else None
        )
        new_correction = situation_form.gbvims_correction
        if new_correction != old_correction and not (desk.user.has(Role.COUNSELLOR)):
            raise AccessDenied()
        if existing_situation is None:
            if not situation_form.is_empty:
                session.add(case_records.new_situation(case.id, situation_form, desk.user.id))
        else:
            case_records.fill_situation(existing_situation, situation_form, desk.user.id)
        if case.person_id is not None and edit.person is not None:
            person = session.get(Person, case.person_id)
            assert person is not None
            case_records.fill_person(person, validate_person(edit.person))
            _save_identity(session, case.person_id, edit)
        case.status = edit.status.value
        case.version += 1
        case.updated_at = clock.now()
        audit.record(
            session, audit.CASE_EDITED, desk.user.id, target_type="case", target_id=case.id
        )
        session.flush()
        return _detail(session, case)


def record_consent(desk: OpenDesk, case_id: str, consent: ConsentForm) -> ConsentView:
    """A new decision for its scope; an earlier one still in force for that scope ends today."""
    with desk.guarded(CASE_ROLES, "consent.record") as session:
        today = clock.today()
        case = case_records.existing_case(session, case_id)
        if case.person_id is None:
            raise RecordNotFound()
        for earlier in case_queries.consents_of(session, case.person_id):
            if earlier.scope == consent.scope.value and earlier.withdrawn_on is None:
                earlier.withdrawn_on = today
        row = case_records.new_consent(case.person_id, consent, today, desk.user.id)
        session.add(row)
        case.version += 1
        audit.record(
            session, audit.CONSENT_RECORDED, desk.user.id, target_type="consent", target_id=row.id
        )
        return case_records.consent_view(row, consent.scope)


def withdraw_consent(desk: OpenDesk, consent_id: str) -> None:
    with desk.guarded(CASE_ROLES, "consent.withdraw") as session:
        consent = case_queries.consent_by_id(session, consent_id)
        if consent is None:
            raise RecordNotFound()
        if consent.withdrawn_on is None:
            consent.withdrawn_on = clock.today()
        audit.record(
            session,
            audit.CONSENT_WITHDRAWN,
            desk.user.id,
            target_type="consent",
            target_id=consent.id,
        )


def _save_identity(session: Session, person_id: str, edit: CaseEdit) -> None:
    if edit.identity is None:
        return
    identity = validate_identity(edit.identity)
    row = case_queries.identity_of(session, person_id)
    if row is None and not identity.is_empty:
        session.add(case_records.new_identity(person_id, identity))
    elif row is not None:
        case_records.fill_identity(row, identity)


def _detail(session: Session, case: CaseFile) -> CaseDetail:
    person = session.get(Person, case.person_id) if case.person_id else None
    identity: Identity | None = (
        case_queries.identity_of(session, case.person_id) if case.person_id else None
    )
    situation = case_queries.situation_of(session, case.id)
    consents = case_queries.consents_of(session, case.person_id) if case.person_id else ()
    situation_form = case_records.situation_form(situation) if situation else None
    return CaseDetail(
        id=case.id,
        code=case.code,
        status=CaseStatus.read(case.status),
        opened_at=case.opened_at,
        version=case.version,
        person=case_records.person_form(person) if person else None,
        identity=case_records.identity_form(identity) if identity else None,
        consents=case_records.consent_views(consents),
        situation=situation_form,
        gbvims_derived=GbvimsType.read_optional(situation.gbvims_derived) if situation else None,
        scope=violence_scope(situation_form.relationship) if situation_form else None,
        timeline=_timeline(session, case.id),
        first_role=_first_role(session, case.id),
    )


def _first_role(session: Session, case_id: str) -> PersonRole:
    contacts = case_queries.contacts_of(session, case_id)
    if not contacts:
        return PersonRole.VICTIM
    first = min(contacts, key=lambda contact: contact.occurred_at)
    return PersonRole.read(first.person_role)


def _about_victim(contact: Contact) -> list[str]:
    """What a witness, relative or professional said of the victim, for the timeline."""
    relation = CallerRelation.read_optional(contact.caller_relation)
    if relation is None:
        return []
    sex = Sex.read_optional(contact.victim_sex) or Sex.NOT_RECORDED
    age = AgeGroup.read_optional(contact.victim_age) or AgeGroup.UNKNOWN
    return [
        _("relation to the victim: {relation}").format(relation=relation.label),
        _("the victim: {sex}, {age}").format(sex=sex.label, age=age.label),
    ]


def _timeline(session: Session, case_id: str) -> tuple[TimelineEntry, ...]:
    names = {user.id: user.display_name for user in repositories.all_users(session)}
    followed = protocols.followed_by_contact(session, case_id, current_language())
    entries = [
        TimelineEntry(
            kind=TimelineKind.CONTACT,
            id=contact.id,
            at=contact.occurred_at,
            summary=" · ".join(
                [
                    ContactMode.read(contact.mode).label,
                    PersonRole.read(contact.person_role).label,
                    *_about_victim(contact),
                    *(r.label for r in sorted(split_codes(RequestType, contact.requests))),
                    *(use.summary for use in followed.get(contact.id, ())),
                ]
            ),
            who=names.get(contact.recorded_by, ""),
            note=contact.note or "",
        )
        for contact in case_queries.contacts_of(session, case_id)
    ]
    entries += [
        TimelineEntry(
            kind=TimelineKind.SESSION,
            id=row.id,
            at=row.held_at,
            summary=_("{type} · {minutes} min").format(
                type=SessionType.read(row.session_type).label, minutes=row.duration_minutes
            ),
            who=names.get(row.counsellor_id, ""),
            has_notes=row.sealed_notes is not None,
        )
        for row in case_queries.sessions_of(session, case_id)
    ]
    for row in case_queries.referrals_of(session, case_id):
        recorded = _recorded_on(session, _REFERRAL_ACTIONS, "referral", row.id, row.referred_on)
        entries.append(
            TimelineEntry(
                kind=TimelineKind.REFERRAL,
                id=row.id,
                at=recorded[0] if recorded else clock.at(row.referred_on),
                summary=_("{service}: {partner} · {status}").format(
                    service=ServiceType.read(row.service_type).label,
                    partner=row.partner_name,
                    status=ReferralStatus.read(row.status).label,
                ),
                who=names.get(row.recorded_by, ""),
                referral_status=ReferralStatus.read(row.status),
                service_type=ServiceType.read(row.service_type),
                timed=bool(recorded),
            )
        )
    entries += _handouts(session, case_id, names)
    entries += [
        TimelineEntry(
            kind=TimelineKind.ATTEMPT,
            id=attempt.id,
            at=attempt.attempted_at,
            summary=_("{outcome} → {next}").format(
                outcome=AttemptOutcome.read(attempt.outcome).label,
                next=NextStep.read(attempt.next_step).label,
            ),
            who=names.get(attempt.recorded_by, ""),
        )
        for attempt in recontact_queries.attempts_of_case(session, case_id)
    ]
    return tuple(sorted(entries, key=lambda e: e.at, reverse=True))


# Referrals and hand-outs keep only their day; the audit log holds when they were recorded.
_REFERRAL_ACTIONS = (audit.REFERRAL_RECORDED, audit.REFERRAL_OVERRIDE)
_MATERIAL_LABELS = {
    "brochure": N_("Information brochure"),
    "wallet_card": N_("Wallet card (useful numbers)"),
    "referral_slip": N_("Referral slip"),
}


def _recorded_on(
    session: Session, actions: tuple[str, ...], target_type: str, target_id: str, day: date
) -> list[datetime]:
    """When the audit log recorded `target_id` on `day` (Brussels), earliest first."""
    start, end = clock.at(day), clock.at(day + timedelta(days=1))
    return case_queries.recorded_times(session, actions, target_type, target_id, start, end)


def _handouts(session: Session, case_id: str, names: dict[str, str]) -> list[TimelineEntry]:
    """The material handed out on the case, each at the time it was recorded: the n-th
    hand-out of a day is the n-th recorded on the case that day."""
    entries: list[TimelineEntry] = []
    times: dict[date, list[datetime]] = {}
    for row in case_queries.handouts_of(session, case_id):
        if row.handed_on not in times:
            times[row.handed_on] = _recorded_on(
                session, (audit.HANDOUT_RECORDED,), "case", case_id, row.handed_on
            )
        of_day = times[row.handed_on]
        recorded = of_day.pop(0) if of_day else None
        material = _MATERIAL_LABELS.get(row.material)
        entries.append(
            TimelineEntry(
                kind=TimelineKind.HANDOUT,
                id=row.id,
                at=recorded or clock.at(row.handed_on),
                summary=ngettext(
                    "{material} in {language}, {copies} copy",
                    "{material} in {language}, {copies} copies",
                    row.copies,
                ).format(
                    material=_(material) if material else row.material,
                    language=language_name(row.language),
                    copies=row.copies,
                ),
                who=names.get(row.recorded_by, ""),
                timed=recorded is not None,
            )
        )
    return entries


def _midnight_or_none(day: date | None, plus_days: int = 0) -> datetime | None:
    return None if day is None else clock.at(day + timedelta(days=plus_days))
