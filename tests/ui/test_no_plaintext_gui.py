"""No plaintext from the window either: a pseudonym typed in the intake form (kept as a
draft across a lock) and in the case search, then the window closed; the settings file, the
desk's folder and the temporary folder must not hold it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.conftest import STAFF_PASSWORD, DeskFixture
from tests.e2e.test_no_plaintext import scan
from tests.ui.conftest import sign_in
from tests.ui.user import User
from ui.main_window import MainWindow


def test_typed_names_stay_out_of_settings_drafts_and_temporary_files(
    qtbot: QtBot, window: MainWindow, desk: DeskFixture, tmp_path: Path
) -> None:
    temporary = Path(tempfile.gettempdir())
    temporary_before = {p: p.stat().st_mtime for p in temporary.iterdir() if p.is_file()}
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    user = User(qtbot, window)
    user.click_row("Pages", "Intake")
    user.type("Pseudonym", "Zorglubette")
    user.click_row("Pages", "Cases")
    user.type("Search cases", "tournesol-bleu")
    user.keys("Ctrl+L")  # the typed intake is kept as a draft, encrypted in the database
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    user.click_row("Pages", "Intake")
    assert user.text("Pseudonym") == "Zorglubette"
    user.keys("Ctrl+L")
    window.close()
    assert scan(tmp_path) == []  # the desk's folder, its WAL, and the settings file
    changed = [p for p in temporary.iterdir() if p.is_file()]
    for path in (p for p in changed if temporary_before.get(p) != p.stat().st_mtime):
        content = path.read_bytes()
        assert b"Zorglubette" not in content and b"tournesol" not in content, path
