"""The desk's own kinds of activity and audiences: the coordinator keeps them, the
activities name them, the desk's counts file carries the network's kinds they stand for,
and the network merges and publishes those."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import crypto
from app.domain import counts_document
from app.domain import indicators as ind
from app.domain.activities import ActivityForm
from app.domain.activity_lists import CABANE_PARENTS, DeskList, EntryForm
from app.domain.codes import ActivityKind, Audience
from app.domain.periods import Month
from app.errors import RecordNotFound, ValidationError
from app.services import (
    activities,
    activity_lists,
    counts,
    demo_resources,
    keys,
    network,
    network_resources,
    publication,
)
from app.services.open_desk import OpenDesk
from db import repositories
from db.models import ActivityListEntry, AuditEvent
from tests.counts_support import MARCH, TODAY, Network, hub_secret

pytestmark = pytest.mark.dates

THEATRE = EntryForm(
    "Théâtre-forum au collège", "Forumtheater op school", "", "", ActivityKind.ANIMATION
)
PUPILS = EntryForm("Élèves de 4e secondaire", "", "", "", Audience.YOUNG_PEOPLE)


def _audited(desk: OpenDesk, action: str) -> int:
    with desk.transaction() as session:
        return (
            session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
            )
            or 0
        )


def _record(desk: OpenDesk, held: date, kind: str, audience: str, people: int) -> str:
    form = ActivityForm(held, kind, "Atelier", "Collège Saint-Roch", audience, people)
    return activities.save_activity(desk, form)


def test_every_desk_starts_with_the_kinds_its_reports_name(coordinator: OpenDesk) -> None:
    lists = activity_lists.desk_lists(coordinator)
    kinds = {entry.id: entry for entry in lists.kinds}
    assert kinds["discussion_group"].label_in("fr") == "Groupe de parole pour mères"
    assert kinds["discussion_group"].network == ActivityKind.DISCUSSION_GROUP
    assert kinds["support_group"].network == ActivityKind.SUPPORT_GROUP
    assert kinds["la_cabane"].label_in("nl") == "'La cabane' (kinderen van 5 tot 10 jaar)"
    # Every network kind is there, under its own code: activities recorded before keep theirs.
    assert {kind.value for kind in ActivityKind} <= set(kinds)
    support = kinds["support_group"].label_in("nl")
    assert support == "Steungroep voor kinderen en jongeren, slachtoffers of getuigen"
    parents = lists.audience(CABANE_PARENTS)
    assert (parents.id, parents.network) == (CABANE_PARENTS, Audience.PARENTS)
    assert parents.label_in("de") == "Eltern, parallel zu „La cabane“ empfangen"
    assert parents.label_in("nl") == "Ouders, parallel aan 'La cabane' opgevangen"
    assert all(not entry.retired for entry in (*lists.kinds, *lists.audiences))


def test_a_desk_kind_travels_as_its_network_kind_through_export_merge_and_publication(
    net: Network,
) -> None:
    desk = net.desk  # the coordinator of the exporting desk
    theatre = activity_lists.save_entry(desk, DeskList.KINDS, THEATRE)
    pupils = activity_lists.save_entry(desk, DeskList.AUDIENCES, PUPILS)
    _record(desk, date(2026, 3, 12), theatre, pupils, 24)
    _record(desk, date(2026, 3, 13), "discussion_group", Audience.WOMEN, 7)
    _record(desk, date(2026, 3, 4), ActivityKind.LA_CABANE, CABANE_PARENTS, 5)

    own = counts.month_counts(desk, MARCH, TODAY)
    assert own.value(ind.ACTIVITIES, "ANIMATION_MODULE", "YOUNG_PEOPLE") == 1
    assert own.value(ind.PARTICIPANTS, "ANIMATION_MODULE", "YOUNG_PEOPLE") == 24
    assert own.value(ind.PARTICIPANTS, "DISCUSSION_GROUP", "WOMEN") == 7
    # The parents of La cabane: La cabane's, counted as parents beside the children.
    assert own.value(ind.PARTICIPANTS, "LA_CABANE", "PARENTS") == 5
    assert own.value(ind.PARTICIPANTS, "LA_CABANE", "CHILDREN") == 14

    [result] = network.import_files(net.hub, [net.export()], TODAY)
    assert result.outcome is network.Outcome.ACCEPTED, result.message
    [merged] = network.desk_counts(net.hub, [MARCH])
    assert merged.values == own.values
    # Nothing of the desk's own words leaves it: the file names the network's cells only.
    assert all(theatre not in combo for combo in merged.values[ind.ACTIVITIES.code])

    published = publication.publish(net.hub, MARCH, MARCH, k=5)
    held = published.value(ind.ACTIVITIES, "NET", MARCH)
    assert held.cells["ANIMATION_MODULE_YOUNG_PEOPLE"] == 1
    assert held.cells["DISCUSSION_GROUP_WOMEN"] == 1


def test_renamed_and_retired_kinds_stay_in_history_and_counts(coordinator: OpenDesk) -> None:
    theatre = activity_lists.save_entry(coordinator, DeskList.KINDS, THEATRE)
    held = _record(coordinator, date(2026, 3, 12), theatre, Audience.YOUNG_PEOPLE, 24)
    renamed = EntryForm("Théâtre-forum", "Forumtheater", "Forum theatre", "", THEATRE.network)
    assert activity_lists.save_entry(coordinator, DeskList.KINDS, renamed, theatre) == theatre
    activity_lists.retire_entry(coordinator, theatre)
    activity_lists.retire_entry(coordinator, theatre)  # once is enough: audited once

    lists = activity_lists.desk_lists(coordinator)
    assert theatre not in {entry.id for entry in lists.active(DeskList.KINDS)}
    [row] = activities.activities_of(coordinator, MARCH, MARCH)
    assert row.kind.retired and row.kind.label_in("en") == "Forum theatre"
    counted = counts.month_counts(coordinator, MARCH, TODAY)
    assert counted.value(ind.PARTICIPANTS, "ANIMATION_MODULE", "YOUNG_PEOPLE") == 24
    # The old activity is edited with its kind; a new one cannot take it any more.
    changed = ActivityForm(date(2026, 3, 12), theatre, "Atelier", "Aula", "young_people", 25)
    activities.save_activity(coordinator, changed, held)
    with pytest.raises(ValidationError) as refused:
        _record(coordinator, date(2026, 3, 14), theatre, Audience.YOUNG_PEOPLE, 3)
    assert refused.value.field == "kind"
    assert _audited(coordinator, "activity.list_edit") == 2
    assert _audited(coordinator, "activity.list_retire") == 1


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (EntryForm("  ", "Theater", "", "", "animation_module"), "name_fr", "cannot be empty"),
        (EntryForm("x" * 200, "", "", "", "animation_module"), "name_fr", "at most 80"),
        (EntryForm("Groupe", "", "", "x" * 81, "animation_module"), "name_de", "at most 80"),
        (EntryForm("groupe de parole pour MÈRES", "", "", "", "other"), "name_fr", "already"),
        (EntryForm("Atelier", "Praatgroep voor moeders", "", "", "other"), "name_nl", "already"),
        (EntryForm("Atelier vélo", "", "", "", "cycling"), "network", "network's list"),
    ],
)
def test_a_bad_entry_is_refused_under_its_field_and_nothing_is_saved(
    coordinator: OpenDesk, form: EntryForm, field: str, message: str
) -> None:
    before = activity_lists.desk_lists(coordinator)
    with pytest.raises(ValidationError, match=message) as refused:
        activity_lists.save_entry(coordinator, DeskList.KINDS, form)
    assert refused.value.field == field
    assert activity_lists.desk_lists(coordinator) == before
    assert _audited(coordinator, "activity.list_edit") == 0


def test_the_desk_language_is_the_one_name_required(coordinator: OpenDesk) -> None:
    # The test desk speaks French: a Dutch name alone is not enough, a French one is.
    with pytest.raises(ValidationError) as refused:
        activity_lists.save_entry(
            coordinator, DeskList.AUDIENCES, EntryForm("", "Grootouders", "", "", "adults")
        )
    assert refused.value.field == "name_fr"
    # Four name fields look alike: the message says which one is empty.
    assert str(refused.value) == "The name in French cannot be empty."
    saved = activity_lists.save_entry(
        coordinator, DeskList.AUDIENCES, EntryForm("Grands-parents", "", "", "", "adults")
    )
    entry = activity_lists.desk_lists(coordinator).audience(saved)
    # Shown in French on a Dutch screen until someone gives the Dutch name.
    assert entry.label_in("nl") == "Grands-parents"


def test_a_retired_entry_is_put_back_in_use_audited(coordinator: OpenDesk) -> None:
    activity_lists.retire_entry(coordinator, "digital_workshop")
    activity_lists.restore_entry(coordinator, "digital_workshop")
    lists = activity_lists.desk_lists(coordinator)
    assert "digital_workshop" in {entry.id for entry in lists.active(DeskList.KINDS)}
    activity_lists.restore_entry(coordinator, "digital_workshop")  # in use already: no change
    assert _audited(coordinator, "activity.list_restore") == 1
    with pytest.raises(RecordNotFound):
        activity_lists.restore_entry(coordinator, "no_such_entry")


def test_the_entries_in_use_are_those_activities_are_recorded_with(
    coordinator: OpenDesk,
) -> None:
    _record(coordinator, date(2026, 3, 12), "discussion_group", Audience.WOMEN, 7)
    assert activity_lists.entries_in_use(coordinator, DeskList.KINDS) == {"discussion_group"}
    assert activity_lists.entries_in_use(coordinator, DeskList.AUDIENCES) == {"women"}


def test_a_new_entry_saved_twice_is_made_once(coordinator: OpenDesk) -> None:
    made = "0f7c7a3e-5d0e-4d2b-9d7e-6a0f2b9f4c11"
    for _ in range(2):
        activity_lists.save_entry(coordinator, DeskList.KINDS, THEATRE, made, new=True)
    with coordinator.transaction() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(ActivityListEntry)
                .where(ActivityListEntry.id == made)
            )
            == 1
        )
    assert _audited(coordinator, "activity.list_edit") == 1


def _as_schema_one(net: Network, path: Path, *, keep_new_cells: bool = False) -> Path:
    """The file as a desk still on counts schema 1 writes it: no cells for the group work
    counted apart since, signed by the desk."""
    document = json.loads(crypto.age_decrypt(hub_secret(net), path.read_bytes()))
    values = document["counts"]
    if not keep_new_cells:
        for code, cells in values.items():
            values[code] = {
                combo: value
                for combo, value in cells.items()
                if combo in ind.BY_CODE[code].combo_codes_of_schema(1)
            }
    manifest = document["manifest"]
    manifest["schema_version"] = 1
    manifest["payload_sha256"] = counts_document.payload_sha256(values)
    with net.desk.transaction() as session:
        signing = repositories.signing_key(session)
        assert signing is not None
        signed = counts_document.canonical({"manifest": manifest, "counts": values})
        document["signature"] = crypto.sign(signing.private_key, signed).hex()
    recipient = keys.own_public_key(net.hub).age_recipient
    assert recipient is not None
    out = path.with_name("schema1-" + path.name)
    out.write_bytes(crypto.age_encrypt(recipient, counts_document.canonical(document)))
    return out


def test_a_file_of_a_desk_still_on_schema_one_merges_with_the_new_cells_at_zero(
    net: Network,
) -> None:
    old = _as_schema_one(net, net.export())
    [result] = network.import_files(net.hub, [old], TODAY)
    assert result.outcome is network.Outcome.ACCEPTED, result.message
    [merged] = network.desk_counts(net.hub, [MARCH])
    assert merged.value(ind.PARTICIPANTS, "LA_CABANE", "CHILDREN") == 14
    assert merged.value(ind.PARTICIPANTS, "DISCUSSION_GROUP", "WOMEN") == 0
    assert merged.values == counts.month_counts(net.desk, MARCH, TODAY).values


def test_a_schema_one_file_with_the_cells_of_schema_two_is_malformed(net: Network) -> None:
    forged = _as_schema_one(net, net.export(), keep_new_cells=True)
    [result] = network.import_files(net.hub, [forged], TODAY)
    assert result.outcome is network.Outcome.REFUSED
    assert result.message.startswith("Malformed (counts: cells of PVIF_ACTIVITIES")
    assert network.desk_counts(net.hub, [MARCH]) == []


def test_the_demo_records_the_group_work_and_the_parents_of_la_cabane(
    reception: OpenDesk, coordinator: OpenDesk
) -> None:
    demo_resources.fill_resources(reception, 1, reception.user.id, seed=7, today=TODAY)
    months = [MARCH.shifted(-n) for n in range(12)]
    kinds, audiences = set(), set()
    for month in months:
        for row in activities.activities_of(reception, month, month):
            kinds.add(row.kind.id)
            audiences.add((row.kind.id, row.audience.id))
    assert {"discussion_group", "support_group", "la_cabane"} <= kinds
    assert ("la_cabane", CABANE_PARENTS) in audiences
    counted = counts.month_counts(coordinator, Month(2026, 2), TODAY)
    assert counted.value(ind.ACTIVITIES, "LA_CABANE", "PARENTS") == 1
    assert counted.value(ind.ACTIVITIES, "DISCUSSION_GROUP", "WOMEN") == 1


def test_a_desk_kind_counted_as_a_training_is_in_the_training_plan(
    coordinator: OpenDesk,
) -> None:
    supervision = activity_lists.save_entry(
        coordinator,
        DeskList.KINDS,
        EntryForm("Intervision des référents", "", "", "", ActivityKind.TRAINING),
    )
    _record(coordinator, date(2026, 3, 12), supervision, Audience.REFERENTS, 9)
    _record(coordinator, date(2026, 3, 13), "discussion_group", Audience.WOMEN, 7)
    [training] = network_resources.training_plan(coordinator, date(2026, 3, 1), date(2026, 3, 31))
    assert training.kind.label_in("fr") == "Intervision des référents"
    network_resources.set_attendance(coordinator, training.activity_id, frozenset(), None)
