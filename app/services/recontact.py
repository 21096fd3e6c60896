"""The recontact worklist: call-backs owed to people the police referred or
the desk promised to call, shown only when calling is safe, and every attempt logged.

Viewing the list shows names and numbers of people at risk: each view is audited, as is
each attempt."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from app import clock
from app.domain import recontact, safe_hours
from app.domain.cases import SavedIntake
from app.domain.codes import (
    AttemptOutcome,
    ConsentDecision,
    ConsentFrom,
    ConsentScope,
    ContactMode,
    NextStep,
    PersonRole,
    RecontactChannel,
    RecontactClosed,
    RecontactSource,
    RecontactStatus,
    ReferredFrom,
    RetentionClass,
    SafeTime,
    YesNoUnknown,
    split_codes,
)
from app.domain.intake import (
    ConsentForm,
    ContactForm,
    IdentityForm,
    IntakeForm,
    PersonForm,
    validate_intake,
)
from app.domain.recontact import (
    AttemptDecision,
    AttemptForm,
    AttemptRow,
    PoliceReferralForm,
    Worklist,
    WorklistRow,
)
from app.errors import RecordNotFound, ValidationError
from app.i18n import _
from app.services import audit, case_records, desk_settings
from app.services.intake import CASE_ROLES, save_intake
from app.services.open_desk import OpenDesk
from db import recontact_queries
from db.models import CaseFile, Person, RecontactAttempt, RecontactItem

OPEN = RecontactStatus.OPEN
CLOSED = RecontactStatus.CLOSED
_CALLABLE = recontact_queries.CallBackRule(
    channels=tuple(channel.value for channel in recontact.CALLABLE_CHANNELS),
    agreed=YesNoUnknown.YES,
    scope=ConsentScope.RECONTACT,
    given=ConsentDecision.GIVEN,
    open_item=OPEN,
)
_FAILED = tuple(outcome.value for outcome in AttemptOutcome if outcome.failed)


@dataclass(frozen=True)
class RecontactItemView:
    """A call-back of a case, for the case page."""

    id: str
    source: RecontactSource
    police_zone: str
    received_on: date
    due_on: date
    open: bool
    closed_reason: RecontactClosed | None
    attempts: tuple[AttemptRow, ...]


def worklist(desk: OpenDesk, now: datetime | None = None) -> Worklist:
    """Who is due for a call-back and may be called now; audited."""
    with desk.guarded(CASE_ROLES, "recontact.list") as session:
        moment = now or clock.local_now()
        max_attempts = desk_settings.recontact_max_attempts_in(session)
        found = recontact_queries.due_items(session, moment.date(), _CALLABLE, _FAILED)
        rows: list[WorklistRow] = []
        waiting = 0
        for item, code, person, identity, attempts, failed in found:
            windows = split_codes(SafeTime, person.safe_times)
            hours = safe_hours.split(person.safe_hours)
            if not recontact.window_open(windows, moment, hours):
                waiting += 1
                continue
            rows.append(
                WorklistRow(
                    item_id=item.id,
                    case_id=item.case_id,
                    case_code=code,
                    source=RecontactSource.read(item.source),
                    police_zone=item.police_zone,
                    due_on=item.due_on,
                    pseudonym=identity.pseudonym if identity else "",
                    phone=identity.phone if identity else "",
                    email=identity.email if identity else "",
                    code_word=identity.code_word if identity else "",
                    channel=RecontactChannel.read(person.recontact_channel),
                    safe_times=windows,
                    voicemail_ok=person.voicemail_ok,
                    attempts=int(attempts),
                    failed_attempts=int(failed),
                    safe_hours=hours,
                )
            )
        audit.record(session, audit.RECONTACT_VIEWED, desk.user.id, target_type="worklist")
        return Worklist(tuple(rows), waiting, max_attempts)


def log_attempt(desk: OpenDesk, item_id: str, form: AttemptForm) -> AttemptDecision:
    """Record one attempt and what it decides (the next try, or the item closed)."""
    with desk.guarded(CASE_ROLES, "recontact.attempt") as session:
        max_attempts = desk_settings.recontact_max_attempts_in(session)
        item = session.get(RecontactItem, item_id)
        if item is None:
            raise RecordNotFound()
        if item.status != OPEN:
            raise ValidationError(_("This call-back is already closed."), field="item")
        person = recontact_queries.person_to_call(session, item.id, _CALLABLE)
        if person is None:
            raise ValidationError(
                _(
                    "This person may no longer be called back (no recontact, no safe channel, "
                    "or consent withdrawn): nothing was recorded."
                ),
                field="item",
            )
        form = recontact.validate_attempt(
            form,
            split_codes(SafeTime, person.safe_times),
            item.received_on,
            clock.now(),
            safe_hours.split(person.safe_hours),
        )
        failed_before = recontact_queries.failed_attempts(session, item.id, _FAILED)
        decision = recontact.decide(form, failed_before, max_attempts)
        session.add(
            RecontactAttempt(
                id=str(uuid.uuid4()),
                item_id=item.id,
                attempted_at=form.attempted_at,
                channel=person.recontact_channel,
                outcome=form.outcome.value,
                next_step=form.next_step.value,
                next_due=decision.next_due,
                outside_window_reason=form.outside_window_reason or None,
                recorded_by=desk.user.id,
                retention_class=RetentionClass.CASE.value,
            )
        )
        if decision.closes is None:
            assert decision.next_due is not None
            item.due_on = decision.next_due
        else:
            item.status = CLOSED
            item.closed_reason = decision.closes.value
            item.closed_on = clock.local_day(form.attempted_at)
        audit.record(
            session,
            audit.RECONTACT_ATTEMPT,
            desk.user.id,
            target_type="case",
            target_id=item.case_id,
            outcome=form.outcome.value,
        )
        return decision


def _person(session: Session, case: CaseFile) -> Person | None:
    return session.get(Person, case.person_id) if case.person_id else None


def record_police_referral(desk: OpenDesk, form: PoliceReferralForm, form_id: str) -> SavedIntake:
    """A police referral as the case's first contact; with consent to recontact it lands on
    the worklist, due the day it was received. `form_id` makes a second save harmless."""
    with desk.guarded(CASE_ROLES, "recontact.police_referral") as session:
        now = clock.now()
        form = recontact.validate_police_referral(form, clock.local_day(now))
        consent = ConsentDecision.GIVEN if form.consent_to_recontact else ConsentDecision.REFUSED
        intake = validate_intake(
            IntakeForm(
                id=form_id,
                contact=ContactForm(
                    occurred_at=_moment_of(form.received_on, now),
                    mode=ContactMode.POLICE_REFERRAL,
                    role=PersonRole.VICTIM,
                    referred_from=ReferredFrom.POLICE,
                ),
                person=PersonForm(
                    may_recontact=YesNoUnknown.YES
                    if form.consent_to_recontact
                    else YesNoUnknown.NO,
                    channel=form.channel,
                    safe_times=form.safe_times,
                    voicemail_ok=form.voicemail_ok,
                ),
                identity=IdentityForm(pseudonym=form.pseudonym, phone=form.phone),
                # Given to the police, who passed it on with the referral.
                consents=(ConsentForm(ConsentScope.RECONTACT, consent, ConsentFrom.PERSON),),
            ),
            now,
        )
        saved = save_intake(session, desk, intake, now)
        if saved.created and form.consent_to_recontact:
            _add_item(
                session,
                desk,
                saved.case_id,
                RecontactSource.POLICE_REFERRAL,
                form.received_on,
                form.received_on,
                form.police_zone,
            )
        return saved


def _moment_of(day: date, now: datetime) -> datetime:
    """When a referral received on `day` is recorded: now if today, else midday then."""
    if day == clock.local_day(now):
        return now
    return clock.at(day, time(12)).astimezone(UTC)


def plan_callback(desk: OpenDesk, case_id: str, due_on: date) -> str:
    """A call-back promised to the person of a case, due on `due_on`."""
    with desk.guarded(CASE_ROLES, "recontact.plan") as session:
        today = clock.today()
        if not today <= due_on <= today + timedelta(days=recontact.PLANNING_DAYS):
            raise ValidationError(
                _("The call-back must be due from today to a year ahead."), field="due_on"
            )
        case = case_records.existing_case(session, case_id)
        person = _person(session, case)
        if person is None or person.may_recontact != YesNoUnknown.YES.value:
            raise ValidationError(
                _(
                    "The person has not agreed to be contacted again: record their "
                    "agreement and a safe channel on the case first."
                ),
                field="due_on",
            )
        return _add_item(session, desk, case_id, RecontactSource.PROMISED, today, due_on, "")


def _add_item(
    session: Session,
    desk: OpenDesk,
    case_id: str,
    source: RecontactSource,
    received_on: date,
    due_on: date,
    police_zone: str,
) -> str:
    item = RecontactItem(
        id=str(uuid.uuid4()),
        case_id=case_id,
        source=source.value,
        police_zone=police_zone,
        received_on=received_on,
        due_on=due_on,
        status=OPEN,
        created_by=desk.user.id,
        retention_class=RetentionClass.CASE.value,
    )
    session.add(item)
    audit.record(
        session, audit.RECONTACT_PLANNED, desk.user.id, target_type="case", target_id=case_id
    )
    return item.id


def items_of_case(desk: OpenDesk, case_id: str) -> list[RecontactItemView]:
    with desk.guarded(CASE_ROLES, "recontact.case") as session:
        return [
            RecontactItemView(
                id=item.id,
                source=RecontactSource.read(item.source),
                police_zone=item.police_zone,
                received_on=item.received_on,
                due_on=item.due_on,
                open=item.status == OPEN,
                closed_reason=RecontactClosed.read_optional(item.closed_reason),
                attempts=tuple(
                    AttemptRow(
                        attempted_at=attempt.attempted_at,
                        outcome=AttemptOutcome.read(attempt.outcome),
                        next_step=NextStep.read(attempt.next_step),
                        outside_window_reason=attempt.outside_window_reason,
                    )
                    for attempt in recontact_queries.attempts_of(session, item.id)
                ),
            )
            for item in recontact_queries.items_of_case(session, case_id)
        ]
