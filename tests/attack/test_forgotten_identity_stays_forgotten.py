"""An identity forgotten (the right to be forgotten) must not come back: found by a review,
an edit begun before the forgetting (a case page left open, or its draft given back at the
next sign-in) saved the forgotten pseudonym and phone back, with one Save."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.domain.cases import CaseEdit
from app.errors import EditConflict
from app.services import cases, drafts, intake, retention
from app.services.open_desk import OpenDesk
from tests.conftest import STAFF_PASSWORD, DeskFixture
from tests.factories import named_intake
from ui import tasks
from ui.settings import UiSettings
from ui.workspace import Workspace


def test_an_edit_begun_before_the_forgetting_is_refused(
    reception: OpenDesk, admin_desk: OpenDesk
) -> None:
    saved = intake.record_intake(reception, named_intake("Hélène"))
    shown = cases.case_detail(reception, saved.case_id)
    retention.forget_identity(admin_desk, saved.case_code)
    edit = CaseEdit(
        status=shown.status, person=shown.person, identity=shown.identity, situation=shown.situation
    )
    with pytest.raises(EditConflict):
        cases.update_case(reception, saved.case_id, shown.version, edit)
    assert cases.case_detail(reception, saved.case_id).identity is None


def test_a_case_pages_draft_does_not_bring_the_identity_back(
    qtbot: QtBot, desk: DeskFixture, reception: OpenDesk, admin_desk: OpenDesk, tmp_path: Path
) -> None:
    saved = intake.record_intake(reception, named_intake("Hélène"))
    rita = desk.unlock("rita", STAFF_PASSWORD)
    workspace = Workspace(UiSettings(tmp_path / "ui.ini"))
    qtbot.addWidget(workspace)
    try:
        workspace.enter(rita)
        workspace.open_case(saved.case_id)
        qtbot.waitUntil(lambda: workspace.case_page.detail is not None)
        drafts.keep(rita, workspace.take_drafts())  # the desk locks, the case left open
        retention.forget_identity(admin_desk, saved.case_code)
        kept = drafts.load(rita)["case"].values
        assert "Hélène" not in str(kept) and "0470" not in str(kept)
    finally:
        tasks.wait_for_all()
        rita.close()
