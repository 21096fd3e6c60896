"""Emergency housing units and their stays (dates only, no identity), for the occupancy
of each month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app import clock
from app.domain.activities import (
    HousingUnitRow,
    Occupancy,
    StayRow,
    UnitForm,
    occupancy,
    validate_stay,
    validate_unit,
)
from app.domain.periods import Month, day_after
from app.errors import RecordNotFound, ValidationError
from app.i18n import _, format_date
from app.services import audit
from app.services.activities import ACTIVITY_ROLES
from app.services.editing import row_to_save, saved_again_as_it_is
from app.services.open_desk import OpenDesk
from db import activity_queries
from db.models import HousingStay, HousingUnit


@dataclass(frozen=True)
class Housing:
    units: list[HousingUnitRow]
    stays: list[StayRow]

    def occupancy(self, month: Month, today: date) -> Occupancy:
        return occupancy(self.units, self.stays, month, today)

    def unit(self, unit_id: str) -> HousingUnitRow:
        for unit in self.units:
            if unit.id == unit_id:
                return unit
        raise RecordNotFound()


def read_housing(session: Session) -> Housing:
    return Housing(
        units=[
            HousingUnitRow(u.id, u.name, u.available_from, u.available_until)
            for u in activity_queries.housing_units(session)
        ],
        stays=[
            StayRow(s.id, s.unit_id, s.starts_on, s.ends_on)
            for s in activity_queries.housing_stays(session)
        ],
    )


def housing(desk: OpenDesk) -> Housing:
    with desk.guarded(ACTIVITY_ROLES, "housing.list") as session:
        return read_housing(session)


def save_unit(
    desk: OpenDesk, form: UnitForm, unit_id: str | None = None, *, new: bool = False
) -> str:
    """A new unit (`new`: under the id its form made), or the one `unit_id` names renamed or
    given other dates; its stays stay within the nights it is available."""
    with desk.guarded(ACTIVITY_ROLES, "housing.unit") as session:
        current = read_housing(session)
        name = validate_unit(form, clock.today())
        if any(u.id != unit_id and u.name.casefold() == name.casefold() for u in current.units):
            raise ValidationError(
                _("There is already a unit called {name}.").format(name=name), field="name"
            )
        until = None if form.last_night is None else day_after(form.last_night)
        if unit_id is not None:
            _check_stays_within(current, unit_id, form.available_from, until)
        unit = row_to_save(session, HousingUnit, unit_id, new=new)
        unit.name = name
        unit.available_from = form.available_from
        unit.available_until = until
        if new and saved_again_as_it_is(session, unit):
            return unit.id
        audit.record(
            session,
            audit.HOUSING_EDITED,
            desk.user.id,
            target_type="housing_unit",
            target_id=unit.id,
        )
        return unit.id


def check_retirement(desk: OpenDesk, unit_id: str, last_night: date) -> None:
    """Refuse, saying why, what `retire_unit` would refuse: asked before the person is."""
    with desk.guarded(ACTIVITY_ROLES, "housing.unit") as session:
        _retirement(read_housing(session), unit_id, last_night)


def retire_unit(desk: OpenDesk, unit_id: str, last_night: date) -> None:
    """The unit is no longer available after the night of `last_night`."""
    with desk.guarded(ACTIVITY_ROLES, "housing.unit") as session:
        until = _retirement(read_housing(session), unit_id, last_night)
        row = session.get(HousingUnit, unit_id)
        assert row is not None
        row.available_until = until
        audit.record(
            session,
            audit.HOUSING_EDITED,
            desk.user.id,
            target_type="housing_unit",
            target_id=unit_id,
        )


def _retirement(current: Housing, unit_id: str, last_night: date) -> date:
    """The unit's new first day out of use, once nothing stands against it."""
    unit = current.unit(unit_id)
    until = day_after(last_night)
    if unit.available_until is not None and unit.available_until <= until:
        raise ValidationError(
            _("The unit is already out of use after the night of {day}.").format(
                day=format_date(unit.available_until - timedelta(days=1))
            ),
            field="last_night",
        )
    validate_unit(UnitForm(unit.name, unit.available_from, last_night), clock.today())
    _check_stays_within(current, unit_id, unit.available_from, until)
    return until


def _check_stays_within(
    current: Housing, unit_id: str, available_from: date, until: date | None
) -> None:
    """Refuse dates that would leave a stay of the unit outside them, naming the stay."""
    stays = [stay for stay in current.stays if stay.unit_id == unit_id]
    earlier = [stay for stay in stays if stay.starts_on < available_from]
    if earlier:
        raise ValidationError(
            _("A stay starts on {start}, before that day: the unit was in use by then.").format(
                start=format_date(earlier[0].starts_on)
            ),
            field="available_from",
        )
    later = [s for s in stays if until is not None and (s.ends_on is None or s.ends_on > until)]
    if later:
        raise ValidationError(
            _("The stay from {start} runs past that night: end it first.").format(
                start=format_date(later[0].starts_on)
            ),
            field="last_night",
        )


def save_stay(
    desk: OpenDesk,
    unit_id: str,
    starts_on: date,
    ends_on: date | None,
    stay_id: str | None = None,
    *,
    new: bool = False,
) -> str:
    """Record a stay (`new`: under the id its form made), or change the one `stay_id` names,
    e.g. to give its day of leaving."""
    with desk.guarded(ACTIVITY_ROLES, "housing.stay") as session:
        current = read_housing(session)
        others = [s for s in current.stays if s.id != stay_id]
        validate_stay(current.unit(unit_id), starts_on, ends_on, others, clock.today())
        stay = row_to_save(session, HousingStay, stay_id, new=new, recorded_by=desk.user.id)
        stay.unit_id = unit_id
        stay.starts_on = starts_on
        stay.ends_on = ends_on
        if new and saved_again_as_it_is(session, stay):
            return stay.id
        audit.record(
            session,
            audit.HOUSING_EDITED,
            desk.user.id,
            target_type="housing_stay",
            target_id=stay.id,
        )
        return stay.id


def delete_stay(desk: OpenDesk, stay_id: str) -> None:
    with desk.guarded(ACTIVITY_ROLES, "housing.stay") as session:
        stay = session.get(HousingStay, stay_id)
        if stay is None:
            raise RecordNotFound()
        session.delete(stay)
        audit.record(
            session,
            audit.HOUSING_EDITED,
            desk.user.id,
            target_type="housing_stay",
            target_id=stay_id,
        )
