"""Follow-up: who may be called back, when it is safe, and what an attempt
decides. A person is only ever called within their safe times, through their safe channel,
and never when they said no or withdrew their consent to be recontacted."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from app import clock
from app.domain import safe_hours, validation
from app.domain.codes import (
    AttemptOutcome,
    NextStep,
    RecontactChannel,
    RecontactClosed,
    RecontactSource,
    SafeTime,
)
from app.domain.safe_hours import HourRange
from app.errors import ValidationError
from app.i18n import _, format_date

DEFAULT_MAX_ATTEMPTS = 3
MIN_MAX_ATTEMPTS = 1
MAX_MAX_ATTEMPTS = 10
# A desk clock a few minutes behind the caller's watch is not worth a refusal.
CLOCK_TOLERANCE = timedelta(minutes=10)
# How far back a police referral or an attempt can be entered, and how far ahead a due day.
HISTORY_DAYS = 366
PLANNING_DAYS = 366

# The safe windows, local time: (weekdays, from, until). Monday is 0.
_WEEKDAYS = frozenset(range(5))
WINDOWS: dict[SafeTime, tuple[frozenset[int], time, time]] = {
    SafeTime.WEEKDAY_MORNING: (_WEEKDAYS, time(8), time(12)),
    SafeTime.WEEKDAY_AFTERNOON: (_WEEKDAYS, time(12), time(17)),
    SafeTime.WEEKDAY_EVENING: (_WEEKDAYS, time(17), time(21)),
    SafeTime.WEEKEND: (frozenset({5, 6}), time(9), time(20)),
}
# Channels a call-back can go through; "in person only" means: wait for the person.
CALLABLE_CHANNELS = frozenset(RecontactChannel) - {RecontactChannel.IN_PERSON_ONLY}


def window_open(
    windows: frozenset[SafeTime], moment: datetime, hours: tuple[HourRange, ...] = ()
) -> bool:
    """Whether `moment` (local, naive or aware) falls in one of the person's safe windows or
    in one of their safe hours of that weekday."""
    if safe_hours.is_open(hours, moment):
        return True
    local = clock.local(moment)
    for window in windows:
        days, start, end = WINDOWS[window]
        if local.weekday() in days and start <= local.time() < end:
            return True
    return False


def describe_safe_times(windows: frozenset[SafeTime], hours: tuple[HourRange, ...]) -> str:
    """The safe times and hours in the language of the screen, "" when none were given."""
    parts = [w.label for w in SafeTime if w in windows]
    if hours:
        parts.append(safe_hours.describe(hours))
    return ", ".join(parts)


@dataclass(frozen=True)
class WorklistRow:
    item_id: str
    case_id: str
    case_code: str
    source: RecontactSource
    police_zone: str
    due_on: date
    pseudonym: str
    phone: str
    email: str
    code_word: str
    channel: RecontactChannel
    safe_times: frozenset[SafeTime]
    voicemail_ok: bool
    attempts: int
    failed_attempts: int
    safe_hours: tuple[HourRange, ...] = ()


@dataclass(frozen=True)
class Worklist:
    rows: tuple[WorklistRow, ...]
    #: due now but outside every safe window of the person: called later, not shown
    waiting_for_window: int
    #: failed attempts after which a call-back closes (the desk's setting)
    max_attempts: int


@dataclass(frozen=True)
class AttemptForm:
    attempted_at: datetime
    outcome: AttemptOutcome
    next_step: NextStep
    next_due: date | None = None
    #: why the person was tried outside their safe times; required then
    outside_window_reason: str = ""


@dataclass(frozen=True)
class AttemptDecision:
    """What saving an attempt does to its item."""

    closes: RecontactClosed | None
    next_due: date | None


@dataclass(frozen=True)
class PoliceReferralForm:
    received_on: date
    police_zone: str
    consent_to_recontact: bool
    pseudonym: str
    phone: str
    channel: RecontactChannel | None
    safe_times: frozenset[SafeTime]
    voicemail_ok: bool = False


@dataclass(frozen=True)
class AttemptRow:
    attempted_at: datetime
    outcome: AttemptOutcome
    next_step: NextStep
    outside_window_reason: str | None


def validate_max_attempts(value: int) -> int:
    if not MIN_MAX_ATTEMPTS <= value <= MAX_MAX_ATTEMPTS:
        raise ValidationError(
            _("The number of attempts must be from {low} to {high}.").format(
                low=MIN_MAX_ATTEMPTS, high=MAX_MAX_ATTEMPTS
            ),
            field="max_attempts",
        )
    return value


def validate_attempt(
    form: AttemptForm,
    safe_times: frozenset[SafeTime],
    received_on: date,
    now: datetime,
    hours: tuple[HourRange, ...] = (),
) -> AttemptForm:
    """The form cleaned, or a `ValidationError`; an attempt outside the person's safe times
    needs a reason (field "outside_window_reason"), so the caller can ask for one."""
    if form.attempted_at > now + CLOCK_TOLERANCE:
        raise ValidationError(
            _("The attempt cannot be in the future: check the time."), field="attempted_at"
        )
    if clock.local_day(form.attempted_at) < received_on:
        raise ValidationError(
            _("The attempt cannot be before the call-back was owed ({day}).").format(
                day=format_date(received_on, "short")
            ),
            field="attempted_at",
        )
    reason = validation.clean_text(
        form.outside_window_reason,
        "outside_window_reason",
        _("The reason"),
        400,
        required=False,
    )
    if not window_open(safe_times, form.attempted_at, hours) and not reason:
        raise ValidationError(
            _(
                "This is outside the safe times the person gave ({windows}): calling now "
                "may put them in danger. Give the reason for calling anyway, or wait."
            ).format(windows=describe_safe_times(safe_times, hours)),
            field="outside_window_reason",
        )
    next_due = form.next_due
    if form.next_step is NextStep.TRY_AGAIN:
        day = clock.local_day(form.attempted_at)
        if next_due is None:
            raise ValidationError(_("Say when to try again."), field="next_due")
        if next_due < day or next_due > day + timedelta(days=PLANNING_DAYS):
            raise ValidationError(
                _("The next try must be from the day of this attempt to a year later."),
                field="next_due",
            )
    else:
        next_due = None
    return replace(form, outside_window_reason=reason, next_due=next_due)


def decide(form: AttemptForm, failed_before: int, max_attempts: int) -> AttemptDecision:
    """Whether the attempt closes its item, and when the next try is due otherwise."""
    if form.outcome is AttemptOutcome.DECLINED:
        return AttemptDecision(RecontactClosed.DECLINED, None)
    if form.outcome is AttemptOutcome.WRONG_NUMBER:
        return AttemptDecision(RecontactClosed.WRONG_NUMBER, None)
    if form.outcome.failed and failed_before + 1 >= max_attempts:
        return AttemptDecision(RecontactClosed.ATTEMPTS_EXHAUSTED, None)
    if form.next_step is NextStep.TRY_AGAIN:
        return AttemptDecision(None, form.next_due)
    if form.outcome is AttemptOutcome.REACHED:
        return AttemptDecision(RecontactClosed.REACHED, None)
    return AttemptDecision(RecontactClosed.CLOSED_BY_WORKER, None)


def validate_police_referral(form: PoliceReferralForm, today: date) -> PoliceReferralForm:
    if form.received_on > today:
        raise ValidationError(
            _("The referral cannot be received in the future: check the date."),
            field="received_on",
        )
    if form.received_on < today - timedelta(days=HISTORY_DAYS):
        raise ValidationError(
            _("The referral is more than a year old; check the date."), field="received_on"
        )
    zone = validation.clean_text(form.police_zone, "police_zone", _("The police zone"), 80)
    if form.consent_to_recontact and form.channel is None:
        raise ValidationError(
            _("Say how the person may safely be contacted again."), field="channel"
        )
    if form.consent_to_recontact and not form.safe_times:
        raise ValidationError(
            _("Tick at least one safe time to call the person back."), field="safe_times"
        )
    return replace(form, police_zone=zone)
