"""Keeping the directory true: who verified an entry and when, recorded by the service (never
taken from a form), carried in the signed packs, and the entries due for review after
twelve months."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app import clock
from app.domain.directory import (
    HAVRE_TEAM,
    Verification,
    Verifier,
    VerifierKind,
    entry_from_json,
    entry_to_json,
)
from app.domain.directory_review import due_for_review, months_since, review_due
from app.errors import ValidationError
from app.services import audit, directory, directory_packs
from app.services.directory_packs import PackRefused
from app.services.directory_seed import load_seed
from app.services.open_desk import OpenDesk
from db import directory_queries
from db.models import AuditEvent
from tests.conftest import TestClock
from tests.unit.test_directory_packs import member, network  # noqa: F401 (fixtures)
from tests.unit.test_protocols import _signed

pytestmark = pytest.mark.dates

ANNE = Verifier(VerifierKind.PERSON, "Anne Martin", "SG", "Permanence Saint-Gilles")


def _seed_entry(key: str = "respect-seniors") -> Any:
    return next(e for e in load_seed() if e.key == key)


def _at(test_clock: TestClock, day: date) -> None:
    test_clock.set(datetime.combine(day, time(10), tzinfo=clock.BRUSSELS))


# -- the verifier, as entries carry it -----------------------------------------------------


def test_the_seed_was_verified_by_the_havre_team_unless_it_says_otherwise() -> None:
    assert all(e.verified_by == HAVRE_TEAM for e in load_seed())
    entry = replace(_seed_entry(), verified_by=ANNE)
    assert entry_from_json(entry_to_json(entry)) == entry
    assert entry_from_json(entry_to_json(_seed_entry())).verified_by == HAVRE_TEAM
    day = _seed_entry().last_verified
    assert day is not None
    assert _seed_entry().verified_text() == (
        f"Verified by Havre team (public sources) on {day.day:02d}/{day.month:02d}/{day.year}."
    )


def test_an_entry_without_a_verifier_is_read_as_not_recorded() -> None:
    raw = entry_to_json(_seed_entry())
    del raw["verified_by"]
    entry = entry_from_json(raw)
    assert entry.verified_by is None
    assert "by whom was not recorded" in entry.verified_text()
    assert "Never verified" in replace(entry, last_verified=None).verified_text()


@pytest.mark.parametrize(
    ("verifier", "reason"),
    [
        ("Anne Martin", "must say who verified"),
        ({"kind": "robot", "name": "x", "desk_code": "SG"}, "robot is not allowed"),
        ({"kind": "person", "desk_code": "SG"}, "verifier's name cannot be empty"),
        ({"kind": "person", "name": "A" * 121, "desk_code": "SG"}, "at most 120 characters"),
        ({"kind": "person", "name": "Anne\u0007", "desk_code": "SG"}, "control characters"),
        ({"kind": "person", "name": ["Anne"], "desk_code": "SG"}, "verified_by.name must be text"),
        ({"kind": "person", "name": "Anne", "desk_code": "sg; DROP"}, "is not a desk code"),
        ({"kind": "person", "name": "Anne"}, "is not a desk code"),
        (
            {"kind": "person", "name": "Anne", "desk_code": "SG", "desk_name": "D" * 121},
            "at most 120 characters",
        ),
    ],
)
def test_a_malformed_or_overlong_verifier_is_refused_with_its_reason(
    verifier: object, reason: str
) -> None:
    raw = entry_to_json(_seed_entry())
    raw["verified_by"] = verifier
    with pytest.raises(ValidationError, match=reason) as refused:
        entry_from_json(raw)
    assert refused.value.field == "verified_by"


# -- twelve months -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verified", "today", "months", "due"),
    [
        (date(2025, 11, 17), date(2026, 11, 17), 12, True),  # exactly twelve months
        (date(2025, 11, 18), date(2026, 11, 17), 11, False),  # one day short
        (date(2025, 11, 16), date(2026, 11, 17), 12, True),
        (date(2024, 11, 17), date(2026, 11, 17), 24, True),
        (date(2026, 11, 17), date(2026, 11, 17), 0, False),  # today
        # Verified on a leap day: twelve whole months are over on 1 March, not 28 February.
        (date(2024, 2, 29), date(2025, 2, 28), 11, False),
        (date(2024, 2, 29), date(2025, 3, 1), 12, True),
        # Today is a leap day: a year after 28 February, a day short of one after 1 March.
        (date(2023, 2, 28), date(2024, 2, 29), 12, True),
        (date(2023, 3, 1), date(2024, 2, 29), 11, False),
        # The last day of a month.
        (date(2026, 3, 31), date(2027, 3, 31), 12, True),
        (date(2025, 12, 31), date(2026, 12, 30), 11, False),
    ],
)
def test_an_entry_is_due_for_review_twelve_whole_months_after_its_verification(
    verified: date, today: date, months: int, due: bool
) -> None:
    entry = replace(_seed_entry(), last_verified=verified)
    assert months_since(verified, today) == months
    assert review_due(entry, today) is due
    assert [item.months for item in due_for_review([entry], today)] == ([months] if due else [])


def test_an_entry_never_verified_is_due_and_a_retired_one_never() -> None:
    today = date(2026, 11, 17)
    never = replace(_seed_entry(), key="never-checked", last_verified=None, verified_by=None)
    old = replace(_seed_entry(), last_verified=date(2024, 1, 5))
    retired = replace(old, key="gone", retired=True)
    items = due_for_review([old, retired, never], today)
    assert [(i.entry.key, i.months) for i in items] == [("never-checked", None), (old.key, 34)]
    assert [i.since_text() for i in items] == ["never verified", "34 months ago"]


# -- who verified, recorded by the service -------------------------------------------------


def _events(desk: OpenDesk, action: str) -> list[tuple[str | None, str | None, str]]:
    with desk.transaction() as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
        return [(e.user_id, e.target_id, e.outcome) for e in rows]


def test_verified_today_records_the_account_its_desk_and_the_day(
    coordinator: OpenDesk, reception: OpenDesk, test_clock: TestClock
) -> None:
    _at(test_clock, date(2027, 2, 3))
    verified = directory.mark_verified(coordinator, "sapv-zone-midi-saint-gilles")
    assert verified.verified_by == Verifier(
        VerifierKind.PERSON, "Cora", "SG", "Permanence Saint-Gilles"
    )
    seen = directory.entry(reception, "sapv-zone-midi-saint-gilles")
    assert seen == verified
    assert seen.last_verified == date(2027, 2, 3)
    assert seen.verification is Verification.VERIFIED
    assert seen.verified_text() == (
        "Verified by Cora (desk SG, Permanence Saint-Gilles) on 03/02/2027."
    )
    assert _events(coordinator, audit.DIRECTORY_VERIFIED) == [
        (coordinator.user.id, "sapv-zone-midi-saint-gilles", audit.OK)
    ]


def test_a_form_cannot_say_who_verified_an_entry_nor_when(
    coordinator: OpenDesk, test_clock: TestClock
) -> None:
    _at(test_clock, date(2027, 2, 3))
    stored = directory.entry(coordinator, "respect-seniors")
    forged = replace(stored, phone="0800 30 331", last_verified=date(2027, 2, 1), verified_by=ANNE)
    edited = directory.save(coordinator, forged, is_new=False)
    assert edited.phone == "0800 30 331"
    assert (edited.last_verified, edited.verified_by) == (stored.last_verified, HAVRE_TEAM)
    assert _events(coordinator, audit.DIRECTORY_VERIFIED) == []

    # A new entry checked against its source is verified today by the person adding it...
    new = replace(forged, key="maison-des-femmes", names={"fr": "Maison des femmes"})
    added = directory.save(coordinator, new, is_new=True)
    assert added.last_verified == date(2027, 2, 3) and added.verified_by is not None
    assert added.verified_by.name == "Cora"
    # ...one to verify was never verified, whatever its form said.
    unsure = replace(new, key="a-verifier", verification=Verification.TO_VERIFY)
    added = directory.save(coordinator, unsure, is_new=True)
    assert (added.last_verified, added.verified_by) == (None, None)
    # Ticking "checked against the live source" on an entry to verify verifies it.
    ticked = directory.save(
        coordinator, replace(added, verification=Verification.VERIFIED), is_new=False
    )
    assert ticked.last_verified == date(2027, 2, 3) and ticked.verified_by is not None
    assert [target for _user, target, _outcome in _events(coordinator, "directory.verify")] == [
        "maison-des-femmes",
        "a-verifier",
    ]
    # Untied again, it keeps the day and the person of its last verification.
    untied = directory.save(
        coordinator, replace(ticked, verification=Verification.TO_VERIFY), is_new=False
    )
    assert (untied.last_verified, untied.verified_by) == (
        ticked.last_verified,
        ticked.verified_by,
    )


def test_the_coordinator_sees_the_entries_due_for_review(
    coordinator: OpenDesk, test_clock: TestClock
) -> None:
    days = sorted({e.last_verified for e in load_seed() if e.last_verified})
    first, last = days[0], days[-1]
    never = {e.key for e in load_seed() if e.last_verified is None}
    _at(test_clock, date(first.year + 1, first.month, first.day) - timedelta(days=1))
    assert {i.entry.key for i in directory.due_for_review(coordinator)} == never
    _at(test_clock, date(first.year + 1, first.month, first.day))  # exactly twelve months
    due = directory.due_for_review(coordinator)
    assert {i.entry.key for i in due} == never | {
        e.key for e in load_seed() if e.last_verified == first
    }
    _at(test_clock, date(last.year + 1, last.month, last.day))
    due = directory.due_for_review(coordinator)
    assert len(due) == len(load_seed()) and 12 in {i.months for i in due}
    directory.mark_verified(coordinator, "respect-seniors")
    directory.retire(coordinator, "olista")
    keys = [i.entry.key for i in directory.due_for_review(coordinator)]
    assert "respect-seniors" not in keys and "olista" not in keys
    assert len(keys) == len(load_seed()) - 2


def test_the_column_of_the_day_follows_the_document(coordinator: OpenDesk) -> None:
    directory.mark_verified(coordinator, "respect-seniors")
    with coordinator.transaction() as session:
        for row in directory_queries.entries(session):
            assert row.last_verified == entry_from_json(json.loads(row.document)).last_verified


# -- in the signed packs ---------------------------------------------------------------------


def test_who_verified_travels_in_the_pack_and_the_importer_sees_it(
    network: OpenDesk,  # noqa: F811
    member: OpenDesk,  # noqa: F811
    tmp_path: Path,
    test_clock: TestClock,
) -> None:
    _at(test_clock, date(2027, 2, 3))
    directory.mark_verified(network, "respect-seniors")
    pack = tmp_path / "v1.havre-directory"
    directory_packs.export_pack(network, pack)
    preview = directory_packs.read_pack(member, pack)
    name = _seed_entry().name("en")
    assert preview.changed == (f"{name} — Verified by Ada Admin (desk NET, Réseau) on 03/02/2027.",)
    directory_packs.apply_pack(member, preview)
    imported = directory.entry(member, "respect-seniors")
    assert imported.verified_by == Verifier(VerifierKind.PERSON, "Ada Admin", "NET", "Réseau")
    assert imported.last_verified == date(2027, 2, 3)
    assert directory.entry(member, "olista").verified_by == HAVRE_TEAM


def test_an_older_pack_without_verifiers_still_imports(
    network: OpenDesk,  # noqa: F811
    member: OpenDesk,  # noqa: F811
    tmp_path: Path,
) -> None:
    pack = tmp_path / "v1.havre-directory"
    directory_packs.export_pack(network, pack)

    def as_older_havre_wrote_it(document: dict[str, Any]) -> None:
        for raw in document["entries"]:
            del raw["verified_by"]
        document["entries"][0]["phone"] = "0800 30 331"

    preview = directory_packs.read_pack(member, _signed(network, pack, as_older_havre_wrote_it))
    assert len(preview.changed) == len(load_seed())
    assert all("(by whom was not recorded)" in line for line in preview.changed)
    directory_packs.apply_pack(member, preview)
    assert directory_packs.current_version(member) == 1
    assert all(e.verified_by is None for e in directory.all_entries(member))


@pytest.mark.parametrize(
    ("verifier", "reason"),
    [
        ({"kind": "person", "name": "X" * 5000, "desk_code": "NET"}, "at most 120 characters"),
        ({"kind": "person", "name": "Ada\nAdmin", "desk_code": "NET"}, "control characters"),
        ("Ada Admin", "must say who verified"),
        ({"kind": "person", "name": "Ada", "desk_code": 7}, "desk_code must be text"),
        ({"kind": "admin-of-everything"}, "not allowed in verified_by"),
    ],
)
def test_a_pack_with_a_malformed_verifier_is_refused_and_imports_nothing(
    network: OpenDesk,  # noqa: F811
    member: OpenDesk,  # noqa: F811
    tmp_path: Path,
    verifier: object,
    reason: str,
) -> None:
    pack = tmp_path / "v1.havre-directory"
    directory_packs.export_pack(network, pack)
    before = (directory_packs.current_version(member), directory.all_entries(member))

    def spoil(document: dict[str, Any]) -> None:
        document["entries"][-1]["verified_by"] = verifier

    with pytest.raises(PackRefused, match="An entry of this pack is not valid: .*" + reason):
        directory_packs.read_pack(member, _signed(network, pack, spoil))
    assert (directory_packs.current_version(member), directory.all_entries(member)) == before


def test_an_entry_still_to_verify_says_it_was_read_again_not_verified() -> None:
    """ "Verified by … on …" beside "TO VERIFY" read as a contradiction."""
    entry = replace(
        _seed_entry(), verification=Verification.TO_VERIFY, last_verified=date(2026, 12, 4)
    )
    assert entry.verified_text() == (
        "Sources read again by the Havre team on 04/12/2026; to confirm with the service."
    )
    assert replace(entry, verified_by=ANNE).verified_text() == (
        "Read again by Anne Martin (desk SG, Permanence Saint-Gilles) on 04/12/2026; "
        "to confirm with the service."
    )
    assert replace(entry, verified_by=None).verified_text() == (
        "Read again on 04/12/2026 (by whom was not recorded); to confirm with the service."
    )
    assert replace(entry, verification=Verification.VERIFIED).verified_text() == (
        "Verified by Havre team (public sources) on 04/12/2026."
    )
