from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from db.versions import library_versions
from ui.about import AboutDialog
from ui.dialogs.help_dialog import HelpDialog


def test_about_shows_the_versions(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    html = "".join(label.text() for label in dialog.findChildren(QLabel))
    for part in ("Havre", "Qt", library_versions()["sqlcipher"], library_versions()["sqlite"]):
        assert part in html


def test_help_documents_the_quick_exit(qtbot: QtBot) -> None:
    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    assert "Shift three times" in text and "Ctrl+L" in text and "Ctrl+Q" in text
