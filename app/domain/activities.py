"""Awareness actions, group work and emergency housing: what a form holds and
the checks it must pass. No one is named: an activity has a participant count, a housing
stay has dates only."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from app.domain import validation
from app.domain.activity_lists import DeskEntry, DeskList, DeskLists
from app.domain.periods import Month, nights_in
from app.errors import ValidationError
from app.i18n import _, format_date

MAX_PARTICIPANTS = 100_000
# How far ahead an activity can be planned, and how far back a stay or action recorded.
PLANNING_DAYS = 366
HISTORY_YEARS = 20


@dataclass(frozen=True)
class ActivityForm:
    held_on: date
    kind: str  # the id of an entry of the desk's kinds (app/domain/activity_lists.py)
    title: str
    place: str
    audience: str  # the id of an entry of the desk's audiences
    participants: int


@dataclass(frozen=True)
class ActivityRow:
    id: str
    held_on: date
    kind: DeskEntry
    title: str
    place: str
    audience: DeskEntry
    participants: int


@dataclass(frozen=True)
class HousingUnitRow:
    id: str
    name: str
    available_from: date
    available_until: date | None


@dataclass(frozen=True)
class UnitForm:
    """A housing unit as a person gives it: the last night it is available (None while it
    is in use), where the unit keeps the first day it no longer is."""

    name: str
    available_from: date
    last_night: date | None = None


@dataclass(frozen=True)
class StayRow:
    id: str
    unit_id: str
    starts_on: date
    ends_on: date | None  # the day of leaving; None while the unit is occupied


@dataclass(frozen=True)
class Occupancy:
    """Unit-nights of a month: the occupancy rate is `occupied / available`."""

    month: Month
    available: int
    occupied: int

    @property
    def unit_months_occupied(self) -> float:
        """Occupied nights as months of one unit ("7.5 months out of 12")."""
        return self.occupied / self.month.days


def _check_day(day: date, today: date, label: str, field: str) -> None:
    if day > today + timedelta(days=PLANNING_DAYS):
        raise ValidationError(
            _("{label} is more than a year ahead; check the date.").format(label=label),
            field=field,
        )
    if day.year < today.year - HISTORY_YEARS:
        raise ValidationError(
            _("{label} is more than {years} years ago; check the date.").format(
                label=label, years=HISTORY_YEARS
            ),
            field=field,
        )


def validate_activity(form: ActivityForm, today: date) -> ActivityForm:
    _check_day(form.held_on, today, _("The date"), "held_on")
    if not 0 <= form.participants <= MAX_PARTICIPANTS:
        raise ValidationError(
            _("The number of participants must be between 0 and {most}.").format(
                most=MAX_PARTICIPANTS
            ),
            field="participants",
        )
    if form.held_on > today and form.participants:
        raise ValidationError(
            _("An activity still to come has no participants yet: leave 0."),
            field="participants",
        )
    return replace(
        form,
        title=validation.clean_text(form.title, "title", _("The title"), 160),
        place=validation.clean_text(form.place, "place", _("The place"), 160, required=False),
    )


def check_listed(form: ActivityForm, lists: DeskLists, kept: ActivityForm | None) -> None:
    """The kind and audience are entries the desk offers, or those the activity had
    (`kept`: a retired kind stays on the activities recorded with it)."""
    for which, chosen, had, field in (
        (DeskList.KINDS, form.kind, kept and kept.kind, "kind"),
        (DeskList.AUDIENCES, form.audience, kept and kept.audience, "audience"),
    ):
        if chosen in {entry.id for entry in lists.active(which)}:
            continue
        if kept is not None and chosen == had:
            continue
        raise ValidationError(
            _("Choose one of the desk's kinds of activity.")
            if which is DeskList.KINDS
            else _("Choose one of the desk's audiences."),
            field=field,
        )


def validate_unit(form: UnitForm, today: date) -> str:
    """The unit's name, cleaned, once its dates are acceptable."""
    _check_day(form.available_from, today, _("Available from"), "available_from")
    if form.last_night is not None and form.last_night < form.available_from:
        raise ValidationError(
            _("A unit must be available at least one night: the end comes after the start."),
            field="last_night",
        )
    return validation.clean_text(form.name, "name", _("The unit's name"), 80)


def validate_stay(
    unit: HousingUnitRow,
    starts_on: date,
    ends_on: date | None,
    others: list[StayRow],
    today: date,
) -> None:
    """A stay lies within the unit's availability, ends after it starts, does not start in
    the future and overlaps no other stay of the same unit."""
    if starts_on > today:
        raise ValidationError(
            _("A stay is recorded when it starts: the arrival cannot be in the future."),
            field="starts_on",
        )
    if ends_on is not None and ends_on <= starts_on:
        raise ValidationError(
            _("The day of leaving must come after the day of arrival."), field="ends_on"
        )
    if starts_on < unit.available_from or (
        unit.available_until is not None and (ends_on is None or ends_on > unit.available_until)
    ):
        raise ValidationError(
            _("The stay falls outside the dates the unit is available."), field="starts_on"
        )
    for other in others:
        if other.unit_id != unit.id:
            continue
        other_end = other.ends_on or date.max
        end = ends_on or date.max
        if starts_on < other_end and other.starts_on < end:
            raise ValidationError(
                _("The unit is already occupied from {start} then: one stay at a time.").format(
                    start=format_date(other.starts_on)
                ),
                field="starts_on",
            )


def occupancy(
    units: list[HousingUnitRow], stays: list[StayRow], month: Month, today: date
) -> Occupancy:
    """Unit-nights available and occupied in `month`. A stay still running counts its
    nights up to today, never nights still to come."""
    tomorrow = today + timedelta(days=1)
    available = sum(
        nights_in(u.available_from, u.available_until or date.max, month) for u in units
    )
    occupied = sum(nights_in(s.starts_on, s.ends_on or tomorrow, month) for s in stays)
    return Occupancy(month, available, occupied)
