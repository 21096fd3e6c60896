"""The duplicate check against what a review found: dozens of cases sharing a shelter's
phone hid the one case sharing the e-mail typed (a second case opened without a word); and
typing a phone or an e-mail named cases (pseudonym, code, last contact) with no trace in
the audit log, a look-up the case list does not even offer."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.domain.duplicates import DuplicateProbe, MatchedField
from app.domain.intake import IdentityForm
from app.errors import AccessDenied
from app.services import audit, intake
from app.services.open_desk import OpenDesk
from db.models import AuditEvent
from tests.factories import named_intake
from tests.ui.user import User
from ui import tasks
from ui.pages.intake_page import IntakePage
from ui.widgets.duplicate_panel import DEBOUNCE_MS

SHELTER_PHONE = "0470 12 34 56"


def test_an_email_match_is_found_whatever_shares_the_phone(reception: OpenDesk) -> None:
    for number in range(intake.MAX_CANDIDATES):
        identity = IdentityForm(pseudonym=f"R{number}", phone=SHELTER_PHONE)
        intake.record_intake(reception, named_intake(f"R{number}", identity=identity))
    own = intake.record_intake(
        reception,
        named_intake(
            "Zoé",
            identity=IdentityForm(pseudonym="Zoé", phone="0499 00 00 01", email="zoe@example.be"),
        ),
    )
    found = intake.likely_duplicates(
        reception, DuplicateProbe(phone=SHELTER_PHONE, email="zoe@example.be")
    )
    by_case = {candidate.case_id: candidate for candidate in found}
    assert MatchedField.EMAIL in by_case[own.case_id].matched


def shown_cases(desk: OpenDesk) -> list[str | None]:
    with desk.transaction() as session:
        return [
            event.target_id
            for event in session.query(AuditEvent).filter(
                AuditEvent.action == audit.DUPLICATE_SHOWN
            )
        ]


def test_a_case_named_by_a_phone_typed_is_in_the_audit_log_once(
    qtbot: QtBot, reception: OpenDesk
) -> None:
    known = intake.record_intake(reception, named_intake("Hélène"))
    page = IntakePage()
    qtbot.addWidget(page)
    page.open_desk(reception)
    page.show()
    user = User(qtbot, page)
    user.type("Phone", "+32 470 12 34 56")
    qtbot.waitUntil(lambda: user.sees("Cases that may be this person's"))
    tasks.wait_for_all()
    assert shown_cases(reception) == [known.case_id]
    user.type("Pseudonym", "Zo")  # more typing: the same case again
    qtbot.wait(DEBOUNCE_MS * 2)
    tasks.wait_for_all()
    assert shown_cases(reception) == [known.case_id]  # recorded once for this form
    page.clear()


def test_a_coordinator_cannot_look_up(coordinator: OpenDesk) -> None:
    with pytest.raises(AccessDenied):
        intake.likely_duplicates(coordinator, DuplicateProbe(phone=SHELTER_PHONE))
