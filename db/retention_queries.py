"""The reads and deletions of a retention purge, and the frozen counts of past months.

What is due is decided in SQL from the few cases still active since a cut-off (index range
scans over the dates), never by reading every case: a ten-year desk has hundreds of
thousands. A case is due when neither it nor, for a person, any of the person's cases had
activity (opening, contact, session, referral, call-back attempt, appointment) on or after
the cut-off.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Column,
    ColumnElement,
    MetaData,
    Select,
    String,
    Table,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    union,
    union_all,
    update,
)
from sqlalchemy.orm import Session, aliased

from db.models import (
    Appointment,
    CaseFile,
    Consent,
    Contact,
    FrozenCount,
    FrozenMonth,
    Handout,
    Identity,
    ListeningSession,
    Person,
    ProtocolUse,
    RecontactAttempt,
    RecontactItem,
    Referral,
    Situation,
)

# Days are counted in Brussels whatever the PC's time zone (the rule of app.clock, which
# this layer cannot import).
_BRUSSELS = ZoneInfo("Europe/Brussels")


def _moment(day: date) -> datetime:
    """Brussels midnight of `day`, aware: how the stored UTC moments are compared with it."""
    return datetime.combine(day, time(), tzinfo=_BRUSSELS)


def _active_cases(cut: date) -> Select[str]:
    # Its own alias of case_file: the subquery must not correlate with an outer case_file.
    opened = aliased(CaseFile)
    moment = _moment(cut)
    # UNION ALL: each part reads its date index; a UNION would merge them in id order,
    # scanning every contact and session of the desk.
    return union_all(
        select(opened.id).where(opened.opened_at >= moment),
        select(Contact.case_id).where(Contact.occurred_at >= moment),
        select(ListeningSession.case_id).where(ListeningSession.held_at >= moment),
        select(Referral.case_id).where(Referral.referred_on >= cut),
        _attempted_since(moment),
        select(Appointment.case_id).where(Appointment.starts_at >= moment),
    )  # type: ignore[return-value]


def _attempted_since(moment: datetime) -> Select[str]:
    return (
        select(RecontactItem.case_id)
        .join(RecontactAttempt, RecontactAttempt.item_id == RecontactItem.id)
        .where(RecontactAttempt.attempted_at >= moment)
    )


def _active_persons(cut: date) -> Select[str | None]:
    case = aliased(CaseFile)
    return select(case.person_id).where(
        case.person_id.is_not(None), case.id.in_(_active_cases(cut))
    )


def case_due(cut: date) -> ColumnElement[bool]:
    """A case none of whose person's cases (or, anonymous, itself) was active since `cut`."""
    return or_(
        and_(CaseFile.person_id.is_(None), CaseFile.id.not_in(_active_cases(cut))),
        and_(CaseFile.person_id.is_not(None), CaseFile.person_id.not_in(_active_persons(cut))),
    )


_TEMPORARY = MetaData()
_ACTIVE_CASE = Table(
    "active_case", _TEMPORARY, Column("id", String, primary_key=True), prefixes=["TEMPORARY"]
)
DUE_CASE = Table(
    "due_case", _TEMPORARY, Column("id", String, primary_key=True), prefixes=["TEMPORARY"]
)
DUE_PERSON = Table(
    "due_person", _TEMPORARY, Column("id", String, primary_key=True), prefixes=["TEMPORARY"]
)


@contextmanager
def due_cases(session: Session, cut: date) -> Iterator[None]:
    """Fill the temporary tables `due_case` and `due_person` (in memory: temp_store=MEMORY)
    for the time of the block: the cases due at `cut` and their persons, each decided once."""
    connection = session.connection()
    tables = (_ACTIVE_CASE, DUE_CASE, DUE_PERSON)
    for table in tables:
        table.create(connection)
    try:
        session.execute(
            insert(_ACTIVE_CASE).prefix_with("OR IGNORE").from_select(["id"], _active_cases(cut))
        )
        active = select(_ACTIVE_CASE.c.id)
        active_person = aliased(CaseFile)
        active_persons = select(active_person.person_id).where(
            active_person.person_id.is_not(None), active_person.id.in_(active)
        )
        due = select(CaseFile.id).where(
            or_(
                and_(CaseFile.person_id.is_(None), CaseFile.id.not_in(active)),
                and_(CaseFile.person_id.is_not(None), CaseFile.person_id.not_in(active_persons)),
            )
        )
        session.execute(insert(DUE_CASE).from_select(["id"], due))
        persons = (
            select(CaseFile.person_id)
            .distinct()
            .where(CaseFile.person_id.is_not(None), CaseFile.id.in_(select(DUE_CASE.c.id)))
        )
        session.execute(insert(DUE_PERSON).from_select(["id"], persons))
        yield
    finally:
        for table in tables:
            table.drop(connection)


