"""The one record editor, as a coordinator uses it on the register of referents: a refusal
under its field, a record saved in the background and selected, chosen again from the
table, sorted by a click on a header, the keyboard's Ctrl+S and Ctrl+N, and what is typed
kept across a lock."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QHBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.domain.municipalities import municipality
from app.domain.network_resources import ReferentForm
from app.i18n import current_language
from app.services import network_resources
from app.services.open_desk import OpenDesk
from tests.conftest import ADMIN_PASSWORD
from tests.ui.conftest import Prompts, held_back, sign_in
from tests.ui.user import User
from ui import tasks
from ui.main_window import MainWindow
from ui.pages.directory_page import DirectoryPage
from ui.pages.network_resources.referents_tab import ReferentsTab

TABLE = "Referents of the network"


@pytest.fixture
def tab(qtbot: QtBot, coordinator: OpenDesk) -> ReferentsTab:
    editor = ReferentsTab()
    qtbot.addWidget(editor)
    editor.resize(1100, 650)
    editor.show()
    qtbot.waitExposed(editor)
    editor.open_desk(coordinator)
    tasks.wait_for_all()
    return editor


def _fill(user: User, name: str, phone: str = "") -> None:
    user.type("Name", name)
    user.type("Organisation", "CPAS d'Aywaille")
    user.choose("Municipality", "Aywaille")
    user.type("Role", "Référente VIF")
    user.type("Phone", phone)


def test_a_refusal_shows_under_its_field_and_saves_nothing(
    qtbot: QtBot, tab: ReferentsTab, coordinator: OpenDesk
) -> None:
    user = User(qtbot, tab)
    user.press("Save the referent")
    error = tab.fields.errors["name"]
    qtbot.waitUntil(lambda: error.isVisibleTo(tab))
    assert network_resources.referents(coordinator) == []
    _fill(user, "Anne Lambert")
    user.type("E-mail", "anne@")
    user.press("Save the referent")
    qtbot.waitUntil(lambda: tab.fields.errors["email"].isVisibleTo(tab))
    assert not error.isVisibleTo(tab)
    assert network_resources.referents(coordinator) == []


def test_a_saved_record_is_listed_selected_and_chosen_again(
    qtbot: QtBot, tab: ReferentsTab, coordinator: OpenDesk
) -> None:
    user = User(qtbot, tab)
    _fill(user, "Anne Lambert", "0478/11.54.88")
    user.press("Save the referent")
    qtbot.waitUntil(lambda: len(user.rows(TABLE)) == 1)
    (row,) = network_resources.referents(coordinator)
    assert row.form.name == "Anne Lambert" and row.form.municipality == "62009"
    assert user.rows(TABLE) == [
        ["Aywaille", "Anne Lambert", "CPAS d'Aywaille", "Référente VIF", "0478 11 54 88"]
    ]
    assert tab.editing == row.id and tab.chosen() == row
    user.press("New referent")
    assert user.text("Name") == "" and tab.editing is None
    user.click_row(TABLE, "Anne Lambert")
    assert user.text("Name") == "Anne Lambert"
    assert user.text("Phone") == "0478 11 54 88"
    # Saving the chosen record changes it, it does not add another.
    user.type("Name", "Anne Lambert-Dubois")
    user.press("Save the referent")
    qtbot.waitUntil(lambda: user.rows(TABLE)[0][1] == "Anne Lambert-Dubois")
    assert [r.form.name for r in network_resources.referents(coordinator)] == [
        "Anne Lambert-Dubois"
    ]


def test_a_click_on_a_header_sorts_and_the_chosen_record_stays_chosen(
    qtbot: QtBot, tab: ReferentsTab, coordinator: OpenDesk
) -> None:
    for name, place in (("Zoé", "62009"), ("Alice", "21015"), ("Marc", "21004")):
        network_resources.save_referent(coordinator, ReferentForm(name, "CPAS", place, "VIF"))
    tab.reload()
    tasks.wait_for_all()
    user = User(qtbot, tab)
    qtbot.waitUntil(lambda: len(user.rows(TABLE)) == 3)
    # Until a header is clicked, the order is the service's.
    served = [row.form.name for row in network_resources.referents(coordinator)]
    assert [row[1] for row in user.rows(TABLE)] == served
    user.click_row(TABLE, "Marc")
    user.click_header(TABLE, 1)
    names = [row[1] for row in user.rows(TABLE)]
    user.click_header(TABLE, 1)
    again = [row[1] for row in user.rows(TABLE)]
    assert sorted([names, again]) == [["Alice", "Marc", "Zoé"], ["Zoé", "Marc", "Alice"]]
    assert user.text("Name") == "Marc" and tab.chosen() is not None
    assert tab.chosen().form.name == "Marc"  # type: ignore[union-attr]


def test_the_keyboard_saves_and_starts_a_new_record(
    qtbot: QtBot, tab: ReferentsTab, coordinator: OpenDesk
) -> None:
    user = User(qtbot, tab)
    _fill(user, "Anne Lambert")
    user.keys("Ctrl+S")
    qtbot.waitUntil(lambda: len(user.rows(TABLE)) == 1)
    user.keys("Ctrl+N")
    assert user.text("Name") == "" and tab.editing is None
    assert tab.focusWidget() is user.find("Name")


def test_what_is_typed_comes_back_with_the_record_it_belongs_to(
    qtbot: QtBot, tab: ReferentsTab, coordinator: OpenDesk
) -> None:
    saved = network_resources.save_referent(
        coordinator, ReferentForm("Anne", "CPAS", "62009", "VIF")
    )
    tab.reload()
    tasks.wait_for_all()
    user = User(qtbot, tab)
    qtbot.waitUntil(lambda: len(user.rows(TABLE)) == 1)
    user.click_row(TABLE, "Anne")
    assert tab.draft() == {}  # nothing typed yet
    user.type("Organisation", "CPAS de Liège")
    draft = tab.draft()
    tab.clear()
    assert user.rows(TABLE) == [] and user.text("Organisation") == ""

    again = ReferentsTab()
    qtbot.addWidget(again)
    again.show()
    again.open_desk(coordinator)
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: again.model.rowCount() == 1)
    again.restore(draft)
    back = User(qtbot, again)
    assert back.text("Organisation") == "CPAS de Liège" and again.editing == saved
    back.press("Save the referent")
    tasks.wait_for_all()
    qtbot.waitUntil(
        lambda: network_resources.referents(coordinator)[0].form.organisation == "CPAS de Liège"
    )
    assert len(network_resources.referents(coordinator)) == 1


def test_the_keys_act_on_the_editor_that_holds_the_cursor(
    qtbot: QtBot, coordinator: OpenDesk, recorded_prompts: Prompts
) -> None:
    """Two editors in view both answer Ctrl+N: the one where the person types takes it, the
    other keeps what is typed in it (and nothing is asked about it)."""
    both = QWidget()
    qtbot.addWidget(both)
    left, right = ReferentsTab(), ReferentsTab()
    row = QHBoxLayout(both)
    row.addWidget(left)
    row.addWidget(right)
    both.resize(1600, 650)
    both.show()
    both.activateWindow()
    qtbot.waitUntil(both.isActiveWindow)
    for editor in (left, right):
        editor.open_desk(coordinator)
    tasks.wait_for_all()
    User(qtbot, left).type("Name", "Anne Lambert")
    typing = User(qtbot, right)
    for name in ("Bea Dumont", "Carl Peeters"):  # Qt hands an ambiguous key to each in turn
        typing.type("Name", name)
        typing.keys("Ctrl+N")
        assert typing.text("Name") == ""
        assert User(qtbot, left).text("Name") == "Anne Lambert"
    assert len(recorded_prompts.questions) == 2


def test_the_keys_work_as_soon_as_the_tab_shows(
    qtbot: QtBot, window: MainWindow, recorded_prompts: Prompts
) -> None:
    """Ctrl+N and Ctrl+S need no click in the editor first: the cursor may still be in the
    list of pages when its tab is opened."""
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    User(qtbot, window).click_row("Pages", "Directory")
    page = window.findChild(DirectoryPage)
    assert page is not None
    user = User(qtbot, page)
    user.open_tab("Keep the entries")
    qtbot.waitUntil(lambda: bool(user.rows("Directory entries")))
    pages = window.focusWidget()
    assert not page.isAncestorOf(pages)
    User(qtbot, window).keys("Ctrl+N")
    assert window.focusWidget() is user.find("Key")  # a new entry, typed from its key
    User(qtbot, window).click_row("Pages", "Directory")  # the cursor back in the pages
    assert not page.isAncestorOf(window.focusWidget())
    User(qtbot, window).keys("Ctrl+S")
    qtbot.waitUntil(lambda: "Give the entry a key" in user.said())
    tasks.wait_for_all()


def test_a_second_press_while_saving_saves_one_record(
    qtbot: QtBot,
    tab: ReferentsTab,
    coordinator: OpenDesk,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = User(qtbot, tab)
    _fill(user, "Anne Lambert")
    saving = held_back(monkeypatch, network_resources, "save_referent")
    user.press("Save the referent")
    user.press("Save the referent")
    user.keys("Ctrl+S")
    saving.set()
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: len(user.rows(TABLE)) == 1)
    tasks.wait_for_all()
    assert len(network_resources.referents(coordinator)) == 1


def test_what_is_typed_while_a_save_runs_is_not_overwritten(
    qtbot: QtBot,
    tab: ReferentsTab,
    coordinator: OpenDesk,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = User(qtbot, tab)
    _fill(user, "Anne Lambert")
    saving = held_back(monkeypatch, network_resources, "save_referent")
    user.press("Save the referent")
    user.press("New referent")
    user.type("Name", "Second person being typed")
    saving.set()
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: len(user.rows(TABLE)) == 1)
    assert user.text("Name") == "Second person being typed" and tab.editing is None
    # Typing on in the record just saved: it is that record the next save changes.
    user.click_row(TABLE, "Anne Lambert")
    saving = held_back(monkeypatch, network_resources, "save_referent")
    user.type("Role", "Coordinatrice")
    user.press("Save the referent")
    user.type("Organisation", "CPAS de Sprimont")
    saving.set()
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: user.rows(TABLE)[0][3] == "Coordinatrice")
    assert user.text("Organisation") == "CPAS de Sprimont"


def test_new_asks_before_leaving_what_is_typed(
    qtbot: QtBot, tab: ReferentsTab, recorded_prompts: Prompts
) -> None:
    user = User(qtbot, tab)
    user.press("New referent")  # nothing typed: nothing to ask
    assert recorded_prompts.questions == []
    user.type("Name", "Anne Lambert")
    recorded_prompts.confirm_answer = False
    user.keys("Ctrl+N")
    assert recorded_prompts.questions == ["Leave what you typed without saving it?"]
    assert user.text("Name") == "Anne Lambert"
    recorded_prompts.confirm_answer = True
    user.press("New referent")
    assert user.text("Name") == ""


def test_a_new_referent_serves_the_desks_own_municipality(
    qtbot: QtBot, tab: ReferentsTab, coordinator: OpenDesk
) -> None:
    own = municipality(coordinator.desk.nis_code).name(current_language())
    assert User(qtbot, tab).text("Municipality") == own


def test_another_row_asks_before_leaving_what_is_typed(
    qtbot: QtBot, tab: ReferentsTab, coordinator: OpenDesk, recorded_prompts: Prompts
) -> None:
    """Found in the real window: a click on another row threw the typing away unasked,
    where New asked. Kept, the record typed in stays chosen; left, the other one shows."""
    for name in ("Anne", "Bruno"):
        network_resources.save_referent(coordinator, ReferentForm(name, "CPAS", "62009", "VIF"))
    tab.reload()
    user = User(qtbot, tab)
    qtbot.waitUntil(lambda: len(user.rows(TABLE)) == 2)
    user.click_row(TABLE, "Anne")
    user.click_row(TABLE, "Bruno")  # nothing typed: nothing to ask
    assert recorded_prompts.questions == [] and user.text("Name") == "Bruno"
    user.type("Organisation", "CPAS de Liège")
    recorded_prompts.confirm_answer = False
    user.click_row(TABLE, "Anne")
    assert recorded_prompts.questions == ["Leave what you typed without saving it?"]
    assert user.text("Name") == "Bruno" and user.text("Organisation") == "CPAS de Liège"
    assert "Bruno" in user.selected(TABLE)
    recorded_prompts.confirm_answer = True
    user.click_row(TABLE, "Anne")
    assert user.text("Name") == "Anne" and user.text("Organisation") == "CPAS"
    user.press("Save the referent")
    tasks.wait_for_all()
    assert [r.form.organisation for r in network_resources.referents(coordinator)] == [
        "CPAS",
        "CPAS",
    ]
