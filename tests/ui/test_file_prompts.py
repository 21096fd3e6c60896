"""Every file the screens read or write is chosen through ui/prompts.py, which the tests
answer as the person would: a file, or a cancelled dialog. The buttons are pressed; the
files are written by the services, and an existing one only after asking."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.services import directory_packs, keys
from app.services.open_desk import OpenDesk
from tests.counts_support import MARCH, Network, open_coordinator
from tests.ui.conftest import Prompts
from tests.ui.user import User
from ui import prompts, tasks
from ui.pages.counts_page import CountsPage
from ui.pages.directory_page import DirectoryPage
from ui.pages.network_page import NetworkPage

pytestmark = pytest.mark.dates  # the counts files are months of the clock

Page = TypeVar("Page", bound=QWidget)


def shown(qtbot: QtBot, page: Page) -> Page:
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    return page


def packs_tab(qtbot: QtBot, desk: OpenDesk) -> User:
    """The directory page's packs, as its keeper opens them."""
    page = shown(qtbot, DirectoryPage())
    page.open_desk(desk)
    user = User(qtbot, page)
    user.open_tab("Directory packs")
    return user


def press(qtbot: QtBot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def replaced_only_when_confirmed(
    qtbot: QtBot, button: QWidget, target: Path, recorded: Prompts
) -> None:
    """Pressing `button` again, to write the existing `target`, asks first: no leaves the
    file as it was, yes has it written (and said)."""
    before, said = target.read_bytes(), len(recorded.infos)
    recorded.confirm_answer = False
    press(qtbot, button)
    qtbot.waitUntil(lambda: bool(recorded.questions))
    tasks.wait_for_all()
    assert recorded.questions == [f"{target.name} already exists. Replace it?"]
    assert target.read_bytes() == before and len(recorded.infos) == said
    recorded.confirm_answer = True
    press(qtbot, button)
    qtbot.waitUntil(lambda: len(recorded.infos) == said + 1)


def test_the_recorder_answers_every_prompt(recorded_prompts: Prompts) -> None:
    """A prompt added to ui/prompts.py without its recorded answer would open a real dialog
    in a UI test and wait for nobody."""
    tree = ast.parse(Path(prompts.__file__).read_text("utf-8"))
    public = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    ]
    assert "choose_file_to_save" in public
    assert [name for name in public if getattr(prompts, name).__module__ == prompts.__name__] == []


def test_the_desks_public_key_is_saved_where_chosen_and_replaced_only_when_confirmed(
    qtbot: QtBot, coordinator: OpenDesk, tmp_path: Path, recorded_prompts: Prompts
) -> None:
    page = shown(qtbot, CountsPage())
    page.open_desk(coordinator)
    usb = tmp_path / "usb"
    usb.mkdir()
    press(qtbot, page.own_key_button)  # cancelled
    tasks.wait_for_all()
    assert recorded_prompts.file_questions == ["This desk's public key"]
    assert list(usb.iterdir()) == [] and recorded_prompts.infos == []

    target = usb / "desk.havre-key"
    recorded_prompts.file_to_save = target
    press(qtbot, page.own_key_button)
    qtbot.waitUntil(lambda: bool(recorded_prompts.infos))
    assert recorded_prompts.infos == [f"Public key file written: {target}"]
    assert target.read_bytes() == keys.public_key_file(coordinator)
    assert recorded_prompts.questions == []

    target.write_bytes(b"someone else's file")
    replaced_only_when_confirmed(qtbot, page.own_key_button, target, recorded_prompts)
    assert target.read_bytes() == keys.public_key_file(coordinator)
    tasks.wait_for_all()


def test_the_recipient_is_read_from_the_chosen_key_file(
    qtbot: QtBot, coordinator: OpenDesk, tmp_path: Path, recorded_prompts: Prompts
) -> None:
    hub = open_coordinator(tmp_path, "hub", "NET", "62009")
    try:
        key_file = tmp_path / "hub.havre-key"
        key_file.write_bytes(keys.public_key_file(hub))
    finally:
        hub.close()
    page = shown(qtbot, CountsPage())
    page.open_desk(coordinator)
    qtbot.waitUntil(lambda: page.recipient.text().startswith("No recipient yet"))
    press(qtbot, page.recipient_button)  # cancelled
    tasks.wait_for_all()
    assert keys.recipient(coordinator) is None
    recorded_prompts.file_to_open = key_file
    press(qtbot, page.recipient_button)
    qtbot.waitUntil(lambda: page.recipient.text().startswith("Encrypted to: NET"))
    assert recorded_prompts.file_questions == ["The network coordinator's public key"] * 2
    tasks.wait_for_all()


