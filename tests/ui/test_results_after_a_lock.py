"""Work started before a lock that answers after it shows nothing: found by an insider
review, a past session's notes, decrypted on the database thread while the counsellor
pressed the quick exit, opened over the sign-in screen; so did the "same person?" question
of a contact being saved, naming the known case. Each attack holds the work back until the
quick exit has happened."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.sessions import SessionForm
from app.services import intake, sessions
from app.services.open_desk import OpenDesk
from tests.conftest import STAFF_PASSWORD
from tests.factories import named_intake
from tests.ui.conftest import sign_in
from tests.ui.user import User
from ui import prompts, tasks
from ui.dialogs.session_dialog import SessionDialog
from ui.main_window import MainWindow

SECRET = "She hides in the cellar when he drinks"


def held_back(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> threading.Event:
    """`module.name` answers only once the returned event is set (after the quick exit)."""
    original, release = getattr(module, name), threading.Event()

    def slow(*arguments: Any) -> Any:
        result = original(*arguments)
        release.wait(10)
        return result

    monkeypatch.setattr(module, name, slow)
    return release


def test_no_notes_over_the_sign_in_screen(
    qtbot: QtBot,
    window: MainWindow,
    reception: OpenDesk,
    counsellor: OpenDesk,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case_id = intake.record_intake(reception, named_intake("Hélène")).case_id
    sessions.add_session(counsellor, case_id, SessionForm(held_at=clock.now(), notes=SECRET))
    sign_in(qtbot, window, "carl", STAFF_PASSWORD)
    window.workspace.open_case(case_id)  # as the case list opens it
    user = User(qtbot, window)
    qtbot.waitUntil(lambda: len(user.rows("Timeline")) == 2)
    [session] = [row for [row] in user.rows("Timeline") if " · Session · " in row]
    user.click_row("Timeline", session)
    release = held_back(monkeypatch, sessions, "session_form")
    user.press("Open the selected session")
    user.press("Quick exit")
    release.set()
    tasks.wait_for_all()
    qtbot.wait(200)
    assert window.desk is None
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, SessionDialog) and w.isVisible()
    ]


def test_no_duplicate_question_over_the_sign_in_screen(
    qtbot: QtBot, window: MainWindow, reception: OpenDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake.record_intake(reception, named_intake("Hélène"))  # phone 0470 12 34 56
    asked: list[object] = []
    monkeypatch.setattr(prompts, "choose_duplicate", lambda _p, found: asked.append(found))
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    user = User(qtbot, window)
    user.click_row("Pages", "Intake")
    user.type("Pseudonym", "Zoé")
    user.type("Phone", "0470 12 34 56")
    tasks.wait_for_all()
    release = held_back(monkeypatch, intake, "likely_duplicates")
    user.press("Save the contact (Ctrl+S)")
    user.press("Quick exit")
    release.set()
    tasks.wait_for_all()
    qtbot.wait(200)
    assert window.desk is None and asked == []
