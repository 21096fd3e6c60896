"""A new record's form saved twice (its first answer lost to a lock, the form kept as a
draft and saved again) leaves one record: the second save finds the record the first made
under the id the form was given, changes it if the form says more, and audits only a real
change. An edit still refuses a record deleted meanwhile."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.domain.accounts import NewAccount
from app.domain.activities import ActivityForm, UnitForm
from app.domain.codes import ActivityKind, Audience
from app.domain.network_resources import PartnershipForm, ReferentForm
from app.domain.roles import Role
from app.errors import RecordNotFound, ValidationError
from app.services import (
    accounts,
    activities,
    audit,
    audit_log,
    directory,
    housing,
    network_resources,
    protocols,
)
from app.services.open_desk import OpenDesk
from tests.conftest import TEST_DAY

REFERENT = ReferentForm("Anne Dupont", "CPAS de Sprimont", "62100", "Référente VIF")
AGREEMENT = PartnershipForm("GREOVA", "Convention STOPP VIF", date(2024, 1, 1), None)
ACTIVITY = ActivityForm(
    TEST_DAY, ActivityKind.ANIMATION, "Atelier", "Esneux", Audience.YOUNG_PEOPLE, 12
)


def _events(admin: OpenDesk, action: str) -> list[str | None]:
    return [
        event.target_id
        for event in audit_log.entries(admin, audit_log.AuditFilter(action=action))
        if event.outcome == audit.OK
    ]


def test_a_referent_saved_twice_is_one_referent_changed_once(
    coordinator: OpenDesk, admin_desk: OpenDesk
) -> None:
    form_id = str(uuid.uuid4())
    saved = network_resources.save_referent(coordinator, REFERENT, form_id, new=True)
    again = network_resources.save_referent(coordinator, REFERENT, form_id, new=True)
    assert saved == again == form_id
    assert _events(admin_desk, audit.REFERENT_EDITED) == [form_id]  # nothing changed again
    more = replace(REFERENT, phone="04 382 00 00")
    network_resources.save_referent(coordinator, more, form_id, new=True)
    (row,) = network_resources.referents(coordinator)
    assert row.id == form_id and row.form == more
    assert _events(admin_desk, audit.REFERENT_EDITED) == [form_id, form_id]


def test_an_agreement_saved_twice_is_one_agreement(coordinator: OpenDesk) -> None:
    form_id = str(uuid.uuid4())
    network_resources.save_partnership(coordinator, AGREEMENT, form_id, new=True)
    renewed = replace(AGREEMENT, ends_on=TEST_DAY + timedelta(days=365))
    network_resources.save_partnership(coordinator, renewed, form_id, new=True)
    (row,) = network_resources.partnerships(coordinator)
    assert row.id == form_id and row.form.ends_on == renewed.ends_on


def test_an_activity_saved_twice_is_one_activity_recorded_once(
    reception: OpenDesk, admin_desk: OpenDesk
) -> None:
    form_id = str(uuid.uuid4())
    activities.save_activity(reception, ACTIVITY, form_id, new=True)
    activities.save_activity(reception, ACTIVITY, form_id, new=True)
    activities.save_activity(reception, replace(ACTIVITY, participants=14), form_id, new=True)
    month = activities.Month.of(TEST_DAY)
    (row,) = activities.activities_of(reception, month, month)
    assert row.id == form_id and row.participants == 14
    assert _events(admin_desk, audit.ACTIVITY_RECORDED) == [form_id]
    assert _events(admin_desk, audit.ACTIVITY_EDITED) == [form_id]


def test_a_stay_saved_twice_is_one_stay_not_in_its_own_way(reception: OpenDesk) -> None:
    unit = housing.save_unit(reception, UnitForm("Studio A", TEST_DAY - timedelta(days=30)))
    form_id = str(uuid.uuid4())
    arrival = TEST_DAY - timedelta(days=3)
    housing.save_stay(reception, unit, arrival, None, form_id, new=True)
    # Saved again, the stay does not overlap itself; it gets its day of leaving.
    housing.save_stay(reception, unit, arrival, TEST_DAY, form_id, new=True)
    (stay,) = housing.housing(reception).stays
    assert stay.id == form_id and stay.ends_on == TEST_DAY


def test_an_edit_still_refuses_a_record_deleted_meanwhile(reception: OpenDesk) -> None:
    activity_id = activities.save_activity(reception, ACTIVITY)
    activities.delete_activity(reception, activity_id)
    with pytest.raises(RecordNotFound):
        activities.save_activity(reception, ACTIVITY, activity_id)
    month = activities.Month.of(TEST_DAY)
    assert activities.activities_of(reception, month, month) == []


def test_a_new_protocol_saved_again_as_it_was_is_one_protocol(admin_desk: OpenDesk) -> None:
    before = len(protocols.current(admin_desk))
    first = protocols.create(admin_desk, "fr", "Personne âgée", ["Écouter.", "Orienter."])
    again = protocols.create(admin_desk, "fr", "Personne âgée", ["Écouter.", "Orienter."])
    assert again == first
    assert len(protocols.current(admin_desk)) == before + 1
    other = protocols.create(admin_desk, "fr", "Personne âgée", ["Écouter."])
    assert other.key != first.key  # another protocol of the same title stays possible


def test_a_new_directory_entry_saved_again_as_it_was_is_one_entry(
    admin_desk: OpenDesk,
) -> None:
    seniors = directory.entry(admin_desk, "respect-seniors")
    new = replace(seniors, key="maison-des-femmes", names={"fr": "Maison des femmes"})
    directory.save(admin_desk, new, is_new=True)
    assert directory.save(admin_desk, new, is_new=True) == directory.entry(
        admin_desk, "maison-des-femmes"
    )
    with pytest.raises(ValidationError) as refused:  # another entry under a key taken
        directory.save(admin_desk, replace(new, names={"fr": "Autre"}), is_new=True)
    assert refused.value.field == "key"


def test_a_new_account_saved_twice_is_one_account_and_says_so(admin_desk: OpenDesk) -> None:
    form_id = str(uuid.uuid4())
    nora = NewAccount("nora", "Nora N.", frozenset({Role.RECEPTION}), "orange kettle mountain 5")
    assert accounts.add_user(admin_desk, nora, form_id).id == form_id
    with pytest.raises(ValidationError, match="added by an earlier save") as refused:
        accounts.add_user(admin_desk, nora, form_id)
    assert refused.value.field == "user_name"
    assert [u.id for u in accounts.list_users(admin_desk) if u.user_name == "nora"] == [form_id]
