"""Retention and purge (docs/security-model.md): the admin sets how long each class of
record is kept, previews what a purge takes away, and runs it; one person's identity can
also be forgotten on request. A purge keeps the counts of the months it touches first
(app/domain/retention).

Erasure is real: `secure_delete` zeroes the freed pages, the pseudonym index is rebuilt
and the WAL is truncated afterwards, so nothing purged lingers in the files.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app import clock
from app.domain import retention as rules
from app.domain.codes import RetentionClass
from app.domain.periods import Month
from app.domain.retention import PurgePlan, RetentionPeriods
from app.domain.roles import Role
from app.errors import ValidationError
from app.i18n import _
from app.progress import Progress
from app.services import audit, counts
from app.services.open_desk import OpenDesk
from db import repositories, retention_queries

RETENTION_ROLES = (Role.ADMIN,)

_SETTING = {
    RetentionClass.IDENTITY: "retention.identity_months",
    RetentionClass.NOTES: "retention.notes_months",
    RetentionClass.CASE: "retention.case_months",
}


def periods(desk: OpenDesk) -> RetentionPeriods:
    with desk.guarded(RETENTION_ROLES, "retention.view") as session:
        return _periods(session)


def set_periods(desk: OpenDesk, chosen: RetentionPeriods) -> None:
    with desk.guarded(RETENTION_ROLES, "retention.settings") as session:
        rules.check_periods(chosen)
        for retention_class, key in _SETTING.items():
            repositories.put_setting(session, key, str(chosen.months(retention_class)))
        audit.record(
            session,
            audit.SETTINGS_CHANGED,
            desk.user.id,
            target_type="setting",
            target_id="retention",
        )


def preview(
    desk: OpenDesk, today: date | None = None, progress: Progress | None = None
) -> PurgePlan:
    """What a purge run today would take away and keep; changes nothing (so it can be
    cancelled at any point)."""
    with desk.guarded(RETENTION_ROLES, "retention.preview") as session:
        today = today or clock.today()
        progress = progress or Progress()
        progress.phase(_("Working out what the purge takes away…"), cancellable=True)
        periods = _periods(session)
        with retention_queries.due_cases(session, rules.cutoff(today, periods.case)):
            return _plan(session, today, periods, progress)


def purge_due(desk: OpenDesk, today: date | None = None) -> bool:
    """The check at an admin's unlock: is any record past its period? (False for others.)"""
    if not desk.user.has(Role.ADMIN):
        return False
    today = today or clock.today()
    with desk.transaction() as session:
        periods = _periods(session)
        return retention_queries.anything_due(
            session,
            rules.cutoff(today, periods.case),
            rules.cutoff(today, periods.identity),
            rules.cutoff(today, periods.notes),
        )


def purge(desk: OpenDesk, today: date | None = None, progress: Progress | None = None) -> PurgePlan:
    """Run the purge and return what it took away. The counts of the months it touches are
    frozen first, in the same transaction: either all of it happens or none. Until the
    erasing starts, a cancel rolls everything back."""
    with desk.guarded(RETENTION_ROLES, "retention.purge") as session:
        today = today or clock.today()
        now = clock.now()
        progress = progress or Progress()
        progress.phase(_("Working out what the purge takes away…"), cancellable=True)
        periods = _periods(session)
        with retention_queries.due_cases(session, rules.cutoff(today, periods.case)):
            plan = _plan(session, today, periods, progress)
            frozen = len(plan.months_to_freeze)
            progress.phase(_("Keeping the counts of past months…"), cancellable=True, total=frozen)
            for done, month in enumerate(plan.months_to_freeze, start=1):
                progress.raise_if_cancelled()
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
                progress.step(done, frozen)
            progress.phase(_("Erasing the records past their period…"))
            retention_queries.purge(
                session,
                plan.cutoff(RetentionClass.IDENTITY),
                plan.cutoff(RetentionClass.NOTES),
                RetentionClass.CASE.value,
            )
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
    """Forget who the person of a case is (pseudonym, phone, e-mail, code word, the notes on
    its contacts); the cases and their statistics stay. Returns the case code."""
    with desk.guarded(RETENTION_ROLES, "retention.forget_identity") as session:
        code = case_code.strip().upper()
        found = retention_queries.identity_person(session, code)
        if found is None:
            raise ValidationError(
                _("No case has the code {code}. Check the code on the case page.").format(
                    code=code[:24]
                ),
                field="case_code",
            )
        case_id, person_id, has_identity = found
        if person_id is None or not has_identity:
            raise ValidationError(
                _("The case {code} holds no identity: there is nothing to forget.").format(
                    code=code
                ),
                field="case_code",
            )
        retention_queries.forget_identity(session, person_id)
        retention_queries.rebuild_identity_search(session)
        audit.record(
            session,
            audit.IDENTITY_FORGOTTEN,
            desk.user.id,
            target_type="case",
            target_id=case_id,
        )
    desk.checkpoint()
    return code


def _periods(session: Session) -> RetentionPeriods:
    def months(retention_class: RetentionClass) -> int:
        value = repositories.setting(session, _SETTING[retention_class])
        return int(value) if value else rules.DEFAULT_PERIODS.months(retention_class)

    return RetentionPeriods(
        identity=months(RetentionClass.IDENTITY),
        notes=months(RetentionClass.NOTES),
        case=months(RetentionClass.CASE),
    )


def _plan(
    session: Session, today: date, periods: RetentionPeriods, progress: Progress
) -> PurgePlan:
    """Inside `retention_queries.due_cases` for the case period's cut-off."""

    def cut(retention_class: RetentionClass) -> date:
        return rules.cutoff(today, periods.months(retention_class))

    def counted(done: int) -> None:
        progress.step(done, 5)
        progress.raise_if_cancelled()

    counted(0)
    cases_due, persons_due, cases = retention_queries.count_due_cases(session)
    counted(1)
    identities_due, identities = retention_queries.count_identities(
        session, cut(RetentionClass.IDENTITY)
    )
    counted(2)
    notes_due, notes = retention_queries.count_notes(session, cut(RetentionClass.NOTES))
    counted(3)
    contact_notes_due, contact_notes = retention_queries.count_contact_notes(
        session, cut(RetentionClass.IDENTITY)
    )
    touched = (
        retention_queries.periods_of_due_cases(session, cut(RetentionClass.CASE))
        if cases_due
        else set()
    )
    counted(4)
    frozen = retention_queries.frozen_periods(session)
    counted(5)
    return PurgePlan(
        today=today,
        periods=periods,
        identities_due=identities_due,
        identities_kept=identities - identities_due,
        notes_due=notes_due,
        notes_kept=notes - notes_due,
        cases_due=cases_due,
        cases_kept=cases - cases_due,
        persons_due=persons_due,
        months_to_freeze=tuple(sorted(Month.parse(p) for p in touched - frozen)),
        contact_notes_due=contact_notes_due,
        contact_notes_kept=contact_notes - contact_notes_due,
    )


def _summary(plan: PurgePlan) -> str:
    # Numbers only: the audit log says how much went, never whose.
    return (
        f"cases={plan.cases_due};persons={plan.persons_due};"
        f"identities={plan.identities_due};notes={plan.notes_due};"
        f"contact_notes={plan.contact_notes_due}"
    )
