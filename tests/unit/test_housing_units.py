"""Emergency housing units as the services keep them: a unit added, renamed or given other
dates without leaving a stay outside them; retiring refused, in words, while a stay runs
past the night, whether asked first or done; the date of an overlapping stay written in the
screen's language."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from app import i18n
from app.domain.activities import UnitForm
from app.errors import AccessDenied, ValidationError
from app.services import audit_log, housing
from app.services.open_desk import OpenDesk
from tests.conftest import TEST_DAY

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates

TODAY = TEST_DAY
START = TODAY - timedelta(days=30)


def test_a_unit_is_added_renamed_and_given_its_last_night(
    reception: OpenDesk, admin_desk: OpenDesk
) -> None:
    unit = housing.save_unit(reception, UnitForm(" Studio A ", START))
    housing.save_unit(reception, UnitForm("Studio B", START))
    [row, _other] = housing.housing(reception).units
    assert (row.id, row.name, row.available_from, row.available_until) == (
        unit,
        "Studio A",
        START,
        None,
    )
    assert housing.save_unit(reception, UnitForm("Studio C", START, TODAY), unit) == unit
    row = housing.housing(reception).unit(unit)
    assert (row.name, row.available_until) == ("Studio C", TODAY + timedelta(days=1))
    with pytest.raises(ValidationError, match="already a unit called studio b") as refused:
        housing.save_unit(reception, UnitForm("studio b", START), unit)
    assert refused.value.field == "name"
    with pytest.raises(ValidationError, match="at least one night") as refused:
        housing.save_unit(reception, UnitForm("Studio C", START, START - timedelta(days=1)), unit)
    assert refused.value.field == "last_night"
    with pytest.raises(AccessDenied):
        housing.save_unit(admin_desk, UnitForm("Studio D", START))
    actions = [e.action for e in audit_log.entries(admin_desk, audit_log.AuditFilter())]
    assert actions.count("housing.edit") == 3


def test_a_new_unit_saved_again_under_its_forms_id_is_one_unit(
    reception: OpenDesk, admin_desk: OpenDesk
) -> None:
    """Its first answer lost to a lock, the same form saved again finds the unit it made."""
    made = str(uuid.uuid4())
    form = UnitForm("Studio A", START)
    assert housing.save_unit(reception, form, made, new=True) == made
    assert housing.save_unit(reception, form, made, new=True) == made
    renamed = UnitForm("Studio A1", START)
    assert housing.save_unit(reception, renamed, made, new=True) == made
    [unit] = housing.housing(reception).units
    assert (unit.id, unit.name) == (made, "Studio A1")
    actions = [e.action for e in audit_log.entries(admin_desk, audit_log.AuditFilter())]
    assert actions.count("housing.edit") == 2  # made, then renamed: not the save as it was


def test_a_unit_keeps_its_stays_within_the_nights_it_is_available(reception: OpenDesk) -> None:
    unit = housing.save_unit(reception, UnitForm("Studio A", START))
    housing.save_stay(reception, unit, START + timedelta(days=5), START + timedelta(days=9))
    named = i18n.format_date(START + timedelta(days=5))
    with pytest.raises(ValidationError, match=f"starts on {named}, before that day") as refused:
        housing.save_unit(reception, UnitForm("Studio A", START + timedelta(days=6)), unit)
    assert refused.value.field == "available_from"
    with pytest.raises(ValidationError, match=f"stay from {named} runs past") as refused:
        housing.save_unit(reception, UnitForm("Studio A", START, START + timedelta(days=7)), unit)
    assert refused.value.field == "last_night"
    # The night before the day of leaving is the stay's last: the unit may end with it.
    housing.save_unit(reception, UnitForm("Studio A", START, START + timedelta(days=8)), unit)
    assert housing.housing(reception).unit(unit).available_until == START + timedelta(days=9)


def test_retiring_is_refused_in_words_while_a_stay_runs_past_the_night(
    reception: OpenDesk,
) -> None:
    unit = housing.save_unit(reception, UnitForm("Studio A", START))
    stay = housing.save_stay(reception, unit, START + timedelta(days=2), None)
    for attempt in (housing.check_retirement, housing.retire_unit):
        with pytest.raises(ValidationError, match="runs past that night") as refused:
            attempt(reception, unit, TODAY)
        assert refused.value.field == "last_night"
    assert housing.housing(reception).unit(unit).available_until is None
    housing.save_stay(reception, unit, START + timedelta(days=2), TODAY, stay)
    housing.check_retirement(reception, unit, TODAY)
    housing.retire_unit(reception, unit, TODAY)
    assert housing.housing(reception).unit(unit).available_until == TODAY + timedelta(days=1)
    # Retired already by then: retiring again would only give back nights it no longer has.
    with pytest.raises(ValidationError, match="already out of use") as refused:
        housing.check_retirement(reception, unit, TODAY + timedelta(days=3))
    assert refused.value.field == "last_night"


def test_the_overlapping_stay_is_dated_in_the_screens_language(reception: OpenDesk) -> None:
    unit = housing.save_unit(reception, UnitForm("Studio A", START))
    arrival = START + timedelta(days=2)
    housing.save_stay(reception, unit, arrival, None)
    i18n.set_language("fr")  # put back to English after each test
    with pytest.raises(ValidationError) as refused:
        housing.save_stay(reception, unit, arrival + timedelta(days=1), None)
    said = i18n._("The unit is already occupied from {start} then: one stay at a time.")
    assert str(refused.value) == said.format(start=arrival.strftime("%d/%m/%Y"))
    assert arrival.isoformat() not in str(refused.value)
