"""Reading the recontact items and appointments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Row, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from db.models import (
    Appointment,
    CaseFile,
    Consent,
    Identity,
    ListeningSession,
    Person,
    RecontactAttempt,
    RecontactItem,
)


@dataclass(frozen=True)
class CallBackRule:
    """Who may be called back, in the codes of the domain's lists (app/domain/codes.py),
    which the service hands down: the db layer does not import the app."""

    channels: Sequence[str]  # the channels a call-back can use
    agreed: str  # Person.may_recontact of someone who agreed
    scope: str  # Consent.scope of the recontact consent
    given: str  # the Consent.decision that allows it
    open_item: str  # RecontactItem.status of a call-back still owed


def _may_be_called(rule: CallBackRule) -> ColumnElement[bool]:
    """The person agreed to be recontacted, through a channel a call-back can use, and no
    recontact consent of theirs is refused or withdrawn: the one rule for the worklist and
    for logging an attempt."""
    vetoed = exists().where(
        Consent.person_id == Person.id,
        Consent.scope == rule.scope,
        or_(Consent.decision != rule.given, Consent.withdrawn_on.is_not(None)),
    )
    return and_(
        Person.may_recontact == rule.agreed,
        Person.recontact_channel.in_(rule.channels),
        ~vetoed,
    )


def person_to_call(session: Session, item_id: str, rule: CallBackRule) -> Person | None:
    """The person of the item, if they may still be called back."""
    return session.scalar(
        select(Person)
        .join(CaseFile, CaseFile.person_id == Person.id)
        .join(RecontactItem, RecontactItem.case_id == CaseFile.id)
        .where(RecontactItem.id == item_id, _may_be_called(rule))
    )


def due_items(
    session: Session,
    today: date,
    rule: CallBackRule,
    failed_outcomes: Sequence[str],
) -> list[Row]:  # type: ignore[type-arg]
    """Open items due by `today` of persons who may be recontacted, through a channel a
    call-back can use, with no refused or withdrawn consent: (item, case code, person,
    identity or None, attempts, failed attempts). Safe windows are the caller's to check."""
    attempts = (
        select(
            RecontactAttempt.item_id.label("item_id"),
            func.count().label("all"),
            func.sum(RecontactAttempt.outcome.in_(failed_outcomes)).label("failed"),
        )
        .group_by(RecontactAttempt.item_id)
        .subquery()
    )
    query = (
        select(
            RecontactItem,
            CaseFile.code,
            Person,
            Identity,
            func.coalesce(attempts.c.all, 0),
            func.coalesce(attempts.c.failed, 0),
        )
        .join(CaseFile, CaseFile.id == RecontactItem.case_id)
        .join(Person, Person.id == CaseFile.person_id)
        .outerjoin(Identity, Identity.person_id == Person.id)
        .outerjoin(attempts, attempts.c.item_id == RecontactItem.id)
        .where(
            RecontactItem.status == rule.open_item,
            RecontactItem.due_on <= today,
            _may_be_called(rule),
        )
        .order_by(RecontactItem.due_on, CaseFile.code)
    )
    return list(session.execute(query).all())


def failed_attempts(session: Session, item_id: str, failed_outcomes: Sequence[str]) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                RecontactAttempt.item_id == item_id,
                RecontactAttempt.outcome.in_(failed_outcomes),
            )
        )
        or 0
    )


def attempts_of(session: Session, item_id: str) -> list[RecontactAttempt]:
    return list(
        session.scalars(
            select(RecontactAttempt)
            .where(RecontactAttempt.item_id == item_id)
            .order_by(RecontactAttempt.attempted_at)
        )
    )


def attempts_of_case(session: Session, case_id: str) -> list[RecontactAttempt]:
    return list(
        session.scalars(
            select(RecontactAttempt)
            .join(RecontactItem, RecontactItem.id == RecontactAttempt.item_id)
            .where(RecontactItem.case_id == case_id)
        )
    )


def items_of_case(session: Session, case_id: str) -> list[RecontactItem]:
    return list(
        session.scalars(
            select(RecontactItem)
            .where(RecontactItem.case_id == case_id)
            .order_by(RecontactItem.received_on)
        )
    )


def appointments_between(
    session: Session, start: datetime, end: datetime, planned: str
) -> list[Row]:  # type: ignore[type-arg]
    """(appointment, case code) of status `planned` from `start` to before `end`, in time
    order."""
    return list(
        session.execute(
            select(Appointment, CaseFile.code)
            .join(CaseFile, CaseFile.id == Appointment.case_id)
            .where(
                Appointment.status == planned,
                and_(Appointment.starts_at >= start, Appointment.starts_at < end),
            )
            .order_by(Appointment.starts_at)
        ).all()
    )


def sessions_planned_between(session: Session, start: datetime, end: datetime) -> list[Row]:  # type: ignore[type-arg]
    """(next appointment, case id, case code) that sessions planned in the window."""
    return list(
        session.execute(
            select(ListeningSession.next_appointment, CaseFile.id, CaseFile.code)
            .join(CaseFile, CaseFile.id == ListeningSession.case_id)
            .where(
                ListeningSession.next_appointment >= start,
                ListeningSession.next_appointment < end,
            )
            .order_by(ListeningSession.next_appointment)
        ).all()
    )
