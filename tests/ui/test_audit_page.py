"""The administrator's audit log page: events with filters, the chain verified, the export
for the data protection officer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.errors import AccessDenied
from app.services import audit_log, auth, cases, intake
from app.services.open_desk import OpenDesk
from tests.conftest import STAFF_PASSWORD, DeskFixture
from tests.factories import named_intake
from tests.ui.conftest import Prompts
from ui import tasks
from ui.pages.audit_page import AuditPage


def test_events_filters_verification_and_export(
    qtbot: QtBot, desk: DeskFixture, admin_desk: OpenDesk, tmp_path: Path, recorded_prompts: Prompts
) -> None:
    rita = desk.unlock("rita", STAFF_PASSWORD)
    intake.record_intake(rita, named_intake())
    auth.lock(rita)
    page = AuditPage()
    qtbot.addWidget(page)
    page.open_desk(admin_desk)
    page.resize(1000, 600)
    page.show()
    qtbot.waitUntil(lambda: page.table.rowCount() > 0 and page.action.count() > 1)
    page.action.setCurrentIndex(page.action.findData("case.intake"))
    page.show_button.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert page.table.item(0, 2).text() == "Rita Reception"
    assert page.table.item(0, 3).text() == "Intake recorded"
    page.verify_button.click()
    qtbot.waitUntil(lambda: "intact" in page.verdict.text())
    target = tmp_path / "audit.csv"
    page.export_to(target)
    qtbot.waitUntil(lambda: "events written" in page.verdict.text())
    assert target.read_text().startswith("event,time_utc,user,action")
    recorded_prompts.confirm_answer = False
    page.export_to(target)
    qtbot.waitUntil(lambda: bool(recorded_prompts.questions))
    assert "already exists" in recorded_prompts.questions[-1]
    tasks.wait_for_all()
    with admin_desk.transaction() as session:
        session.execute(text("DROP TRIGGER audit_event_no_update"))
        session.execute(text("UPDATE audit_event SET user_id = NULL WHERE action = 'case.intake'"))
    page.verify_button.click()
    qtbot.waitUntil(lambda: "altered at position" in page.verdict.text())
    tasks.wait_for_all()


def test_each_row_says_in_words_who_did_what_on_which_case(
    qtbot: QtBot, desk: DeskFixture, admin_desk: OpenDesk
) -> None:
    rita = desk.unlock("rita", STAFF_PASSWORD)
    saved = intake.record_intake(rita, named_intake())
    with pytest.raises(AccessDenied):
        audit_log.entries(rita, audit_log.AuditFilter())
    auth.lock(rita)
    carl = desk.unlock("carl", STAFF_PASSWORD)
    cases.case_detail(carl, saved.case_id)
    auth.lock(carl)
    page = AuditPage()
    qtbot.addWidget(page)
    page.open_desk(admin_desk)
    page.resize(1000, 600)
    page.show()
    qtbot.waitUntil(lambda: page.table.rowCount() > 3 and page.action.count() > 1)
    rows = [
        [page.table.item(row, column).text() for column in range(2, 6)]
        for row in range(page.table.rowCount())
    ]
    assert ["Rita Reception", "Intake recorded", f"Case {saved.case_code}", "Done"] in rows
    assert ["Carl Counsellor", "Case opened", f"Case {saved.case_code}", "Done"] in rows
    assert ["Rita Reception", "Access refused", "Audit log read", "Refused"] in rows
    assert ["Rita Reception", "Sign-in", "", "Done"] in rows
    shown = " ".join(text for row in rows for text in row)
    shown += " ".join(page.action.itemText(i) for i in range(page.action.count()))
    assert not re.search(r"\b[a-z_]+\.[a-z_]+\b", shown), shown
    assert saved.case_id not in shown
    # The stored codes stay at hand for whoever compares with the export.
    intake_row = rows.index(
        ["Rita Reception", "Intake recorded", f"Case {saved.case_code}", "Done"]
    )
    assert page.table.item(intake_row, 3).toolTip() == "case.intake"
    assert page.table.item(intake_row, 4).toolTip() == f"case: {saved.case_id}"
    assert page.table.item(intake_row, 2).toolTip() == "rita"
    tasks.wait_for_all()


def test_an_anchor_is_made_on_the_page_and_checked_there(
    qtbot: QtBot, admin_desk: OpenDesk, recorded_prompts: Prompts, tmp_path: Path
) -> None:
    page = AuditPage()
    qtbot.addWidget(page)
    page.open_desk(admin_desk)
    page.resize(1000, 600)
    page.show()
    page.make_anchor()
    qtbot.waitUntil(lambda: "HAVRE-AUDIT-ANCHOR" in page.verdict.text())
    line = page.verdict.text().splitlines()[-1]
    page.anchor_input.setText(line)
    page.verify_button.click()
    qtbot.waitUntil(lambda: "is in the log as it was" in page.verdict.text())
    assert "Last anchor outside the desk" in page.verdict.text()
    page.grab().save(str(tmp_path / "audit-anchor.png"))  # looked at when written
    page.anchor_input.setText("not an anchor")
    page.verify_button.click()
    assert "Give the whole line Havre printed" in recorded_prompts.errors[-1]
    tasks.wait_for_all()
