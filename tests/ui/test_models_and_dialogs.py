from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.accounts import UserInfo
from app.domain.roles import Role
from db.versions import library_versions
from ui.about import AboutDialog
from ui.dialogs.help_dialog import HelpDialog
from ui.models.users_model import ObjectRole, SortRole, UsersModel


def _user(name: str, active: bool = True, login: datetime | None = None) -> UserInfo:
    return UserInfo(
        name,
        name,
        name.title(),
        frozenset({Role.ADMIN, Role.RECEPTION}),
        active,
        False,
        datetime(2026, 1, 1, tzinfo=UTC),
        login,
    )


def test_users_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = UsersModel()
    model.set_rows([_user("anna"), _user("bert", active=False, login=clock.now())])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 2)) == "Reception, Administrator"
    assert model.data(model.index(1, 3)) == "Disabled"
    assert model.data(model.index(0, 4)) == "Never"
    assert model.data(model.index(0, 4), SortRole) == 0.0
    assert model.data(model.index(1, 0), ObjectRole).user_name == "bert"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "User name"


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
