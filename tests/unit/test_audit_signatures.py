"""An audit log that says what it proves (issue 19, point 4), written as the insider who
found it open: holding the data key, it dropped the triggers, changed or deleted events,
recomputed the later hashes and re-anchored the key file (whose MAC the data key makes):
3 of 13 such tamperings passed as "intact"."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select, text

from app import crypto, keyfile
from app.errors import ValidationError
from app.services import audit, audit_anchor, audit_log, auth
from app.services.open_desk import OpenDesk
from db.models import AuditEvent
from tests.audit_support import rechain
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, DeskFixture
from tests.counts_support import MARCH, Network
from tests.unit.test_audit_log import used_desk

pytestmark = pytest.mark.dates


def rewrite(insider: OpenDesk, change: str, *, strip_signatures: bool = False) -> None:
    """What an insider with the data key and a SQL tool can do: drop the triggers, change
    the log, recompute every chain hash after it, and anchor the key file again."""
    with insider.transaction() as session:
        session.execute(text("DROP TRIGGER IF EXISTS audit_event_no_update"))
        session.execute(text("DROP TRIGGER IF EXISTS audit_event_no_delete"))
        session.execute(text(change))
        head = rechain(session, strip_from=0 if strip_signatures else None)
    assert head is not None
    data_key = insider.data_key()
    key_path = insider.key_file_path
    current = keyfile.verify(key_path, data_key)
    keyfile.write(key_path, replace(current, audit_head=head), data_key)


def first_event_of(desk: OpenDesk, user_name: str) -> int:
    with desk.transaction() as session:
        return session.execute(
            text(
                "SELECT min(e.id) FROM audit_event e JOIN user u ON u.id = e.user_id "
                "WHERE u.user_name = :name AND e.signature IS NOT NULL"
            ),
            {"name": user_name},
        ).scalar_one()


@pytest.mark.parametrize(
    ("change", "strip"),
    [
        ("UPDATE audit_event SET target_id = 'elsewhere' WHERE id = {event}", False),
        ("UPDATE audit_event SET target_id = 'elsewhere' WHERE id = {event}", True),
        ("DELETE FROM audit_event WHERE id = {event}", False),
        ("UPDATE audit_event SET user_id = NULL WHERE id = {event}", False),
        (
            "UPDATE audit_event SET occurred_at = '2020-01-01 00:00:00.000000' WHERE id = {event}",
            True,
        ),
    ],
)
def test_rewriting_another_accounts_events_shows_even_with_the_chain_recomputed(
    desk: DeskFixture, change: str, strip: bool
) -> None:
    admin = used_desk(desk)
    event = first_event_of(admin, "rita")
    admin.close()
    insider = desk.unlock("rita", STAFF_PASSWORD)
    # The insider holds only its own account key: it rewrites the administrator's event.
    target = first_event_of(insider, "admin")
    insider.close()
    insider = desk.unlock("rita", STAFF_PASSWORD)
    rewrite(insider, change.format(event=max(event, target)), strip_signatures=strip)
    insider.close()
    admin = desk.unlock()
    try:
        report = audit_log.verify(admin)
    finally:
        admin.close()
    assert not report.intact  # the chain was recomputed, but the signatures show the rewrite
    assert report.signatures.forged or report.signatures.unsigned or report.broken
    assert "Tell the data protection officer" in report.message


def verified(database: object, given: audit_anchor.Anchor | None = None) -> audit_log.ChainReport:
    admin = auth.unlock(database, "admin", ADMIN_PASSWORD)  # type: ignore[arg-type]
    try:
        return audit_log.verify(admin, given)
    finally:
        admin.close()


def test_the_report_says_what_is_anchored_outside_the_desk(net: Network) -> None:
    report = verified(net.desk.database)
    assert report.external is None and "No anchor outside the desk yet" in report.message
    net.export(MARCH)
    with net.desk.transaction() as session:
        head = session.execute(text("SELECT max(audit_head) FROM counts_export")).scalar_one()
    report = verified(net.desk.database)
    assert report.intact and report.external is not None
    assert report.external.event_id == head and report.external.matches
    assert (
        f"Last anchor outside the desk: event {head}, in the counts file for 2026-03"
        in report.message
    )
    assert f"Events {head + 1} to {report.last} are anchored only inside the desk" in report.message
    assert report.message.startswith(
        f"The audit log is intact: {report.events} events verified, events 1 to {report.last}."
    )


def test_events_cut_below_a_counts_files_anchor_show(net: Network) -> None:
    net.export(MARCH)
    with net.desk.transaction() as session:
        head = session.execute(text("SELECT max(audit_head) FROM counts_export")).scalar_one()
    insider = auth.unlock(net.desk.database, "rita", STAFF_PASSWORD)
    rewrite(insider, f"DELETE FROM audit_event WHERE id >= {head - 2}")
    insider.close()
    report = verified(net.desk.database)
    assert not report.intact
    assert f"carried event {head}, and the log no longer holds it as it was" in report.message


def test_an_anchor_kept_outside_shows_events_cut_after_every_other_anchor(
    desk: DeskFixture, tmp_path: object
) -> None:
    admin = used_desk(desk)
    anchor = audit_anchor.make(admin)
    admin.close()
    printed = audit_anchor.parse("  kept on paper:\n" + anchor.text + "\n")
    assert printed == anchor
    report = verified(desk.database, printed)
    assert report.intact and "is in the log as it was" in report.message
    assert report.external is not None and report.external.period is None
    assert "printed or exported on" in report.message
    insider = auth.unlock(desk.database, "rita", STAFF_PASSWORD)
    rewrite(insider, f"DELETE FROM audit_event WHERE id >= {anchor.event_id - 1}")
    insider.close()
    report = verified(desk.database, printed)
    assert not report.intact
    assert (
        f"The anchor you gave (event {anchor.event_id}) is not in the log as it was"
        in report.message
    )


@pytest.mark.parametrize(
    "text_given",
    [
        "",
        "HAVRE-AUDIT-ANCHOR SG 12",
        "HAVRE-AUDIT-ANCHOR SG x " + "0" * 64 + " 2026-01-01",
        "[" * 100_000,
    ],
)
def test_a_malformed_anchor_is_refused_with_what_to_give(text_given: str) -> None:
    with pytest.raises(ValidationError, match="Give the whole line Havre printed"):
        audit_anchor.parse(text_given)


@pytest.mark.parametrize("action", ["keep", "LOGIN"])
def test_an_event_stripped_of_its_account_and_signature_shows(
    desk: DeskFixture, action: str
) -> None:
    """Found by the review: the insider took the administrator's event's account and
    signature away, recomputed the chain and signed its own later events again with its
    own key: an event without an account was not checked at all."""
    admin = desk.unlock()
    with admin.transaction() as session:
        target = session.scalars(
            select(AuditEvent.id)
            .where(AuditEvent.user_id == admin.user.id)
            .order_by(AuditEvent.id.desc())
            .limit(1)
        ).one()
    admin.close()
    insider = desk.unlock("rita", STAFF_PASSWORD)
    own_key = insider.account_key()
    renamed = "" if action == "keep" else ", action = 'auth.login'"
    rewrite(
        insider,
        f"UPDATE audit_event SET user_id = NULL, signature = NULL{renamed} WHERE id = {target}",
    )
    with insider.transaction() as session:
        for event in session.scalars(select(AuditEvent).where(AuditEvent.id > target)):
            if event.user_id == insider.user.id and event.chain_hash is not None:
                event.signature = crypto.sign(own_key, event.chain_hash.encode())
    insider.close()

    report = verified(desk.database)
    assert not report.intact
    assert target in report.signatures.unsigned


@pytest.mark.parametrize("anchored", [False, True])
def test_a_late_mark_of_where_signing_began_moves_nothing_back(
    desk: DeskFixture, anchored: bool
) -> None:
    """Found by a review: the insider stripped the signatures from an administrator's event
    on, rewrote it, and added an event of its own, signed with its own key, saying the
    desk's authority was made then: everything before it passed as made before signing."""
    admin = used_desk(desk)
    anchor = audit_anchor.make(admin) if anchored else None
    admin.close()
    admin = used_desk(desk)
    with admin.transaction() as session:
        target = session.scalars(
            select(AuditEvent.id)
            .where(AuditEvent.user_id == admin.user.id, AuditEvent.signature.is_not(None))
            .where(AuditEvent.id > (anchor.event_id + 1 if anchor else 1))
            .order_by(AuditEvent.id)
        ).first()
        assert target is not None
    admin.close()
    insider = desk.unlock("rita", STAFF_PASSWORD)
    with insider.transaction() as session:
        session.execute(text("DROP TRIGGER IF EXISTS audit_event_no_update"))
        session.execute(text(f"UPDATE audit_event SET signature = NULL WHERE id >= {target}"))
    rewrite(insider, f"UPDATE audit_event SET target_id = 'elsewhere' WHERE id = {target}")
    with insider.transaction() as session:
        audit.record(session, audit.AUTHORITY_MADE, insider.user.id, target_type="desk")
    insider.close()

    report = verified(desk.database, anchor)
    assert not report.intact and target in report.signatures.unsigned
