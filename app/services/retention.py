"""Retention and purge (SPEC §5): the admin sets how long each class of record is kept,
previews what a purge takes away, and runs it; one person's identity can also be forgotten
on request. A purge keeps the counts of the months it touches first (app/domain/retention).

Erasure is real: `secure_delete` zeroes the freed pages, the pseudonym index is rebuilt
and the WAL is truncated afterwards, so nothing purged lingers in the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from app.domain import retention as rules
from app.domain.codes import RetentionClass
from app.domain.periods import Month
from app.domain.retention import DueRecords, PurgePlan, RetentionPeriods
from app.domain.roles import Role
from app.errors import ValidationError
from app.i18n import _
from app.services import audit, counts
from app.services.open_desk import OpenDesk
from db import case_queries, repositories, retention_queries

RETENTION_ROLES = (Role.ADMIN,)

_SETTING = {
    RetentionClass.IDENTITY: "retention.identity_months",
    RetentionClass.NOTES: "retention.notes_months",
    RetentionClass.CASE: "retention.case_months",
}


def periods(desk: OpenDesk) -> RetentionPeriods:
    desk.require(RETENTION_ROLES, "retention.view")
    with desk.transaction() as session:
        return _periods(session)


def set_periods(desk: OpenDesk, chosen: RetentionPeriods) -> None:
    desk.require(RETENTION_ROLES, "retention.settings")
    rules.check_periods(chosen)
    with desk.transaction() as session:
        for retention_class, key in _SETTING.items():
            repositories.put_setting(session, key, str(chosen.months(retention_class)))
        audit.record(
            session,
            audit.SETTINGS_CHANGED,
            desk.user.id,
            target_type="setting",
            target_id="retention",
        )


def preview(desk: OpenDesk, today: date | None = None) -> PurgePlan:
    """What a purge run today would take away and keep; changes nothing."""
    desk.require(RETENTION_ROLES, "retention.preview")
    today = today or date.today()
    with desk.transaction() as session:
        held = _inventory(session)
        return _plan(session, today, held, _due(session, today, held))


def records_due(desk: OpenDesk, today: date | None = None) -> int:
    """The check at unlock: how many records are past their period (0 for non-admins)."""
    if not desk.user.has(Role.ADMIN):
        return 0
    return preview(desk, today).records_due


def purge(desk: OpenDesk, today: date | None = None) -> PurgePlan:
    """Run the purge and return what it took away. The counts of the months it touches are
    frozen first, in the same transaction: either all of it happens or none."""
    desk.require(RETENTION_ROLES, "retention.purge")
    today = today or date.today()
    now = datetime.now(UTC)
    with desk.transaction() as session:
        held = _inventory(session)
        due = _due(session, today, held)
        plan = _plan(session, today, held, due)
        for month in plan.months_to_freeze:
            kept = counts.aggregate(session, desk.desk, month, today)
            retention_queries.freeze(
                session,
                str(month),
                (
                    (element, combo, value)
                    for element, cells in kept.values.items()
                    for combo, value in cells.items()
                ),
                now,
            )
        retention_queries.delete_cases(session, due.case_ids, due.person_ids)
        retention_queries.forget_identities(session, due.identity_person_ids)
        retention_queries.erase_notes(session, due.notes_session_ids, RetentionClass.CASE.value)
        retention_queries.rebuild_identity_search(session)
        audit.record(
            session,
            audit.RETENTION_PURGED,
            desk.user.id,
            target_type="records",
            target_id=_summary(plan),
        )
    desk.checkpoint()
    return plan


def forget_identity(desk: OpenDesk, case_code: str) -> str:
    """Forget who the person of a case is (pseudonym, phone, e-mail, code word); the cases and
    their statistics stay. Returns the case code."""
    desk.require(RETENTION_ROLES, "retention.forget_identity")
    code = case_code.strip().upper()
    with desk.transaction() as session:
        case = case_queries.case_by_code(session, code)
        if case is None:
            raise ValidationError(
                _("No case has the code {code}. Check the code on the case page.").format(
                    code=code[:24]
                ),
                field="case_code",
            )
        if case.person_id is None or case.person_id not in (
            retention_queries.persons_with_identity(session)
        ):
            raise ValidationError(
                _("The case {code} holds no identity: there is nothing to forget.").format(
                    code=case.code
                ),
                field="case_code",
            )
        retention_queries.forget_identities(session, [case.person_id])
        retention_queries.rebuild_identity_search(session)
        audit.record(
            session,
            audit.IDENTITY_FORGOTTEN,
            desk.user.id,
            target_type="case",
            target_id=case.id,
        )
        forgotten = case.code
    desk.checkpoint()
    return forgotten


def _periods(session: Session) -> RetentionPeriods:
    def months(retention_class: RetentionClass) -> int:
        value = repositories.setting(session, _SETTING[retention_class])
        return int(value) if value else rules.DEFAULT_PERIODS.months(retention_class)

    return RetentionPeriods(
        identity=months(RetentionClass.IDENTITY),
        notes=months(RetentionClass.NOTES),
        case=months(RetentionClass.CASE),
    )


@dataclass(frozen=True)
class _Inventory:
    cases: list[retention_queries.CaseActivity]
    persons_with_identity: set[str]
    sessions_with_notes: list[tuple[str, str]]


def _inventory(session: Session) -> _Inventory:
    return _Inventory(
        retention_queries.case_activity(session),
        retention_queries.persons_with_identity(session),
        retention_queries.sessions_with_notes(session),
    )


def _due(session: Session, today: date, held: _Inventory) -> DueRecords:
    return rules.due_records(
        today,
        _periods(session),
        ((row.case_id, row.person_id, row.last_day) for row in held.cases),
        held.persons_with_identity,
        held.sessions_with_notes,
    )


def _plan(session: Session, today: date, held: _Inventory, due: DueRecords) -> PurgePlan:
    identities = held.persons_with_identity
    identities_going = due.identity_person_ids | (identities & due.person_ids)
    notes_going = due.notes_session_ids | {
        session_id for session_id, case_id in held.sessions_with_notes if case_id in due.case_ids
    }
    touched = retention_queries.activity_periods(session, due.case_ids)
    frozen = retention_queries.frozen_periods(session)
    return PurgePlan(
        today=today,
        periods=_periods(session),
        identities_due=len(identities_going),
        identities_kept=len(identities) - len(identities_going),
        notes_due=len(notes_going),
        notes_kept=len(held.sessions_with_notes) - len(notes_going),
        cases_due=len(due.case_ids),
        cases_kept=len(held.cases) - len(due.case_ids),
        persons_due=len(due.person_ids),
        months_to_freeze=tuple(sorted(Month.parse(p) for p in touched - frozen)),
    )


def _summary(plan: PurgePlan) -> str:
    # Numbers only: the audit log says how much went, never whose.
    return (
        f"cases={plan.cases_due};persons={plan.persons_due};"
        f"identities={plan.identities_due};notes={plan.notes_due}"
    )
