"""The hash-chained audit log: it only grows, and any change, removal, reordering or
truncation is found by `verify`, with its position (goal G15)."""

from __future__ import annotations

import csv
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from app.domain.audit_verification import ChainEvent, ChainHead, first_break
from app.errors import AccessDenied, TargetExists
from app.services import audit_log, auth, intake
from app.services.open_desk import OpenDesk
from db.audit_chain import GENESIS, event_hash
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, DeskFixture
from tests.factories import named_intake

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates


def used_desk(desk: DeskFixture) -> OpenDesk:
    """A desk with a few days of work behind it: sign-ins, intakes, locks."""
    for _day in range(3):
        reception = desk.unlock("rita", STAFF_PASSWORD)
        intake.record_intake(reception, named_intake())
        auth.lock(reception)
    return desk.unlock()


def test_normal_use_leaves_an_intact_chain_anchored_in_the_key_file(desk: DeskFixture) -> None:
    admin = used_desk(desk)
    try:
        report = audit_log.verify(admin)
        assert report.broken is None and report.events >= 12
        assert report.message.startswith("The audit log is intact")
    finally:
        auth.lock(admin)
    from app import keyfile

    head = keyfile.read(keyfile.path_for(desk.database)).audit_head
    assert head is not None and head[0] >= report.events


def sql(desk: OpenDesk, statement: str) -> None:
    with desk.transaction() as session:
        session.execute(text(statement))


def test_the_log_refuses_changes_and_deletions(desk: DeskFixture) -> None:
    admin = used_desk(desk)
    try:
        for statement in (
            "UPDATE audit_event SET action = 'x' WHERE id = 2",
            "DELETE FROM audit_event WHERE id = 2",
            "DELETE FROM audit_event",
        ):
            with pytest.raises(DatabaseError, match="append-only"):
                sql(admin, statement)
        assert audit_log.verify(admin).broken is None
    finally:
        admin.close()


@pytest.mark.parametrize(
    ("tampering", "position", "kind"),
    [
        ("UPDATE audit_event SET user_id = NULL WHERE id = 5", 5, "changed"),
        (
            "UPDATE audit_event SET occurred_at = '2020-01-01 00:00:00.000000' WHERE id = 7",
            7,
            "changed",
        ),
        ("DELETE FROM audit_event WHERE id = 4", 4, "changed"),
        (
            "UPDATE audit_event SET action = CASE id WHEN 3 THEN (SELECT action FROM audit_event "
            "WHERE id = 6) ELSE (SELECT action FROM audit_event WHERE id = 3) END "
            "WHERE id IN (3, 6)",
            3,
            "changed",
        ),
    ],
)
def test_an_insider_with_a_sql_tool_is_found_out(
    desk: DeskFixture, tampering: str, position: int, kind: str
) -> None:
    admin = used_desk(desk)
    try:
        # Someone who holds the key and drops the triggers first.
        sql(admin, "DROP TRIGGER audit_event_no_update")
        sql(admin, "DROP TRIGGER audit_event_no_delete")
        sql(admin, tampering)
        report = audit_log.verify(admin)
        assert report.broken is not None
        assert (report.broken.position, report.broken.kind) == (position, kind)
        assert f"at position {position}" in report.message
    finally:
        admin.close()


def test_events_cut_from_the_end_show_against_the_key_file(desk: DeskFixture) -> None:
    admin = used_desk(desk)
    auth.lock(admin)  # the head goes into the key file
    admin = desk.unlock()
    try:
        sql(admin, "DROP TRIGGER audit_event_no_delete")
        with admin.transaction() as session:
            last = session.execute(text("SELECT max(id) FROM audit_event")).scalar_one()
        # The sign-in just now and everything up to the last lock go.
        sql(admin, f"DELETE FROM audit_event WHERE id >= {last - 3}")
        report = audit_log.verify(admin)
        assert report.broken is not None and report.broken.kind == "truncated"
        assert "cut short" in report.message
    finally:
        admin.close()


def chain(length: int, generator: random.Random) -> list[ChainEvent]:
    events, previous = [], GENESIS
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for number in range(1, length + 1):
        fields = (
            start + timedelta(seconds=generator.randrange(10**7), microseconds=number),
            generator.choice([None, "u1", "u2"]),
            generator.choice(["auth.login", "case.view", "counts.export", "auth.lock"]),
            generator.choice([None, "case", "user"]),
            generator.choice([None, "c1", "c2"]),
            generator.choice(["ok", "denied"]),
        )
        previous = event_hash(previous, *fields)
        events.append(ChainEvent(number, *fields, previous))
    return events


def test_a_thousand_and_more_tamperings_are_all_detected() -> None:
    generator = random.Random(15)
    detected = 0
    for _round in range(1200):
        events = chain(generator.randint(2, 40), generator)
        head = ChainHead(events[-1].id, events[-1].chain_hash or "")
        assert first_break(events, head) is None
        tampered = list(events)
        kind = generator.choice(["edit", "delete", "swap", "truncate"])
        index = generator.randrange(len(tampered))
        if kind == "edit":
            field = generator.choice(["action", "user_id", "outcome", "target_id"])
            old = getattr(tampered[index], field)
            tampered[index] = replace(tampered[index], **{field: f"{old}!"})
            expected = index + 1
        elif kind == "delete":
            del tampered[index]
            # The next event no longer follows; the last one gone is seen by the anchor.
            expected = index + 1 if index < len(tampered) else None
        elif kind == "swap":
            other = generator.choice([i for i in range(len(tampered)) if i != index])
            low, high = sorted((index, other))
            a, b = tampered[low], tampered[high]
            # Contents swapped, numbers kept: a reordering of what happened.
            tampered[low] = replace(b, id=a.id)
            tampered[high] = replace(a, id=b.id)
            expected = low + 1
        else:
            del tampered[index:]
            expected = None
        found = first_break(tampered, head)
        assert found is not None, (kind, index)
        if expected is None:
            assert found.kind == "truncated"
        else:
            assert (found.position, found.kind) == (expected, "changed"), (kind, index, found)
        detected += 1
    assert detected == 1200


def test_the_export_for_the_data_protection_officer(
    desk: DeskFixture, tmp_path: Path, reception: OpenDesk
) -> None:
    admin = used_desk(desk)
    try:
        target = tmp_path / "audit.csv"
        count = audit_log.export_csv(admin, target)
        rows = list(csv.reader(target.open()))
        assert tuple(rows[0]) == audit_log.CSV_COLUMNS
        assert len(rows) - 1 == count
        assert {"auth.login", "case.intake", "auth.lock"} <= {r[3] for r in rows[1:]}
        assert "rita" in {r[2] for r in rows[1:]}
        with pytest.raises(TargetExists):
            audit_log.export_csv(admin, target)
        with pytest.raises(AccessDenied):
            audit_log.export_csv(reception, tmp_path / "mine.csv")
        with pytest.raises(AccessDenied):
            audit_log.verify(reception)
        listed = audit_log.entries(admin, audit_log.AuditFilter(action="case.intake"))
        assert len(listed) == 3 and all(e.user_name == "rita" for e in listed)
        assert ADMIN_PASSWORD not in target.read_text()
    finally:
        admin.close()
