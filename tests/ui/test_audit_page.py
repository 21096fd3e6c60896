"""The administrator's audit log page: events with filters, the chain verified, the export
for the data protection officer."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.services import auth, intake
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
    assert page.table.item(0, 2).text() == "rita"
    assert page.table.item(0, 3).text() == "case.intake"
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
