"""The reads behind the monthly counts: grouped volumes, and the new cases of a month with
what the profile tables need. Only codes and numbers come back, never identities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from db.models import (
    Activity,
    CaseFile,
    Consent,
    Contact,
    CountsExport,
    Handout,
    ListeningSession,
    Person,
    ProtocolUse,
    RecontactAttempt,
    Referral,
    Situation,
)


def contacts_by_role_and_source(
    session: Session, start: datetime, end: datetime
) -> Sequence[tuple[str, str, int]]:
    return session.execute(
        select(Contact.person_role, Contact.referred_from, func.count())
        .where(Contact.occurred_at >= start, Contact.occurred_at < end)
        .group_by(Contact.person_role, Contact.referred_from)
    ).all()


def sessions_by_type_and_risk(
    session: Session, start: datetime, end: datetime
) -> Sequence[tuple[str, str | None, int]]:
    return session.execute(
        select(ListeningSession.session_type, ListeningSession.risk_level, func.count())
        .where(ListeningSession.held_at >= start, ListeningSession.held_at < end)
        .group_by(ListeningSession.session_type, ListeningSession.risk_level)
    ).all()


def referrals_by_service_and_status(
    session: Session, first: date, end: date
) -> Sequence[tuple[str, str, int]]:
    return session.execute(
        select(Referral.service_type, Referral.status, func.count())
        .where(Referral.referred_on >= first, Referral.referred_on < end)
        .group_by(Referral.service_type, Referral.status)
    ).all()


def handouts_by_material_and_language(
    session: Session, first: date, end: date
) -> Sequence[tuple[str, str, int]]:
    return session.execute(
        select(Handout.material, Handout.language, func.sum(Handout.copies))
        .where(Handout.handed_on >= first, Handout.handed_on < end)
        .group_by(Handout.material, Handout.language)
    ).all()


def activities_by_kind_and_audience(
    session: Session, first: date, end: date
) -> Sequence[tuple[str, str, int, int]]:
    return session.execute(
        select(Activity.kind, Activity.audience, func.count(), func.sum(Activity.participants))
        .where(Activity.held_on >= first, Activity.held_on < end)
        .group_by(Activity.kind, Activity.audience)
    ).all()


def attempts_by_outcome(
    session: Session, start: datetime, end: datetime
) -> Sequence[tuple[str, int]]:
    return session.execute(
        select(RecontactAttempt.outcome, func.count())
        .where(RecontactAttempt.attempted_at >= start, RecontactAttempt.attempted_at < end)
        .group_by(RecontactAttempt.outcome)
    ).all()


def protocol_uses_by_key(
    session: Session, start: datetime, end: datetime
) -> Sequence[tuple[str, int]]:
    """Protocols followed during the month's contacts (the contact's moment counts)."""
    return session.execute(
        select(ProtocolUse.protocol_key, func.count())
        .join(Contact, Contact.id == ProtocolUse.contact_id)
        .where(Contact.occurred_at >= start, Contact.occurred_at < end)
        .group_by(ProtocolUse.protocol_key)
    ).all()


@dataclass(frozen=True)
class NewCase:
    """A case opened in the month, with its first contact and what the profile tables use."""

    case_id: str
    person_id: str | None
    first_contact_at: datetime | None
    role: str | None
    already_counted: str | None
    earlier_case: bool  # the person had a case before this one: not a new victim
    consented: bool  # statistics consent given and not withdrawn
    age: int | None
    sex: str | None
    children_exposed: str | None
    relationship: str | None
    forms: str | None
    core_type: str | None
    last_incident: date | None
    last_incident_precision: str | None


def new_cases(
    session: Session, start: datetime, end: datetime, *, statistics: str, given: str
) -> list[NewCase]:
    """`consented` is a consent of scope `statistics` with decision `given`, not withdrawn:
    the codes come from the caller, which knows the domain's lists."""
    first_contact = (
        select(Contact.id)
        .where(Contact.case_id == CaseFile.id)
        .order_by(Contact.occurred_at, Contact.id)
        .limit(1)
        .correlate(CaseFile)
        .scalar_subquery()
    )
    earlier = aliased(CaseFile)
    consented = exists().where(
        Consent.person_id == CaseFile.person_id,
        Consent.scope == statistics,
        Consent.decision == given,
        Consent.withdrawn_on.is_(None),
    )
    had_earlier_case = exists().where(
        earlier.person_id == CaseFile.person_id,
        earlier.opened_at < CaseFile.opened_at,
    )
    rows = session.execute(
        select(
            CaseFile.id,
            CaseFile.person_id,
            Contact.occurred_at,
            Contact.person_role,
            Contact.already_counted,
            and_(CaseFile.person_id.is_not(None), had_earlier_case),
            and_(CaseFile.person_id.is_not(None), consented),
            Person.age,
            Person.sex,
            Person.children_exposed,
            Situation.relationship,
            Situation.forms,
            func.coalesce(Situation.gbvims_corrected, Situation.gbvims_derived),
            Situation.last_incident,
            Situation.last_incident_precision,
        )
        .select_from(CaseFile)
        .outerjoin(Contact, Contact.id == first_contact)
        .outerjoin(Person, Person.id == CaseFile.person_id)
        .outerjoin(Situation, Situation.case_id == CaseFile.id)
        .where(CaseFile.opened_at >= start, CaseFile.opened_at < end)
    ).all()
    return [
        NewCase(
            case_id=row[0],
            person_id=row[1],
            first_contact_at=row[2],
            role=row[3],
            already_counted=row[4],
            earlier_case=bool(row[5]),
            consented=bool(row[6]),
            age=row[7],
            sex=row[8],
            children_exposed=row[9],
            relationship=row[10],
            forms=row[11],
            core_type=row[12],
            last_incident=row[13],
            last_incident_precision=row[14],
        )
        for row in rows
    ]


def last_revision(session: Session, period: str) -> int:
    """The highest revision this desk exported for `period`, 0 if none."""
    return (
        session.scalar(select(func.max(CountsExport.revision)).where(CountsExport.period == period))
        or 0
    )
