"""Where the desk lives, as people meet it: the wizard's choice of folder, and the desk the
launcher opens for another OS account of the same PC."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import machine_facts
from app.cli import GuiOptions
from app.desk_places import Machine, System, Volume
from tests.conftest import DeskFixture
from tests.ui.conftest import Prompts
from tests.ui.user import User
from ui import frontend, prompts
from ui.settings import UiSettings
from ui.wizard import ADMIN, DESK, FOLDER, SetupWizard


def _machine(tmp_path: Path, *, shared_ready: bool) -> Machine:
    shared = tmp_path / "shared"
    if shared_ready:
        shared.mkdir()
    return Machine(
        system=System.WINDOWS if os.name == "nt" else System.LINUX,
        environment={},
        home=str(tmp_path),
        personal=str(tmp_path / "mine"),
        shared=str(shared),
        volumes=(Volume(str(tmp_path.resolve() / "nas"), "cifs", "//nas/desk"),),
        resolve=os.path.realpath,
        exists=os.path.exists,
        writable=lambda folder: os.access(folder, os.W_OK),
    )


def _to_the_folder_page(qtbot: QtBot, machine: Machine) -> tuple[SetupWizard, User]:
    wizard = SetupWizard(machine=machine)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    # The window in front, as the person sees it: arrow keys move between its choices.
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard)
    user = User(qtbot, wizard)
    user.press("Next >")
    assert wizard.currentId() == DESK
    user.type("Desk name", "Permanence")
    user.type("Desk code", "SG")
    user.type("Organisation", "Commune")
    user.choose("Municipality", "Aywaille (62009)")
    user.press("Next >")
    assert wizard.currentId() == FOLDER
    return wizard, user


def test_the_shared_folder_is_offered_first_when_it_is_ready(qtbot: QtBot, tmp_path: Path) -> None:
    wizard, user = _to_the_folder_page(qtbot, _machine(tmp_path, shared_ready=True))
    assert wizard.folder_page.database() == tmp_path / "shared" / "desk.havre"
    user.press("Next >")
    assert wizard.currentId() == ADMIN


def test_for_me_only_keeps_the_desk_in_the_personal_folder(qtbot: QtBot, tmp_path: Path) -> None:
    wizard, user = _to_the_folder_page(qtbot, _machine(tmp_path, shared_ready=True))
    user.press("For me only (my account on this computer)")
    assert wizard.folder_page.database() == tmp_path / "mine" / "desk.havre"
    user.keys("Down")
    assert wizard.folder_page.database() == tmp_path / "shared" / "desk.havre"
    user.keys("Up")
    assert wizard.folder_page.database() == tmp_path / "mine" / "desk.havre"
    user.press("Next >")
    assert wizard.currentId() == ADMIN
    assert (tmp_path / "mine").is_dir() and not list((tmp_path / "shared").iterdir())


def test_a_shared_folder_not_ready_is_disabled_with_what_it_needs(
    qtbot: QtBot, tmp_path: Path
) -> None:
    wizard, user = _to_the_folder_page(qtbot, _machine(tmp_path, shared_ready=False))
    assert not user.find("Shared by the accounts of this PC").isEnabled()
    assert "Ask IT" in user.said() and "group havre" in user.said()
    assert wizard.folder_page.database() == tmp_path / "mine" / "desk.havre"


def test_another_folder_on_a_share_is_refused_at_once(
    qtbot: QtBot, tmp_path: Path, recorded_prompts: Prompts
) -> None:
    (tmp_path / "nas").mkdir()
    wizard, user = _to_the_folder_page(qtbot, _machine(tmp_path, shared_ready=True))
    recorded_prompts.folder = tmp_path / "nas"
    user.press("Change…")
    assert "is on a network share" in user.said()
    user.press("Next >")
    assert wizard.currentId() == FOLDER
    assert list((tmp_path / "nas").iterdir()) == []
    recorded_prompts.folder = tmp_path / "desks"
    user.press("Change…")
    assert "is on a network share" not in user.said()
    user.press("Next >")
    assert wizard.currentId() == ADMIN


@pytest.mark.parametrize("last_used", [False, True])
def test_another_account_of_the_pc_finds_the_shared_desk(
    qtbot: QtBot, desk: DeskFixture, tmp_path: Path, last_used: bool
) -> None:
    """No desk of its own, nothing used before: the shared desk opens; a desk used last
    comes first."""
    machine = _machine(tmp_path / "pc", shared_ready=False)
    machine = replace(machine, shared=str(desk.database.parent))
    settings = UiSettings(tmp_path / "ui.ini")
    elsewhere = tmp_path / "elsewhere" / "desk.havre"
    if last_used:
        elsewhere.parent.mkdir()
        for made in desk.database.parent.glob("desk.havre*"):
            (elsewhere.parent / made.name).write_bytes(made.read_bytes())
        settings.last_database = elsewhere
    launcher = frontend.Launcher(settings, GuiOptions(None, None, False, False), machine)
    assert launcher.start() is None
    assert launcher.window is not None and launcher.wizard is None
    qtbot.addWidget(launcher.window)
    assert settings.last_database == (elsewhere if last_used else desk.database)


def test_the_window_refuses_a_desk_on_a_share_and_writes_nothing_there(
    qtbot: QtBot, desk: DeskFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alerts: list[str] = []
    monkeypatch.setattr(prompts, "alert", lambda _parent, error: alerts.append(str(error)))
    machine = _machine(tmp_path, shared_ready=False)
    share = tmp_path.resolve() / "nas"
    share.mkdir()
    for made in desk.database.parent.glob("desk.havre*"):
        made.rename(share / made.name)
    monkeypatch.setattr(machine_facts, "this_machine", lambda: machine)
    before = sorted(share.iterdir())
    launcher = frontend.Launcher(
        UiSettings(tmp_path / "ui.ini"), GuiOptions(share / "desk.havre", None, False, False)
    )
    assert launcher.start() == 1
    assert alerts and "is on a network share" in alerts[0]
    assert launcher.window is None
    assert sorted(share.iterdir()) == before
