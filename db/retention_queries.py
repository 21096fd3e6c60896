"""The reads and deletions of a retention purge, and the frozen counts of past months."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from db.models import (
    CaseFile,
    Consent,
    Contact,
    FrozenCount,
    FrozenMonth,
    Handout,
    Identity,
    ListeningSession,
    Person,
    Referral,
    Situation,
)


@dataclass(frozen=True)
class CaseActivity:
    case_id: str
    person_id: str | None
    last_day: date  # the local day of its latest opening, contact, session or referral


def case_activity(session: Session) -> list[CaseActivity]:
    latest: dict[str, date] = {}

    def later(case_id: str, day: date) -> None:
        if day > latest.get(case_id, date.min):
            latest[case_id] = day

    for model, column in (
        (Contact, Contact.occurred_at),
        (ListeningSession, ListeningSession.held_at),
    ):
        for case_id, at in session.execute(
            select(model.case_id, func.max(column)).group_by(model.case_id)
        ):
            later(case_id, _local_day(at))
    for case_id, day in session.execute(
        select(Referral.case_id, func.max(Referral.referred_on)).group_by(Referral.case_id)
    ):
        later(case_id, day)
    cases = session.execute(select(CaseFile.id, CaseFile.person_id, CaseFile.opened_at)).all()
    for case_id, _person, opened_at in cases:
        later(case_id, _local_day(opened_at))
    return [CaseActivity(case_id, person_id, latest[case_id]) for case_id, person_id, _ in cases]


def _local_day(at: datetime) -> date:
    return at.astimezone().date()


def persons_with_identity(session: Session) -> set[str]:
    return set(session.scalars(select(Identity.person_id)))


def sessions_with_notes(session: Session) -> list[tuple[str, str]]:
    """(session id, case id) of every session that still has notes."""
    rows = session.execute(
        select(ListeningSession.id, ListeningSession.case_id).where(
            ListeningSession.sealed_notes.is_not(None)
        )
    )
    return [(session_id, case_id) for session_id, case_id in rows]


def activity_periods(session: Session, case_ids: Collection[str]) -> set[str]:
    """The months ("YYYY-MM", local time) in which the cases were opened or had activity."""
    if not case_ids:
        return set()
    days: set[date] = set()
    for chunk in _chunks(list(case_ids)):
        for moment, key in (
            (CaseFile.opened_at, CaseFile.id),
            (Contact.occurred_at, Contact.case_id),
            (ListeningSession.held_at, ListeningSession.case_id),
        ):
            found = session.scalars(select(moment).where(key.in_(chunk)))
            days.update(_local_day(at) for at in found)
        referred = select(Referral.referred_on).where(Referral.case_id.in_(chunk))
        days.update(session.scalars(referred))
    return {f"{day.year:04d}-{day.month:02d}" for day in days}


def forget_identities(session: Session, person_ids: Collection[str]) -> None:
    for chunk in _chunks(list(person_ids)):
        session.execute(delete(Identity).where(Identity.person_id.in_(chunk)))


def erase_notes(session: Session, session_ids: Collection[str], retention_class: str) -> None:
    for chunk in _chunks(list(session_ids)):
        session.execute(
            update(ListeningSession)
            .where(ListeningSession.id.in_(chunk))
            .values(sealed_notes=None, retention_class=retention_class)
        )


def delete_cases(session: Session, case_ids: Collection[str], person_ids: Collection[str]) -> None:
    """Delete the cases with everything recorded on them, then the persons; printed material
    handed out on a case stays, at desk level (it is counted, and says nothing of anyone)."""
    for chunk in _chunks(list(case_ids)):
        session.execute(update(Handout).where(Handout.case_id.in_(chunk)).values(case_id=None))
        for model in (Referral, ListeningSession, Contact, Situation):
            session.execute(delete(model).where(model.case_id.in_(chunk)))
        session.execute(delete(CaseFile).where(CaseFile.id.in_(chunk)))
    for chunk in _chunks(list(person_ids)):
        session.execute(delete(Identity).where(Identity.person_id.in_(chunk)))
        session.execute(delete(Consent).where(Consent.person_id.in_(chunk)))
        session.execute(delete(Person).where(Person.id.in_(chunk)))


def rebuild_identity_search(session: Session) -> None:
    """Rewrite the pseudonym index from the identities left, so that no token of a forgotten
    name stays in the index's pages (secure_delete then zeroes the freed ones)."""
    session.execute(text("INSERT INTO identity_search(identity_search) VALUES ('rebuild')"))


def frozen_periods(session: Session) -> set[str]:
    return set(session.scalars(select(FrozenMonth.period)))


def freeze(
    session: Session, period: str, cells: Iterable[tuple[str, str, int]], at: datetime
) -> None:
    session.add(FrozenMonth(period=period, frozen_at=at))
    session.flush()
    session.add_all(
        FrozenCount(period=period, element=element, combo=combo, value=value)
        for element, combo, value in cells
        if value
    )


def frozen_cells(session: Session, period: str) -> list[tuple[str, str, int]] | None:
    """The kept numbers of a frozen month, or None when the month is not frozen."""
    if session.get(FrozenMonth, period) is None:
        return None
    rows = session.execute(
        select(FrozenCount.element, FrozenCount.combo, FrozenCount.value).where(
            FrozenCount.period == period
        )
    )
    return [(element, combo, value) for element, combo, value in rows]


def _chunks(ids: list[str], size: int = 500) -> list[list[str]]:
    # SQLite limits the number of bound parameters in one statement.
    return [ids[i : i + size] for i in range(0, len(ids), size)]
