"""Appointments of a case: next sessions and accompaniments, in a day or week
view. An appointment is planned ahead: one in the past is a mistake in the date."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from app.domain import validation
from app.domain.codes import AppointmentKind
from app.errors import ValidationError
from app.i18n import _

PLANNING_DAYS = 366
MIN_MINUTES = 5
MAX_MINUTES = 8 * 60
# A few minutes late in typing "now" is not worth a refusal.
CLOCK_TOLERANCE = timedelta(minutes=10)


@dataclass(frozen=True)
class AppointmentForm:
    case_id: str
    starts_at: datetime
    minutes: int
    kind: AppointmentKind
    place: str = ""


@dataclass(frozen=True)
class AppointmentRow:
    #: None for a next session recorded on a listening session (cancel it there)
    id: str | None
    case_id: str
    case_code: str
    starts_at: datetime
    minutes: int
    kind: AppointmentKind
    place: str


def validate_appointment(form: AppointmentForm, now: datetime) -> AppointmentForm:
    if form.starts_at < now - CLOCK_TOLERANCE:
        raise ValidationError(
            _("The appointment is in the past: check the date and time."), field="starts_at"
        )
    if form.starts_at > now + timedelta(days=PLANNING_DAYS):
        raise ValidationError(
            _("The appointment is more than a year ahead; check the date."), field="starts_at"
        )
    if not MIN_MINUTES <= form.minutes <= MAX_MINUTES:
        raise ValidationError(
            _("The duration must be from {low} to {high} minutes.").format(
                low=MIN_MINUTES, high=MAX_MINUTES
            ),
            field="minutes",
        )
    place = validation.clean_text(form.place, "place", _("The place"), 160, required=False)
    return replace(form, place=place)


def week_of(day: date) -> tuple[date, date]:
    """Monday of `day`'s week, and the Monday after."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=7)