def count_due_cases(session: Session) -> tuple[int, int, int]:
    """(due cases, their persons, all cases), inside `due_cases`."""
    due = session.scalar(select(func.count()).select_from(DUE_CASE))
    persons = session.scalar(select(func.count()).select_from(DUE_PERSON))
    total = session.scalar(select(func.count()).select_from(CaseFile))
    return int(due or 0), int(persons or 0), int(total or 0)


def periods_of_due_cases(session: Session, cut: date) -> set[str]:
    """The months ("YYYY-MM", local time) the due cases were opened in or had activity in,
    inside `due_cases`. All of it is before `cut`: bounded so, each part reads its (date,
    case) index alone."""
    due = select(DUE_CASE.c.id)
    moment = _moment(cut)

    # SQLite's "localtime" is the PC's zone: read the UTC hours and place them in Brussels.
    def utc_hour(column: object) -> ColumnElement[str]:
        return func.strftime("%Y-%m-%d %H:00:00", column)

    queries = [
        select(utc_hour(CaseFile.opened_at)).where(
            CaseFile.opened_at < moment, CaseFile.id.in_(due)
        ),
        select(utc_hour(Contact.occurred_at)).where(
            Contact.occurred_at < moment, Contact.case_id.in_(due)
        ),
        select(utc_hour(ListeningSession.held_at)).where(
            ListeningSession.held_at < moment, ListeningSession.case_id.in_(due)
        ),
        select(func.strftime("%Y-%m", Referral.referred_on)).where(
            Referral.referred_on < cut, Referral.case_id.in_(due)
        ),
        select(utc_hour(RecontactAttempt.attempted_at))
        .join(RecontactItem, RecontactItem.id == RecontactAttempt.item_id)
        .where(RecontactAttempt.attempted_at < moment, RecontactItem.case_id.in_(due)),
    ]
    months: set[str] = set()
    for value in session.scalars(union(*queries)):
        if len(value) == 7:  # a referral's day, already a month
            months.add(value)
        else:
            moment = datetime.fromisoformat(value).replace(tzinfo=UTC).astimezone(_BRUSSELS)
            months.add(moment.strftime("%Y-%m"))
    return months


def _identity_due(cut: date) -> ColumnElement[bool]:
    return Identity.person_id.not_in(_active_persons(cut))


def count_identities(session: Session, cut: date) -> tuple[int, int]:
    """(due, all) identities: a person not seen since `cut` is forgotten."""
    due = session.scalar(select(func.count()).select_from(Identity).where(_identity_due(cut)))
    total = session.scalar(select(func.count()).select_from(Identity))
    return int(due or 0), int(total or 0)


def _notes_due(cut: date) -> ColumnElement[bool]:
    return and_(
        ListeningSession.sealed_notes.is_not(None),
        ListeningSession.case_id.not_in(_active_cases(cut)),
    )


def count_notes(session: Session, cut: date) -> tuple[int, int]:
    """(due, all) sessions with notes: the notes of a case not active since `cut` go."""
    with_notes = select(func.count()).select_from(ListeningSession)
    due = session.scalar(with_notes.where(_notes_due(cut)))
    total = session.scalar(with_notes.where(ListeningSession.sealed_notes.is_not(None)))
    return int(due or 0), int(total or 0)


def _contact_notes_due(cut: date) -> ColumnElement[bool]:
    """A contact's note goes with the identity: when the person (or, anonymous, the case)
    has not been seen since the identity's cut-off."""
    return and_(Contact.note.is_not(None), Contact.case_id.in_(_cases_due(cut)))


