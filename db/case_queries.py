"""Queries behind intake, the case list and the case page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Row,
    Select,
    cast,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session

from db.models import (
    AuditEvent,
    CaseCounter,
    CaseFile,
    Consent,
    Contact,
    Handout,
    Identity,
    ListeningSession,
    Person,
    Referral,
    Situation,
)

# The FTS5 index of the pseudonyms (migration 0003); not a model, FTS5 owns its tables.
identity_search = table("identity_search", column("rowid"), column("identity_search"))


def next_case_number(session: Session, year: int) -> int:
    """Take the next number of `year`; it is used up even if the case is later purged."""
    counter = session.get(CaseCounter, year)
    if counter is None:
        counter = CaseCounter(year=year, last_number=0)
        session.add(counter)
    counter.last_number += 1
    return counter.last_number


def case_by_id(session: Session, case_id: str) -> CaseFile | None:
    return session.get(CaseFile, case_id)


def case_by_code(session: Session, code: str) -> CaseFile | None:
    return session.scalars(select(CaseFile).where(CaseFile.code == code)).one_or_none()


def contact_by_id(session: Session, contact_id: str) -> Contact | None:
    return session.get(Contact, contact_id)


def identity_of(session: Session, person_id: str) -> Identity | None:
    return session.scalars(select(Identity).where(Identity.person_id == person_id)).first()


def situation_of(session: Session, case_id: str) -> Situation | None:
    return session.get(Situation, case_id)


def consents_of(session: Session, person_id: str) -> Sequence[Consent]:
    return session.scalars(
        select(Consent).where(Consent.person_id == person_id).order_by(Consent.given_on)
    ).all()


def contacts_of(session: Session, case_id: str) -> Sequence[Contact]:
    return session.scalars(select(Contact).where(Contact.case_id == case_id)).all()


def sessions_of(session: Session, case_id: str) -> Sequence[ListeningSession]:
    return session.scalars(
        select(ListeningSession).where(ListeningSession.case_id == case_id)
    ).all()


def referrals_of(session: Session, case_id: str) -> Sequence[Referral]:
    return session.scalars(select(Referral).where(Referral.case_id == case_id)).all()


def handouts_of(session: Session, case_id: str) -> Sequence[Handout]:
    """The material handed out on a case, in the order it was recorded (SQLite's rowid: a
    hand-out keeps only its day)."""
    return session.scalars(
        select(Handout).where(Handout.case_id == case_id).order_by(literal_column("rowid"))
    ).all()


def recorded_times(
    session: Session,
    actions: Sequence[str],
    target_type: str,
    target_id: str,
    start: datetime,
    end: datetime,
) -> list[datetime]:
    """When the audit log recorded `actions` on a target between `start` and `end`, earliest
    first; bounded by time so that the index on the time of events serves it."""
    return list(
        session.scalars(
            select(AuditEvent.occurred_at)
            .where(
                AuditEvent.occurred_at >= start,
                AuditEvent.occurred_at < end,
                AuditEvent.action.in_(actions),
                AuditEvent.target_type == target_type,
                AuditEvent.target_id == target_id,
            )
            .order_by(AuditEvent.occurred_at, AuditEvent.id)
        )
    )


def persons_by_phone(session: Session, pattern: str, limit: int) -> list[str]:
    """At most `limit` persons whose phone is LIKE `pattern` (its digits in order, whatever
    lies between them). Read from every identity of the desk: a few milliseconds for the
    23 000 of the large demo desk, no index to keep in step."""
    query = select(Identity.person_id).where(Identity.phone.like(pattern)).limit(limit)
    return list(session.scalars(query))


def persons_by_email(session: Session, pattern: str, limit: int) -> list[str]:
    """At most `limit` persons whose e-mail is LIKE `pattern` (escaped with a backslash;
    SQLite's LIKE ignores the case of ASCII letters only, so the caller compares the rows
    found again, exactly)."""
    query = select(Identity.person_id).where(Identity.email.like(pattern, escape="\\")).limit(limit)
    return list(session.scalars(query))


def _born_or_living(
    birth_years: tuple[int, int] | None, municipality: str
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if birth_years:
        # The person's row is made when its case opens: the year its age was true.
        recorded_year = cast(func.substr(Person.created_at, 1, 4), Integer)
        conditions.append((recorded_year - Person.age).between(*birth_years))
    if municipality:
        conditions.append(Person.municipality == municipality)
    return conditions


def pseudonym_keys(session: Session, initial: str) -> list[str]:
    """The pseudonyms (without accents and case) starting with `initial`, each once: read
    from their index alone, a few hundred names for the tens of thousands of persons of a
    large desk."""
    # A range rather than LIKE: SQLite's LIKE ignores ASCII case, which keeps it off the
    # index.
    query = (
        select(Identity.pseudonym_key)
        .distinct()
        .where(
            Identity.pseudonym_key >= initial,
            Identity.pseudonym_key < chr(ord(initial) + 1),
        )
    )
    return list(session.scalars(query))


def persons_named(
    session: Session,
    keys: Sequence[str],
    birth_years: tuple[int, int] | None,
    municipality: str,
    limit: int,
) -> list[str]:
    """At most `limit` persons with one of these pseudonym keys, born in `birth_years`
    (first and last, a recorded age taken from the year it was recorded in) or living in
    `municipality`."""
    beside = _born_or_living(birth_years, municipality)
    if not keys or not beside:
        return []
    query = (
        select(Identity.person_id)
        .join(Person, Person.id == Identity.person_id)
        .where(Identity.pseudonym_key.in_(keys), or_(*beside))
        .limit(limit)
    )
    return list(session.scalars(query))


def duplicate_rows(session: Session, person_ids: Sequence[str]) -> Sequence[Row[Any]]:
    """The cases of these persons, with what is compared and shown of them. By the index of
    a person's cases: joined to the search in one query, SQLite walked the 200 000 cases of
    a large desk by date instead. Plain columns, not model objects: building those took
    most of the time of a keystroke."""
    if not person_ids:
        return []
    query = (
        select(
            CaseFile.id,
            CaseFile.code,
            CaseFile.status,
            CaseFile.opened_at,
            Identity.pseudonym,
            Identity.phone,
            Identity.email,
            Person.age,
            Person.municipality,
        )
        .join(Person, Person.id == CaseFile.person_id)
        .join(Identity, Identity.person_id == Person.id)
        .where(CaseFile.person_id.in_(person_ids))
    )
    return list(session.execute(query))


def last_contacts(session: Session, case_ids: Sequence[str]) -> dict[str, datetime]:
    """The latest contact of each case that has one."""
    query = (
        select(Contact.case_id, func.max(Contact.occurred_at))
        .where(Contact.case_id.in_(case_ids))
        .group_by(Contact.case_id)
    )
    return {case_id: at for case_id, at in session.execute(query)}


def case_ids(
    session: Session,
    *,
    code_part: str | None,
    name_query: str | None,
    status: str | None,
    opened_from: datetime | None,
    opened_before: datetime | None,
) -> list[str]:
    """Ids of the matching cases, newest first: cheap enough to fetch all of them at once
    (read from a covering index), the rows themselves are fetched page by page
    (`case_rows`). `name_query` is an FTS5 query on the pseudonyms (db/fulltext.py)."""
    query: Select[str] = select(CaseFile.id)
    if name_query:
        named = (
            select(Identity.person_id)
            .join(identity_search, identity_search.c.rowid == Identity.id)
            .where(identity_search.c.identity_search.match(name_query))
        )
        query = query.where(CaseFile.person_id.in_(named))
    if code_part:
        query = query.where(CaseFile.code.contains(code_part, autoescape=True))
    if status:
        query = query.where(CaseFile.status == status)
    if opened_from:
        query = query.where(CaseFile.opened_at >= opened_from)
    if opened_before:
        query = query.where(CaseFile.opened_at < opened_before)
    ordered = query.order_by(CaseFile.opened_at.desc(), CaseFile.code.desc()).subquery()
    # One string split in Python rather than 200 000 rows: building that many row objects
    # woke the garbage collector over and over (230 ms against 65 ms on the large desk).
    # An aggregate over an ordered subquery keeps its order: SQLite does not flatten a
    # subquery with ORDER BY into an aggregate query.
    joined = session.execute(select(func.group_concat(ordered.c.id, ","))).scalar()
    return joined.split(",") if joined else []


def case_rows(
    session: Session, ids: Sequence[str]
) -> list[tuple[CaseFile, Person | None, Identity | None, int, int]]:
    contacts = (
        select(Contact.case_id, func.count().label("n"))
        .where(Contact.case_id.in_(ids))
        .group_by(Contact.case_id)
        .subquery()
    )
    sessions = (
        select(ListeningSession.case_id, func.count().label("n"))
        .where(ListeningSession.case_id.in_(ids))
        .group_by(ListeningSession.case_id)
        .subquery()
    )
    query = (
        select(
            CaseFile,
            Person,
            Identity,
            func.coalesce(contacts.c.n, 0),
            func.coalesce(sessions.c.n, 0),
        )
        .outerjoin(Person, Person.id == CaseFile.person_id)
        .outerjoin(Identity, Identity.person_id == CaseFile.person_id)
        .outerjoin(contacts, contacts.c.case_id == CaseFile.id)
        .outerjoin(sessions, sessions.c.case_id == CaseFile.id)
        .where(CaseFile.id.in_(ids))
    )
    return [(c, p, i, int(nc), int(ns)) for c, p, i, nc, ns in session.execute(query)]


def session_by_id(session: Session, session_id: str) -> ListeningSession | None:
    return session.get(ListeningSession, session_id)


def referral_by_id(session: Session, referral_id: str) -> Referral | None:
    return session.get(Referral, referral_id)


def consent_by_id(session: Session, consent_id: str) -> Consent | None:
    return session.get(Consent, consent_id)
