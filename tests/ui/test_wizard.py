from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from app import crypto
from app.services import auth
from tests.conftest import FAST_KDF
from ui.printing import print_html, recovery_sheet_html
from ui.wizard import ADMIN, DESK, RECOVERY, SetupWizard

PASSWORD = "harbour lantern blue 42"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "calibrate_kdf", lambda *_a: FAST_KDF)


def _fill_until_admin(wizard: SetupWizard, folder: Path, nis: str = "21013") -> None:
    wizard.next()
    assert wizard.currentId() == DESK
    page = wizard.desk_page
    page.desk_name.setText("Permanence")
    page.desk_code.setText("sg")
    page.organisation.setText("Commune")
    page.municipality.setCurrentIndex(page.municipality.findData(nis))
    wizard.next()
    wizard.folder_page.folder.setText(str(folder))
    wizard.next()


def test_the_wizard_creates_a_desk_and_shows_the_recovery_key_once(
    qtbot: QtBot, tmp_path: Path
) -> None:
    wizard = SetupWizard(ask_language=True)
    qtbot.addWidget(wizard)
    wizard.show()
    _fill_until_admin(wizard, tmp_path)
    assert wizard.currentId() == ADMIN
    admin = wizard.admin_page
    admin.user_name.setText("anna")
    admin.password.edit.setText(PASSWORD)
    admin.repeat.setText(PASSWORD + "x")
    wizard.next()
    assert wizard.currentId() == ADMIN and "differ" in admin.error.text()
    admin.repeat.setText(PASSWORD)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == RECOVERY, timeout=15_000)
    created = wizard.created
    assert created is not None
    assert wizard.recovery_page.key.text() == created.recovery_key
    assert not wizard.recovery_page.isComplete()  # cannot finish before confirming
    wizard.reject()
    assert wizard.isVisible()  # leaving now would lose the key
    wizard.recovery_page.confirmed.setChecked(True)
    with qtbot.waitSignal(wizard.desk_created) as signal:
        wizard.accept()
    assert signal.args == [tmp_path / "desk.havre"]
    opened = auth.unlock(tmp_path / "desk.havre", "anna", PASSWORD)
    assert opened.desk.code == "SG" and {r.value for r in opened.user.roles} == {
        "admin",
        "coordinator",
    }
    opened.close()


def test_bad_desk_input_stays_on_the_page_with_the_reason(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = SetupWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.desk_page.desk_name.setText("Permanence")
    wizard.desk_page.desk_code.setText("s g")
    wizard.next()
    assert wizard.currentId() == DESK
    assert "desk code" in wizard.desk_page.error.text()
    assert list(tmp_path.iterdir()) == []


def test_an_existing_desk_folder_is_refused(qtbot: QtBot, tmp_path: Path) -> None:
    (tmp_path / "desk.havre").write_bytes(b"something")
    wizard = SetupWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    _fill_until_admin(wizard, tmp_path, nis="62122")
    assert wizard.currentId() != ADMIN
    assert "already exists" in wizard.folder_page.error.text()
    assert (tmp_path / "desk.havre").read_bytes() == b"something"


def test_the_recovery_sheet_prints_the_key(qtbot: QtBot, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "sheet.pdf"))
    key = crypto.new_recovery_key()
    print_html(printer, recovery_sheet_html("Permanence", key, datetime.now(UTC)))
    raw = "".join(page.extract_text() for page in PdfReader(tmp_path / "sheet.pdf").pages)
    text = " ".join(raw.split())
    assert key in text  # on one line, never broken at a hyphen
    assert "Havre recovery key" in text and "seal it" in text
