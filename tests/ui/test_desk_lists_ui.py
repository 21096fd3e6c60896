"""The coordinator keeps the desk's kinds of activity and audiences on the activities page:
a new kind saved, a refusal under its field, a kind retired; the activity form then offers
the desk's active kinds, and an activity of a retired kind still shows it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from app import clock, i18n
from app.domain.activities import ActivityForm
from app.domain.periods import Month
from app.services import activities, activity_lists
from app.services.open_desk import OpenDesk
from tests.conftest import COORDINATOR_PASSWORD
from tests.ui.conftest import Prompts, quick_exit, sign_in
from tests.ui.test_activities_page import opened
from tests.ui.user import User
from ui import tasks
from ui.main_window import MainWindow
from ui.pages.activities.lists_tab import EntriesEditor, ListsTab

pytestmark = pytest.mark.dates

KINDS = "Kinds of activity of the desk"
ACTIVITIES = "Activities of the month"
WORKSHOP = "Digital workshop for women"


def test_the_coordinator_adds_and_retires_a_kind_the_form_then_offers(
    qtbot: QtBot, coordinator: OpenDesk, recorded_prompts: Prompts
) -> None:
    user = opened(qtbot, coordinator)
    user.open_tab("Kinds and audiences")
    qtbot.waitUntil(lambda: len(user.rows(KINDS)) == 9)
    assert [row[0] for row in user.rows(KINDS)][2:4] == [
        "Discussion group for mothers",
        "Support group for children and young victims or witnesses",
    ]
    # The desk speaks French: its name is the one required.
    user.type("Name of the kind (English)", "Forum theatre")
    user.press("Save the kind of activity")
    qtbot.waitUntil(lambda: "The name in French cannot be empty." in user.said())
    user.type("Name of the kind (French)", "Groupe de parole pour MÈRES")
    user.press("Save the kind of activity")
    qtbot.waitUntil(lambda: "There is already a kind of activity called" in user.said())
    user.type("Name of the kind (French)", "Théâtre-forum")
    user.choose("Network's kind", "Animation module (capsules, role play, theatre)")
    user.press("Save the kind of activity")
    qtbot.waitUntil(lambda: len(user.rows(KINDS)) == 10)
    assert user.rows(KINDS)[-1] == [
        "Forum theatre",
        "Animation module (capsules, role play, theatre)",
        "in use",
    ]
    assert recorded_prompts.errors == []

    user.click_row(KINDS, WORKSHOP)
    user.press("Retire the kind…")
    qtbot.waitUntil(lambda: [WORKSHOP, "Digital workshop for women", "retired"] in user.rows(KINDS))
    assert recorded_prompts.questions[-1].startswith(f"Retire “{WORKSHOP}”?")
    retired = activity_lists.desk_lists(coordinator).kind("digital_workshop")
    assert retired.retired

    user.open_tab("Activities")
    qtbot.waitUntil(lambda: "Forum theatre" in user.options("Kind of activity"))
    assert WORKSHOP not in user.options("Kind of activity")


def test_an_activity_of_a_retired_kind_still_shows_it(
    qtbot: QtBot, coordinator: OpenDesk, reception: OpenDesk, recorded_prompts: Prompts
) -> None:
    today = clock.today()
    form = ActivityForm(today, "digital_workshop", "Atelier", "Bibliothèque", "women", 6)
    activities.save_activity(reception, form)
    activity_lists.retire_entry(coordinator, "digital_workshop")
    user = opened(qtbot, reception)
    qtbot.waitUntil(lambda: len(user.rows(ACTIVITIES)) == 1)
    assert user.rows(ACTIVITIES)[0][1] == WORKSHOP
    assert not user.sees("Kinds and audiences")  # a receptionist does not keep the lists
    user.click_row(ACTIVITIES, "Atelier")
    assert user.text("Kind of activity") == f"Retired: {WORKSHOP}"
    user.type("Participants", "7")
    user.press("Save the activity")
    month = Month.of(today)
    qtbot.waitUntil(lambda: activities.activities_of(reception, month, month)[0].participants == 7)
    [kept] = activities.activities_of(reception, month, month)
    assert kept.kind.id == "digital_workshop"
    user.press("New activity")
    assert f"Retired: {WORKSHOP}" not in user.options("Kind of activity")
    assert recorded_prompts.errors == []


def test_a_kind_being_typed_comes_back_after_a_quick_exit(
    qtbot: QtBot, window: MainWindow, coordinator: OpenDesk
) -> None:
    sign_in(qtbot, window, "cora", COORDINATOR_PASSWORD)
    page = window.workspace.activities_page
    User(qtbot, window).click_row("Pages", page.title)
    user = User(qtbot, page)
    user.open_tab("Kinds and audiences")
    qtbot.waitUntil(lambda: len(user.rows(KINDS)) == 9)
    user.press("New kind")
    user.type("Name of the kind (French)", "Café des parents")
    user.type("Name of the kind (Dutch)", "Oudercafé")
    user.choose("Network's kind", "Discussion group")
    quick_exit(qtbot, window)
    sign_in(qtbot, window, "cora", COORDINATOR_PASSWORD)
    qtbot.waitUntil(lambda: user.text("Name of the kind (Dutch)") == "Oudercafé")
    assert user.text("Name of the kind (French)") == "Café des parents"
    assert user.text("Network's kind") == "Discussion group"
    user.press("Save the kind of activity")
    qtbot.waitUntil(lambda: len(user.rows(KINDS)) == 10)
    made = activity_lists.desk_lists(coordinator).kinds[-1]
    assert (made.label_in("nl"), made.network) == ("Oudercafé", "discussion_group")
    tasks.wait_for_all()


def _editor(user: User) -> EntriesEditor:
    tab = user.screen.findChild(ListsTab)
    assert tab is not None
    return tab.kinds


def test_the_required_name_says_its_language_under_its_field_and_goes_once_given(
    qtbot: QtBot, coordinator: OpenDesk, recorded_prompts: Prompts
) -> None:
    user = opened(qtbot, coordinator)
    user.open_tab("Kinds and audiences")
    qtbot.waitUntil(lambda: len(user.rows(KINDS)) == 9)
    # The test desk speaks French: its field says it is the one required, and why.
    french = user.find("Name of the kind (French)", QLineEdit)
    assert isinstance(french, QLineEdit)
    assert french.placeholderText() == "required: the desk's language"
    assert user.find("Name of the kind (English)", QLineEdit).placeholderText() == ""
    user.type("Name of the kind (English)", "Forum theatre")
    user.press("Save the kind of activity")
    errors = _editor(user).fields.errors
    qtbot.waitUntil(lambda: errors["name_fr"].isVisible())
    assert errors["name_fr"].text() == "The name in French cannot be empty."
    user.type("Name of the kind (French)", "Theatre forum")
    assert not errors["name_fr"].isVisible()
    assert "cannot be empty" not in user.said()
    assert recorded_prompts.errors == []


def test_a_long_name_shows_from_its_start(qtbot: QtBot, coordinator: OpenDesk) -> None:
    user = opened(qtbot, coordinator)
    user.open_tab("Kinds and audiences")
    qtbot.waitUntil(lambda: len(user.rows(KINDS)) == 9)
    user.click_row(KINDS, "Support group for children and young victims or witnesses")
    names = _editor(user).names.values()
    assert all(name.cursorPosition() == 0 for name in names)


@pytest.mark.parametrize("answer", [False, True])
def test_counting_a_kind_in_use_as_another_asks_first(
    qtbot: QtBot,
    coordinator: OpenDesk,
    reception: OpenDesk,
    recorded_prompts: Prompts,
    answer: bool,
) -> None:
    form = ActivityForm(clock.today(), "digital_workshop", "Atelier", "Bibliothèque", "women", 6)
    activities.save_activity(reception, form)
    user = opened(qtbot, coordinator)
    user.open_tab("Kinds and audiences")
    qtbot.waitUntil(lambda: len(user.rows(KINDS)) == 9)
    # A kind no activity has: its count changes nothing already counted, nothing is asked.
    user.click_row(KINDS, "Discussion group for mothers")
    user.choose("Network's kind", "Other action")
    user.press("Save the kind of activity")
    mothers = ["Discussion group for mothers", "Other action", "in use"]
    qtbot.waitUntil(lambda: mothers in user.rows(KINDS) and not _editor(user).draft())
    assert recorded_prompts.questions == []

    recorded_prompts.confirm_answer = answer
    user.click_row(KINDS, WORKSHOP)
    user.choose("Network's kind", "Other action")
    user.press("Save the kind of activity")
    assert recorded_prompts.questions == [
        "The activities already recorded of this kind will be counted as “Other action”: "
        "the months already sent to the network will change if they are exported again."
    ]
    tasks.wait_for_all()
    workshop = activity_lists.desk_lists(coordinator).kind("digital_workshop")
    assert workshop.network == ("other" if answer else "digital_workshop")
    # Cancelled, the form keeps what was typed, to save or change.
    assert user.text("Network's kind") == "Other action"
    assert recorded_prompts.errors == []


def test_a_retired_kind_is_put_back_in_use(
    qtbot: QtBot, coordinator: OpenDesk, recorded_prompts: Prompts
) -> None:
    activity_lists.retire_entry(coordinator, "digital_workshop")
    user = opened(qtbot, coordinator)
    user.open_tab("Kinds and audiences")
    qtbot.waitUntil(lambda: [WORKSHOP, WORKSHOP, "retired"] in user.rows(KINDS))
    user.click_row(KINDS, WORKSHOP)
    assert not user.sees("Retire the kind…")
    user.press("Put back in use")
    qtbot.waitUntil(lambda: [WORKSHOP, WORKSHOP, "in use"] in user.rows(KINDS))
    assert not activity_lists.desk_lists(coordinator).kind("digital_workshop").retired
    assert user.sees("Retire the kind…") and not user.sees("Put back in use")
    user.open_tab("Activities")
    qtbot.waitUntil(lambda: WORKSHOP in user.options("Kind of activity"))
    assert recorded_prompts.errors == []


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_both_lists_fit_a_small_screen_without_scrolling_sideways(
    qtbot: QtBot, window: MainWindow, coordinator: OpenDesk, language: str
) -> None:
    i18n.set_language(language)
    sign_in(qtbot, window, "cora", COORDINATOR_PASSWORD)
    window.resize(1100, 720)
    page = window.workspace.activities_page
    User(qtbot, window).click_row(i18n._("Pages"), page.title)
    User(qtbot, page).open_tab(i18n._("Kinds and audiences"))
    tab = page.findChild(ListsTab)
    assert tab is not None
    activity_lists.retire_entry(coordinator, "digital_workshop")
    tab.kinds.reload()
    qtbot.waitUntil(lambda: len(tab.kinds.rows()) == 9 and len(tab.audiences.rows()) == 9)
    for editor in (tab.kinds, tab.audiences):
        # The names as wide as the table's first fit makes long ones on a desk's screen.
        editor.table.horizontalHeader().resizeSection(0, 200)
        editor.table.horizontalHeader().resizeSection(1, 200)
    QApplication.processEvents()
    for editor in (tab.kinds, tab.audiences):
        table = editor.table
        assert table.horizontalScrollBar().maximum() == 0
        # The state, header and words, whole.
        state = table.horizontalHeader()
        assert state.sectionSize(2) >= state.sectionSizeHint(2)
        assert state.sectionSize(2) >= table.sizeHintForColumn(2)
    tasks.wait_for_all()
