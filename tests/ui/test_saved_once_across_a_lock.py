"""A new record saved, the desk locked before the save answered (found by a review): the
save had committed, its answer was dropped, the form came back as a draft of a new record,
and Save made the record a second time. Its form now keeps the id it was given: saved
again, it finds the record its first save made (an account, whose first password the form
never keeps, is refused in words)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from app import clock
from app.domain.periods import Month
from app.domain.roles import Role
from app.services import accounts, activities, network_resources
from app.services.open_desk import OpenDesk
from tests.conftest import ADMIN_PASSWORD, COORDINATOR_PASSWORD, STAFF_PASSWORD
from tests.ui.conftest import lock, sign_in
from tests.ui.user import User
from ui import tasks
from ui.main_window import MainWindow

CORA_PASSWORD = "pebble orchard violin 63"
REFERENTS = "Referents of the network"
ACTIVITIES = "Activities of the month"


@dataclass
class HeldAnswer:
    """The work of an action, committed, its answer waiting on the database thread."""

    committed: threading.Event = field(default_factory=threading.Event)
    answer: threading.Event = field(default_factory=threading.Event)


def answered_after_a_lock(monkeypatch: pytest.MonkeyPatch, action: str) -> HeldAnswer:
    """The work of `action` commits, then its answer waits until told: the desk locks
    before the answer comes."""
    held, guarded = HeldAnswer(), OpenDesk.guarded

    @contextmanager
    def committed_first(
        desk: OpenDesk, role: Role | tuple[Role, ...], name: str
    ) -> Iterator[Session]:
        with guarded(desk, role, name) as session:
            yield session
        if name == action:
            held.committed.set()
            held.answer.wait(20)

    monkeypatch.setattr(OpenDesk, "guarded", committed_first)
    return held


def locked_while_saving(
    qtbot: QtBot, window: MainWindow, user: User, save: str, held: HeldAnswer
) -> None:
    user.press(save)
    qtbot.waitUntil(held.committed.is_set)
    lock(qtbot, window)
    held.answer.set()
    tasks.wait_for_all()
    qtbot.wait(50)  # the dropped answer arrives


def saved_once(qtbot: QtBot, user: User, save: str, table: str) -> None:
    user.press(save)
    tasks.wait_for_all()
    qtbot.waitUntil(lambda: user.selected(table) != [])
    tasks.wait_for_all()
    qtbot.wait(50)


def test_a_referent_saved_again_after_a_lock_is_one_referent(
    qtbot: QtBot, window: MainWindow, coordinator: OpenDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts.change_own_password(coordinator, COORDINATOR_PASSWORD, CORA_PASSWORD)
    sign_in(qtbot, window, "cora", CORA_PASSWORD)
    User(qtbot, window).click_row("Pages", "Network resources")
    user = User(qtbot, window.workspace.network_resources_page)
    user.type("Name", "Anne Lambert")
    user.type("Organisation", "CPAS d'Aywaille")
    user.choose("Municipality", "Aywaille")
    user.type("Role", "Référente VIF")
    held = answered_after_a_lock(monkeypatch, "referent.edit")
    locked_while_saving(qtbot, window, user, "Save the referent", held)
    assert [row.form.name for row in network_resources.referents(coordinator)] == ["Anne Lambert"]

    sign_in(qtbot, window, "cora", CORA_PASSWORD)
    qtbot.waitUntil(lambda: len(user.rows(REFERENTS)) == 1)
    # The record the lost answer would have chosen is chosen: the screen says it is saved.
    assert user.text("Name") == "Anne Lambert" and "Anne Lambert" in user.selected(REFERENTS)
    saved_once(qtbot, user, "Save the referent", REFERENTS)
    assert [row[1] for row in user.rows(REFERENTS)] == ["Anne Lambert"]
    assert len(network_resources.referents(coordinator)) == 1


def test_an_activity_saved_again_after_a_lock_is_one_activity(
    qtbot: QtBot, window: MainWindow, reception: OpenDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    this_month = Month.of(clock.today())
    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    User(qtbot, window).click_row("Pages", "Activities and housing")
    user = User(qtbot, window.workspace.activities_page)
    qtbot.waitUntil(lambda: bool(user.options("Kind of activity")))  # the desk's kinds read
    user.type("Title", "La cabane")
    user.type("Place", "Maison de quartier")
    user.type("Participants", "9")
    held = answered_after_a_lock(monkeypatch, "activity.record")
    locked_while_saving(qtbot, window, user, "Save the activity", held)
    assert len(activities.activities_of(reception, this_month, this_month)) == 1

    sign_in(qtbot, window, "rita", STAFF_PASSWORD)
    qtbot.waitUntil(lambda: len(user.rows(ACTIVITIES)) == 1)
    assert user.text("Title") == "La cabane" and "La cabane" in user.selected(ACTIVITIES)
    user.type("Participants", "11")
    saved_once(qtbot, user, "Save the activity", ACTIVITIES)
    assert [row[5] for row in user.rows(ACTIVITIES)] == ["11"]
    [saved] = activities.activities_of(reception, this_month, this_month)
    assert saved.participants == 11


def test_an_account_saved_before_a_lock_is_the_account_chosen_after_it(
    qtbot: QtBot, window: MainWindow, admin_desk: OpenDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    User(qtbot, window).click_row("Pages", "Administration")
    user = User(qtbot, window.workspace.admin_page)
    qtbot.waitUntil(lambda: len(user.rows("Accounts")) == 3)
    user.type("User name", "nora")
    user.type("First password", "orange kettle mountain 5")
    user.tick("Counsellor")
    held = answered_after_a_lock(monkeypatch, "account.create")
    locked_while_saving(qtbot, window, user, "Save the account", held)

    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    qtbot.waitUntil(lambda: len(user.rows("Accounts")) == 4)
    # The account the lost answer would have chosen is chosen: an account, no first password
    # to type again (the one typed before the lock is the account's).
    assert user.text("User name") == "nora" and "nora" in user.selected("Accounts")
    assert not user.sees("First password")
    user.press("Save the account")
    tasks.wait_for_all()
    assert [u.user_name for u in accounts.list_users(admin_desk)].count("nora") == 1