def test_counts_files_chosen_with_the_button_are_imported(
    qtbot: QtBot, net: Network, recorded_prompts: Prompts
) -> None:
    counts_file = net.export(MARCH)
    page = shown(qtbot, NetworkPage())
    page.open_desk(net.hub)
    qtbot.waitUntil(lambda: "No counts file received yet" in page.summary.text())
    user = User(qtbot, page)
    user.press("Import files…")  # cancelled
    tasks.wait_for_all()
    assert user.rows("Import results") == []
    recorded_prompts.files_to_open = [counts_file]
    user.press("Import files…")
    qtbot.waitUntil(lambda: len(user.rows("Import results")) == 1)
    assert user.rows("Import results")[0][1] == "accepted"
    assert recorded_prompts.file_questions == ["Import counts files"] * 2
    tasks.wait_for_all()


def test_a_desks_key_chosen_with_the_button_is_trusted_once_its_fingerprint_is_compared(
    qtbot: QtBot, net: Network, recorded_prompts: Prompts
) -> None:
    other = open_coordinator(net.folder.parent, "other", "ES", "62032")
    try:
        key_file = net.key_file(other, "es.havre-key")
        fingerprint = keys.own_public_key(other).fingerprint
    finally:
        other.close()
    page = shown(qtbot, NetworkPage())
    page.open_desk(net.hub)
    user = User(qtbot, page)
    trusted = "Desks whose files are accepted"
    qtbot.waitUntil(lambda: len(user.rows(trusted)) == 1)
    recorded_prompts.file_to_open = key_file
    recorded_prompts.confirm_answer = False
    user.press("Trust a desk's key…")
    assert recorded_prompts.file_questions == ["Trust a public key file"]
    assert fingerprint in recorded_prompts.questions[-1]
    tasks.wait_for_all()
    assert [k.desk_code for k in keys.trusted_keys(net.hub)] == ["SG"]
    recorded_prompts.confirm_answer = True
    user.press("Trust a desk's key…")
    qtbot.waitUntil(lambda: len(user.rows(trusted)) == 2)
    tasks.wait_for_all()


def test_a_directory_pack_is_exported_where_chosen_and_replaced_only_when_confirmed(
    qtbot: QtBot, admin_desk: OpenDesk, tmp_path: Path, recorded_prompts: Prompts
) -> None:
    user = packs_tab(qtbot, admin_desk)
    export = user.find("Export a pack…")
    target = tmp_path / "directory.havre-directory"
    press(qtbot, export)  # cancelled
    tasks.wait_for_all()
    assert recorded_prompts.file_questions == ["Export a directory pack"]
    assert not target.exists() and directory_packs.current_version(admin_desk) == 0

    recorded_prompts.file_to_save = target
    press(qtbot, export)
    qtbot.waitUntil(lambda: bool(recorded_prompts.infos))
    assert recorded_prompts.infos[-1].startswith("Directory pack version 1 written")
    first = target.read_bytes()
    replaced_only_when_confirmed(qtbot, export, target, recorded_prompts)
    assert recorded_prompts.infos[-1].startswith("Directory pack version 2 written")
    assert target.read_bytes() != first
    tasks.wait_for_all()


def test_a_file_chosen_with_the_import_button_that_is_no_pack_is_refused(
    qtbot: QtBot, admin_desk: OpenDesk, tmp_path: Path, recorded_prompts: Prompts
) -> None:
    user = packs_tab(qtbot, admin_desk)
    not_a_pack = tmp_path / "photo.havre-directory"
    not_a_pack.write_bytes(b"\xff\xd8\xff" + bytes(100))
    recorded_prompts.file_to_open = not_a_pack
    user.press("Import a pack…")
    qtbot.waitUntil(lambda: bool(recorded_prompts.errors))
    assert recorded_prompts.file_questions == ["Import a directory pack"]
    assert "photo.havre-directory" in recorded_prompts.errors[-1]
    tasks.wait_for_all()
