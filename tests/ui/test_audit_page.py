"""The administrator's audit log page: events with filters, the chain verified, the export
for the data protection officer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.errors import AccessDenied
from app.services import audit_log, auth, cases, intake
from app.services.open_desk import OpenDesk
from tests.conftest import STAFF_PASSWORD, DeskFixture
from tests.factories import named_intake
from tests.ui.conftest import Prompts
from tests.ui.user import User
from ui import tasks
from ui.pages.audit_page import AuditPage

EVENTS = "Audit events"


def _page(qtbot: QtBot, desk: OpenDesk) -> tuple[AuditPage, User]:
    page = AuditPage()
    qtbot.addWidget(page)
    page.open_desk(desk)
    page.resize(1000, 600)
    page.show()
    user = User(qtbot, page)
    qtbot.waitUntil(lambda: len(user.rows(EVENTS)) > 0 and len(user.options("Action")) > 1)
    return page, user


def _tips(user: User, row: int) -> list[str]:
    """The tooltips of a row's cells, as the mouse shows them."""
    view = user.find(EVENTS, QTableView)
    model = view.model()
    return [
        str(model.index(row, column).data(Qt.ItemDataRole.ToolTipRole) or "")
        for column in range(model.columnCount())
    ]


def test_events_filters_verification_and_export(
    qtbot: QtBot, desk: DeskFixture, admin_desk: OpenDesk, tmp_path: Path, recorded_prompts: Prompts
) -> None:
    rita = desk.unlock("rita", STAFF_PASSWORD)
    intake.record_intake(rita, named_intake())
    auth.lock(rita)
    user = _page(qtbot, admin_desk)[1]
    user.choose("Action", "Intake recorded")
    user.press("Show")
    qtbot.waitUntil(lambda: len(user.rows(EVENTS)) == 1)
    assert user.rows(EVENTS)[0][2:4] == ["Rita Reception", "Intake recorded"]
    user.press("Verify the chain")
    qtbot.waitUntil(lambda: "intact" in user.said())
    target = tmp_path / "audit.csv"
    recorded_prompts.file_to_save = target
    user.press("Export for the data protection officer…")
    qtbot.waitUntil(lambda: "events written" in user.said())
    assert "data protection officer" in recorded_prompts.questions[0]  # warned first
    assert target.read_text().startswith("event,time_utc,user,action")
    target.write_text("another file")
    user.press("Export for the data protection officer…")
    qtbot.waitUntil(lambda: "already exists" in recorded_prompts.questions[-1])
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: target.read_text().startswith("event,time_utc,user,action"))
    with admin_desk.transaction() as session:
        session.execute(text("DROP TRIGGER audit_event_no_update"))
        session.execute(text("UPDATE audit_event SET user_id = NULL WHERE action = 'case.intake'"))
    user.press("Verify the chain")
    qtbot.waitUntil(lambda: "altered at position" in user.said())
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
    user = _page(qtbot, admin_desk)[1]
    qtbot.waitUntil(lambda: len(user.rows(EVENTS)) > 3)
    rows = [row[2:6] for row in user.rows(EVENTS)]
    assert ["Rita Reception", "Intake recorded", f"Case {saved.case_code}", "Done"] in rows
    assert ["Carl Counsellor", "Case opened", f"Case {saved.case_code}", "Done"] in rows
    assert ["Rita Reception", "Access refused", "Audit log read", "Refused"] in rows
    assert ["Rita Reception", "Sign-in", "", "Done"] in rows
    shown = " ".join(text for row in rows for text in row)
    shown += " ".join(user.options("Action"))
    assert not re.search(r"\b[a-z_]+\.[a-z_]+\b", shown), shown
    assert saved.case_id not in shown
    # The stored codes stay at hand for whoever compares with the export.
    intake_row = rows.index(
        ["Rita Reception", "Intake recorded", f"Case {saved.case_code}", "Done"]
    )
    assert _tips(user, intake_row)[2:6] == ["rita", "case.intake", f"case: {saved.case_id}", "ok"]
    tasks.wait_for_all()


def test_the_events_sort_by_a_click_on_a_header(
    qtbot: QtBot, desk: DeskFixture, admin_desk: OpenDesk
) -> None:
    rita = desk.unlock("rita", STAFF_PASSWORD)
    for name in ("Nadia", "Lina", "Sara", "Zoe", "Mira", "Anna"):
        intake.record_intake(rita, named_intake(name))
    auth.lock(rita)
    user = _page(qtbot, admin_desk)[1]
    newest_first = [int(row[0]) for row in user.rows(EVENTS)]
    assert len(newest_first) >= 10 and newest_first == sorted(newest_first, reverse=True)
    user.click_header(EVENTS, 0)
    # As numbers: event 10 after event 9.
    assert [int(row[0]) for row in user.rows(EVENTS)] == sorted(newest_first)
    user.click_header(EVENTS, 3)
    actions = [row[3] for row in user.rows(EVENTS)]
    assert actions == sorted(actions, key=str.casefold)
    tasks.wait_for_all()


def test_an_anchor_is_made_on_the_page_and_checked_there(
    qtbot: QtBot, admin_desk: OpenDesk, recorded_prompts: Prompts, tmp_path: Path
) -> None:
    page, user = _page(qtbot, admin_desk)
    user.press("Make an anchor")
    qtbot.waitUntil(lambda: "HAVRE-AUDIT-ANCHOR" in user.said())
    line = next(line for line in user.said().splitlines() if "HAVRE-AUDIT-ANCHOR" in line)
    user.type("Anchor to check", line)
    user.press("Verify the chain")
    qtbot.waitUntil(lambda: "is in the log as it was" in user.said())
    assert "Last anchor outside the desk" in user.said()
    page.grab().save(str(tmp_path / "audit-anchor.png"))  # looked at when written
    user.type("Anchor to check", "not an anchor")
    user.press("Verify the chain")
    assert "Give the whole line Havre printed" in recorded_prompts.errors[-1]
    tasks.wait_for_all()
