"""Insiders against the desk's lists of kinds and audiences: a reception or counsellor
account tries to change what the monthly counts are made of, and a coordinator (or a
script with her account) forges what a kind is counted as, or slips an activity past the
lists. Each is refused in the service, leaves the lists as they were, and the refused
change is in the audit log."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.activities import ActivityForm
from app.domain.activity_lists import DeskList, EntryForm
from app.domain.periods import Month
from app.errors import AccessDenied, RecordNotFound, ValidationError
from app.services import activities, activity_lists
from app.services.open_desk import OpenDesk
from db.models import AuditEvent

pytestmark = pytest.mark.dates

RENAMED = EntryForm("Groupe de parole", "", "", "", "discussion_group")


def _refusals(desk: OpenDesk) -> list[str]:
    with desk.transaction() as session:
        return list(
            session.scalars(select(AuditEvent.target_type).where(AuditEvent.outcome == "denied"))
        )


@pytest.mark.parametrize("who", ["reception", "counsellor"])
def test_staff_cannot_add_rename_or_retire(
    who: str, request: pytest.FixtureRequest, coordinator: OpenDesk
) -> None:
    desk: OpenDesk = request.getfixturevalue(who)
    before = activity_lists.desk_lists(desk)  # reading them is fine: the form offers them
    with pytest.raises(AccessDenied):
        activity_lists.save_entry(desk, DeskList.KINDS, RENAMED)
    with pytest.raises(AccessDenied):
        activity_lists.save_entry(desk, DeskList.KINDS, RENAMED, "discussion_group")
    with pytest.raises(AccessDenied):
        activity_lists.retire_entry(desk, "la_cabane")
    assert activity_lists.desk_lists(coordinator) == before
    assert _refusals(coordinator).count("activity.list_edit") == 3


@pytest.mark.parametrize("who", ["reception", "counsellor"])
def test_staff_cannot_put_back_a_retired_entry(
    who: str, request: pytest.FixtureRequest, coordinator: OpenDesk
) -> None:
    # A receptionist who wants the retired workshop back in her form: only the coordinator
    # decides what the desk offers, and the refusal is in the audit log.
    activity_lists.retire_entry(coordinator, "digital_workshop")
    desk: OpenDesk = request.getfixturevalue(who)
    with pytest.raises(AccessDenied):
        activity_lists.restore_entry(desk, "digital_workshop")
    assert activity_lists.desk_lists(coordinator).kind("digital_workshop").retired
    assert _refusals(coordinator).count("activity.list_edit") == 1
    with pytest.raises(AccessDenied):
        activity_lists.entries_in_use(desk, DeskList.KINDS)


@pytest.mark.parametrize(
    ("which", "network"),
    [
        (DeskList.KINDS, "women"),  # an audience's code as a kind
        (DeskList.AUDIENCES, "la_cabane"),  # a kind's code as an audience
        (DeskList.KINDS, "LA_CABANE"),  # the option code of the file, not the stored code
        (DeskList.KINDS, "la_cabane "),
        (DeskList.KINDS, "discussion_group_women"),  # a cell of the file
        (DeskList.KINDS, ""),
    ],
)
def test_a_forged_mapping_to_a_non_network_answer_is_refused(
    coordinator: OpenDesk, which: DeskList, network: str
) -> None:
    before = activity_lists.desk_lists(coordinator)
    forged = EntryForm("Atelier maison", "", "", "", network)
    with pytest.raises(ValidationError) as refused:
        activity_lists.save_entry(coordinator, which, forged)
    assert refused.value.field == "network"
    existing = "other" if which is DeskList.KINDS else "adults"
    with pytest.raises(ValidationError):  # an entry of the desk made to count as it
        activity_lists.save_entry(coordinator, which, forged, existing)
    assert activity_lists.desk_lists(coordinator) == before


def test_an_entry_of_one_list_cannot_be_edited_through_the_other(coordinator: OpenDesk) -> None:
    before = activity_lists.desk_lists(coordinator)
    as_kind = EntryForm("Enfants", "", "", "", "la_cabane")
    with pytest.raises(RecordNotFound):
        activity_lists.save_entry(coordinator, DeskList.KINDS, as_kind, "children")
    # Nor made under the id of the other list's entry, by a form claiming to be new.
    with pytest.raises(RecordNotFound):
        activity_lists.save_entry(coordinator, DeskList.KINDS, as_kind, "children", new=True)
    assert activity_lists.desk_lists(coordinator) == before


@pytest.mark.parametrize(
    ("kind", "audience", "field"),
    [
        ("women", "women", "kind"),  # an audience as a kind
        ("la_cabane", "la_cabane", "audience"),  # a kind as an audience
        ("no-such-entry", "women", "kind"),  # an id no entry holds
        ("la_cabane", "PARENTS", "audience"),
        ("", "women", "kind"),  # a form whose lists were never read
    ],
)
def test_an_activity_takes_only_the_desks_active_entries(
    reception: OpenDesk, coordinator: OpenDesk, kind: str, audience: str, field: str
) -> None:
    form = ActivityForm(date(2026, 3, 4), kind, "Atelier", "", audience, 4)
    with pytest.raises(ValidationError) as refused:
        activities.save_activity(reception, form)
    assert refused.value.field == field
    activity_lists.retire_entry(coordinator, "white_ribbon")
    retired = ActivityForm(date(2026, 3, 4), "white_ribbon", "Ruban", "", "general_public", 40)
    with pytest.raises(ValidationError):
        activities.save_activity(reception, retired)
    assert activities.activities_of(reception, Month(2026, 3), Month(2026, 3)) == []
