"""An insider with one account tries to make a directory entry look verified: a reception or
counsellor account calling the service itself (as a script with the data key could), one
that wrote itself an unsigned coordinator role, and a coordinator who puts a colleague's
name or an older day in the form. The service refuses the first ones and records the
refusal; it stamps the real account and today whatever a form says; and the audit chain
shows who marked what verified."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select, text

from app.domain.directory import Verification, Verifier, VerifierKind
from app.errors import AccessDenied
from app.services import audit, audit_log, directory
from app.services.open_desk import OpenDesk
from db.models import AuditEvent
from tests.conftest import STAFF_PASSWORD, DeskFixture

ENTRY = "sapv-zone-midi-saint-gilles"  # "to verify" in the shipped directory


def _audit(desk: OpenDesk) -> list[tuple[str | None, str, str | None, str | None, str]]:
    with desk.transaction() as session:
        return [
            (e.user_id, e.action, e.target_type, e.target_id, e.outcome)
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


@pytest.mark.parametrize("user", ["rita", "carl"])
def test_an_account_without_the_right_cannot_mark_an_entry_verified(
    desk: DeskFixture, admin_desk: OpenDesk, user: str
) -> None:
    insider = desk.unlock(user, STAFF_PASSWORD)
    try:
        before = directory.entry(admin_desk, ENTRY)
        assert before.verification is Verification.TO_VERIFY
        with pytest.raises(AccessDenied):
            directory.mark_verified(insider, ENTRY)
        with pytest.raises(AccessDenied):  # nor through an edit ticking "verified"
            directory.save(
                insider, replace(before, verification=Verification.VERIFIED), is_new=False
            )
        with pytest.raises(AccessDenied):  # nor read the list of entries due
            directory.due_for_review(insider)
        assert directory.entry(admin_desk, ENTRY) == before
        refusals = [e for e in _audit(admin_desk) if e[1] == audit.ACCESS_DENIED]
        assert (insider.user.id, audit.ACCESS_DENIED, "directory.verify", None, "denied") in (
            refusals
        )
        assert not [e for e in _audit(admin_desk) if e[1] == audit.DIRECTORY_VERIFIED]
    finally:
        insider.close()


def test_a_coordinator_role_the_insider_wrote_itself_gives_no_right(
    reception: OpenDesk, admin_desk: OpenDesk
) -> None:
    with reception.transaction() as session:
        session.execute(
            text("INSERT INTO user_role (user_id, role) VALUES (:user, 'coordinator')"),
            {"user": reception.user.id},
        )
    before = directory.entry(admin_desk, ENTRY)
    with pytest.raises(AccessDenied):
        directory.mark_verified(reception, ENTRY)
    assert directory.entry(admin_desk, ENTRY) == before


def test_a_form_naming_someone_else_or_another_day_is_stamped_with_the_real_account(
    coordinator: OpenDesk, admin_desk: OpenDesk
) -> None:
    stored = directory.entry(coordinator, ENTRY)
    colleague = Verifier(VerifierKind.PERSON, "Ada Admin", "SG", "Permanence Saint-Gilles")
    forged = replace(
        stored,
        verification=Verification.VERIFIED,
        verified_by=colleague,
        last_verified=date(2020, 1, 1),
    )
    saved = directory.save(coordinator, forged, is_new=False)
    assert saved.verified_by is not None and saved.verified_by.name == "Cora"
    assert saved.last_verified != date(2020, 1, 1)
    # The audit chain says who did it, signed by her account, and it verifies.
    verified = [e for e in _audit(admin_desk) if e[1] == audit.DIRECTORY_VERIFIED]
    assert verified == [
        (coordinator.user.id, audit.DIRECTORY_VERIFIED, "directory_entry", ENTRY, "ok")
    ]
    report = audit_log.verify(admin_desk)
    assert report.intact and not report.signatures.unsigned
