"""Emergency housing units and their stays (dates only, no identity), for the occupancy
of each month."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app import clock
from app.domain.activities import (
    HousingUnitRow,
    Occupancy,
    StayRow,
    occupancy,
    validate_stay,
    validate_unit,
)
from app.domain.periods import Month, day_after
from app.errors import RecordNotFound, ValidationError
from app.i18n import _
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


def add_unit(desk: OpenDesk, name: str, available_from: date) -> str:
    with desk.guarded(ACTIVITY_ROLES, "housing.unit") as session:
        name = validate_unit(name, available_from, None, clock.today())
        if any(u.name.casefold() == name.casefold() for u in read_housing(session).units):
            raise ValidationError(
                _("There is already a unit called {name}.").format(name=name), field="name"
            )
        unit = HousingUnit(
            id=str(uuid.uuid4()), name=name, available_from=available_from, available_until=None
        )
        session.add(unit)
        audit.record(
            session,
            audit.HOUSING_EDITED,
            desk.user.id,
            target_type="housing_unit",
            target_id=unit.id,
        )
        return unit.id


def retire_unit(desk: OpenDesk, unit_id: str, last_night: date) -> None:
    """The unit is no longer available after the night of `last_night`."""
    with desk.guarded(ACTIVITY_ROLES, "housing.unit") as session:
        current = read_housing(session)
        unit = current.unit(unit_id)
        until = day_after(last_night)
        validate_unit(unit.name, unit.available_from, until, clock.today())
        for stay in current.stays:
            if stay.unit_id == unit_id and (stay.ends_on is None or stay.ends_on > until):
                raise ValidationError(
                    _("A stay runs past that night: end it first."), field="available_until"
                )
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
