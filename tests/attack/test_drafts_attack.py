"""An insider holding one account (reception: the database key, any row) against a
colleague's drafts. Found by a review: a draft edited by hand could point a counsellor's
next sign-in at any case (recorded as her viewing it), make her save land on another
record ("already saved"), or stop her signing in at all. Drafts are sealed with a key only
their author holds: whatever the insider writes is passed over, and the author still signs
in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.sessions import SessionForm
from app.errors import ValidationError
from app.services import drafts, intake, sessions
from app.services.open_desk import OpenDesk
from db import repositories
from db.models import Draft
from tests.conftest import STAFF_PASSWORD, DeskFixture
from tests.factories import named_intake
from ui import tasks
from ui.settings import UiSettings
from ui.workspace import Workspace

FORGED = {
    "case": {"case_id": "another-victims-case", "version": 1, "values": {}},
    "case/dialog": {"kind": "session", "form_id": "0" * 8 + "-0000-4000-8000-" + "0" * 12},
    "_window": {"page": "case"},
}


def carls_id(desk: DeskFixture) -> str:
    carl = desk.unlock("carl", STAFF_PASSWORD)
    try:
        return carl.user.id
    finally:
        carl.close()


def write_as_insider(insider: OpenDesk, user_id: str, rows: dict[str, str]) -> None:
    with insider.transaction() as session:
        for page, content in rows.items():
            session.add(Draft(user_id=user_id, page=page, content=content, updated_at=clock.now()))


@pytest.mark.parametrize(
    "content",
    [json.dumps(values) for values in FORGED.values()] + ["not json", "[1, 2]", "", "bnVsbA=="],
)
def test_a_draft_written_by_another_account_is_passed_over(
    desk: DeskFixture, reception: OpenDesk, content: str
) -> None:
    write_as_insider(reception, carls_id(desk), {"case": content})
    carl = desk.unlock("carl", STAFF_PASSWORD)
    try:
        assert drafts.load(carl) == {}
    finally:
        carl.close()


def test_a_colleagues_sealed_draft_moved_or_copied_is_passed_over(
    desk: DeskFixture, reception: OpenDesk
) -> None:
    carl = desk.unlock("carl", STAFF_PASSWORD)
    try:
        drafts.keep(carl, {"case": {"case_id": "x", "version": 1, "values": {}}})
    finally:
        carl.close()
    with reception.transaction() as session:
        [row] = repositories.drafts_of(session, carls_id(desk))
        sealed = row.content
        row.page = "directory"  # moved to another page of hers
        # and copied to reception's own drafts
        session.add(
            Draft(user_id=reception.user.id, page="case", content=sealed, updated_at=clock.now())
        )
    assert drafts.load(reception) == {}
    carl = desk.unlock("carl", STAFF_PASSWORD)
    try:
        assert drafts.load(carl) == {}
    finally:
        carl.close()


def test_the_author_still_signs_in_past_a_forged_draft(
    qtbot: QtBot, desk: DeskFixture, reception: OpenDesk, tmp_path: Path
) -> None:
    write_as_insider(
        reception, carls_id(desk), {page: json.dumps(values) for page, values in FORGED.items()}
    )
    carl = desk.unlock("carl", STAFF_PASSWORD)
    workspace = Workspace(UiSettings(tmp_path / "ui.ini"))
    qtbot.addWidget(workspace)
    try:
        workspace.enter(carl)
        tasks.wait_for_all()
        assert workspace.case_page.detail is None  # no case opened in her name
        assert "case" not in workspace.drafts() and "case/dialog" not in workspace.drafts()
    finally:
        tasks.wait_for_all()
        carl.close()


def test_a_sessions_number_taken_from_another_case_saves_nothing_silently(
    reception: OpenDesk, counsellor: OpenDesk
) -> None:
    """Were a draft's form number ever another case's session's, the save must not answer
    "already saved" while dropping the counsellor's session and notes."""
    first = intake.record_intake(reception, named_intake("Hélène")).case_id
    second = intake.record_intake(reception, named_intake("Nadia")).case_id
    taken = sessions.add_session(counsellor, first, SessionForm(held_at=clock.now()))
    with pytest.raises(ValidationError):
        sessions.add_session(
            counsellor, second, SessionForm(held_at=clock.now(), notes="typed"), taken.id
        )
