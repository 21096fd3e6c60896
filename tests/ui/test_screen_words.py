"""What the screens say, word for word, as a person reads it (or hears it from a screen
reader): the button that confirms, the labels before a value, the units after a number,
the names of the inputs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app import i18n
from app.services import directory
from app.services.open_desk import OpenDesk
from tests.ui.user import User
from ui import prompts, tasks
from ui.dialogs.password_dialog import PasswordDialog
from ui.pages.admin_page import AdminPage
from ui.pages.base import Page
from ui.pages.directory.searching import SEARCH_DELAY_MS
from ui.pages.directory_page import DirectoryPage
from ui.pages.network_resources_page import NetworkResourcesPage
from ui.widgets.typed_input import part_of_another_input
from ui.wizard import SetupWizard

# Taken before the recorder stands in for it: this test answers the real question box.
REAL_CONFIRM = prompts.confirm


def test_the_confirming_button_acts_at_once_and_says_so(qtbot: QtBot) -> None:
    """The screen's "Delete…" asks first; the question's "Delete" deletes at once."""
    shown: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        shown.extend(button.text() for button in box.buttons())
        cancel = box.button(QMessageBox.StandardButton.Cancel)
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    assert not REAL_CONFIRM(None, "Delete this activity?", "Delete…")
    assert "Delete" in shown and not [text for text in shown if text.endswith("…")]


def _directory_in_french(qtbot: QtBot, desk: OpenDesk) -> User:
    i18n.set_language("fr")
    page = DirectoryPage()
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.open_desk(desk)
    return User(qtbot, page)


def _found(qtbot: QtBot, user: User, table: str, name: str) -> list[str]:
    """The row of `table` naming the service `name`, searched for by its name."""
    user.type(i18n._("Search the directory"), name)
    qtbot.wait(2 * SEARCH_DELAY_MS)
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: name in [row[0] for row in user.rows(table)])
    return next(row for row in user.rows(table) if row[0] == name)


def test_a_website_and_an_e_mail_are_written_as_the_language_writes_a_label(
    qtbot: QtBot, admin_desk: OpenDesk
) -> None:
    user = _directory_in_french(qtbot, admin_desk)
    _found(qtbot, user, "Services trouvés", "SOS Viol")
    user.click_row("Services trouvés", "SOS Viol")
    details = user.text("Fiche du service")
    assert "Site web : https://www.sosviol.be" in details
    assert "E-mail : info@sosviol.be" in details
    tasks.wait_for_all()


def test_a_retired_entry_is_said_in_the_singular(qtbot: QtBot, admin_desk: OpenDesk) -> None:
    """French agrees the word with one entry ("fiche retirée"); the count of a pack's
    retired entries is plural ("retirées"): two contexts for one English word."""
    directory.retire(admin_desk, "sos-viol")
    user = _directory_in_french(qtbot, admin_desk)
    user.open_tab("Tenir les fiches à jour")
    user.tick("Afficher les fiches retirées")
    assert _found(qtbot, user, "Fiches de l'annuaire", "SOS Viol")[1] == "retirée"
    tasks.wait_for_all()


def _unnamed_inputs(screen: QWidget) -> list[str]:
    """The inputs of `screen` a screen reader could not name (an input inside another, such
    as a spin box's line, goes by the other's name)."""
    inputs = screen.findChildren(QLineEdit) + screen.findChildren(QComboBox)
    return [
        f"{type(found).__name__} {found.placeholderText()!r}"
        if isinstance(found, QLineEdit)
        else type(found).__name__
        for found in inputs
        if not found.accessibleName() and not part_of_another_input(found)
    ]


@pytest.mark.parametrize(
    "asks",
    [
        {"ask_current": True},
        {"ask_recovery_key": True, "ask_user_name": True},
        {"ask_recovery_key": True},
        {},
    ],
    ids=["own password", "forgotten", "reset by an administrator", "first password"],
)
def test_every_input_of_a_password_dialog_has_a_name(qtbot: QtBot, asks: dict[str, bool]) -> None:
    dialog = PasswordDialog("Title", "Intro", lambda _values: None, **asks)
    qtbot.addWidget(dialog)
    assert _unnamed_inputs(dialog) == []


def test_every_input_of_the_setup_wizard_has_a_name(qtbot: QtBot) -> None:
    wizard = SetupWizard(ask_language=True)
    qtbot.addWidget(wizard)
    assert _unnamed_inputs(wizard) == []


def _cut_headers(page: QWidget) -> list[str]:
    """The headers of the tables in view that are narrower than their words (a column made
    to give way, its words whole in its tooltip, may be)."""
    cut = []
    for table in (view for view in page.findChildren(QTableView) if view.isVisible()):
        header = table.horizontalHeader()
        for column in range(header.count()):
            gives_way = header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch
            if not gives_way and header.sectionSize(column) < header.sectionSizeHint(column):
                words = table.model().headerData(column, Qt.Orientation.Horizontal)
                cut.append(f"{table.accessibleName()}: {words}")
    return cut


def _shown_at_1100(qtbot: QtBot, page: Page, desk: OpenDesk) -> User:
    """`page` in the room the 1100 × 700 window leaves it beside the list of pages."""
    qtbot.addWidget(page)
    page.resize(900, 640)
    page.show()
    page.open_desk(desk)
    return User(qtbot, page)


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_every_header_of_the_network_resources_and_the_accounts_reads_whole(
    qtbot: QtBot, coordinator: OpenDesk, admin_desk: OpenDesk, language: str, havre_font: None
) -> None:
    i18n.set_language(language)
    resources = NetworkResourcesPage()
    user = _shown_at_1100(qtbot, resources, coordinator)
    for tab in ("Referents", "Agreements", "Training plan", "Protocols"):
        user.open_tab(i18n._(tab))
        tasks.wait_for_all()
        QApplication.processEvents()
        assert _cut_headers(resources) == [], tab
    admin = AdminPage()
    _shown_at_1100(qtbot, admin, admin_desk)
    tasks.wait_for_all()
    QApplication.processEvents()
    assert _cut_headers(admin) == []