def count_contact_notes(session: Session, cut: date) -> tuple[int, int]:
    """(due, all) notes on contacts."""
    with_notes = select(func.count()).select_from(Contact)
    due = session.scalar(with_notes.where(_contact_notes_due(cut)))
    total = session.scalar(with_notes.where(Contact.note.is_not(None)))
    return int(due or 0), int(total or 0)


def anything_due(session: Session, case_cut: date, identity_cut: date, notes_cut: date) -> bool:
    """Whether a purge today would take anything: the first due record found is enough."""
    for query in (
        select(Identity.id).where(_identity_due(identity_cut)),
        select(Contact.id).where(_contact_notes_due(identity_cut)),
        select(ListeningSession.id).where(_notes_due(notes_cut)),
        select(CaseFile.id).where(case_due(case_cut)),
    ):
        if session.scalar(query.limit(1)) is not None:
            return True
    return False


def purge(session: Session, identity_cut: date, notes_cut: date, case_class: str) -> None:
    """Inside `due_cases`: delete the due cases with everything recorded on them and their
    persons, then forget the due identities and erase the due notes (the session becomes
    `case_class`). Printed material handed out on a case stays, at desk level: it is
    counted, and says nothing of anyone."""
    cases, persons = select(DUE_CASE.c.id), select(DUE_PERSON.c.id)
    session.execute(update(Handout).where(Handout.case_id.in_(cases)).values(case_id=None))
    items = select(RecontactItem.id).where(RecontactItem.case_id.in_(cases))
    session.execute(delete(RecontactAttempt).where(RecontactAttempt.item_id.in_(items)))
    contacts = select(Contact.id).where(Contact.case_id.in_(cases))
    session.execute(delete(ProtocolUse).where(ProtocolUse.contact_id.in_(contacts)))
    for model in (RecontactItem, Appointment, Referral, ListeningSession, Contact, Situation):
        session.execute(delete(model).where(model.case_id.in_(cases)))
    session.execute(delete(CaseFile).where(CaseFile.id.in_(cases)))
    for child in (Identity, Consent):
        session.execute(delete(child).where(child.person_id.in_(persons)))
    session.execute(delete(Person).where(Person.id.in_(persons)))
    session.execute(delete(Identity).where(_identity_due(identity_cut)))
    # A contact's note goes with the identity: when the person (or, anonymous, the case)
    # has not been seen since the identity's cut-off.
    session.execute(update(Contact).where(_contact_notes_due(identity_cut)).values(note=None))
    session.execute(
        update(ListeningSession)
        .where(_notes_due(notes_cut))
        .values(sealed_notes=None, retention_class=case_class)
    )


def _cases_due(cut: date) -> Select[str]:
    return select(CaseFile.id).where(case_due(cut))


def _cases_of(person_id: str) -> Select[str]:
    return select(CaseFile.id).where(CaseFile.person_id == person_id)


def identity_person(session: Session, case_code: str) -> tuple[str, str | None, bool] | None:
    """(case id, person id, whether the person has an identity or a note on a contact) of
    the case `case_code`."""
    row = session.execute(
        select(CaseFile.id, CaseFile.person_id, Identity.id.is_not(None))
        .outerjoin(Identity, Identity.person_id == CaseFile.person_id)
        .where(CaseFile.code == case_code)
    ).one_or_none()
    if row is None:
        return None
    case_id, person_id, has_identity = row[0], row[1], bool(row[2])
    if person_id is not None and not has_identity:
        has_identity = (
            session.scalar(
                select(Contact.id)
                .where(Contact.note.is_not(None), Contact.case_id.in_(_cases_of(person_id)))
                .limit(1)
            )
            is not None
        )
    return case_id, person_id, has_identity


def forget_identity(session: Session, person_id: str) -> None:
    """The person's identity and the notes on the contacts of their cases. Their cases
    change version: an edit begun before (a case page left open, its draft) is refused
    instead of writing the identity back."""
    session.execute(delete(Identity).where(Identity.person_id == person_id))
    session.execute(
        update(Contact)
        .where(Contact.note.is_not(None), Contact.case_id.in_(_cases_of(person_id)))
        .values(note=None)
    )
    session.execute(
        update(CaseFile).where(CaseFile.person_id == person_id).values(version=CaseFile.version + 1)
    )


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
