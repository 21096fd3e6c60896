"""Issue 19, point 7: a copied phone number stayed on the clipboard after quick exit and
lock, and a PC locked by its operating system left Havre open behind it."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.conftest import ADMIN_PASSWORD
from tests.ui.conftest import lock, sign_in
from tests.ui.user import User
from ui import clipboard_care, system_lock
from ui.main_window import MainWindow
from ui.system_lock import LOGIN1, SystemLockWatch

NUMBER = "0478115488"


def test_a_copied_number_is_cleared_after_30_seconds(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert clipboard_care.CLEAR_AFTER_MS == 30_000
    # harness: half a minute in 50 ms, as the test cannot wait for Qt's timers.
    monkeypatch.setattr(clipboard_care, "CLEAR_AFTER_MS", 50)
    clipboard_care.care().copy(NUMBER)
    assert QApplication.clipboard().text() == NUMBER
    qtbot.waitUntil(lambda: QApplication.clipboard().text() == "", timeout=3000)


def test_what_the_person_copied_since_is_left_alone(qtbot: QtBot) -> None:
    care = clipboard_care.care()
    care.copy(NUMBER)
    QApplication.clipboard().setText("a line of their own")
    care.clear()
    assert QApplication.clipboard().text() == "a line of their own"


@pytest.mark.parametrize("how", ["lock", "quick exit"])
def test_lock_and_quick_exit_take_the_number_back(
    qtbot: QtBot, window: MainWindow, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    monkeypatch.setattr(clipboard_care, "CLEAR_AFTER_MS", 50)
    clipboard_care.care().copy(NUMBER)
    if how == "lock":
        lock(qtbot, window)
    else:
        User(qtbot, window).press("Quick exit")
    assert window.desk is None
    assert QApplication.clipboard().text() == ""
    # The same number copied by the person afterwards is theirs: nothing of Havre's clears it.
    QApplication.clipboard().setText(NUMBER)
    qtbot.wait(200)
    assert QApplication.clipboard().text() == NUMBER


def test_the_system_locking_locks_the_desk(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "admin", ADMIN_PASSWORD)
    qtbot.waitUntil(lambda: window.system_lock is not None)
    assert window.system_lock is not None
    # harness: what the operating system says when it locks the session.
    window.system_lock.locking.emit()
    assert window.desk is None and window.stack.currentWidget() is window.lock_screen


@pytest.fixture
def own_bus(tmp_path: Path) -> Iterator[str]:
    """A D-Bus daemon of the test's own, standing for both the session and system buses."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None and sys.platform == "win32":
        pytest.skip("no D-Bus daemon on Windows: the watch listens to Windows' own messages there")
    if daemon is None:
        pytest.fail("dbus-daemon is missing: `make test` installs it (package dbus-daemon)")
    config = tmp_path / "bus.conf"
    config.write_text(
        "<!DOCTYPE busconfig PUBLIC '-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN' "
        "'http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd'>"
        f"<busconfig><type>session</type><listen>unix:dir={tmp_path}</listen>"
        "<policy context='default'><allow send_destination='*' eavesdrop='true'/>"
        "<allow eavesdrop='true'/><allow own='*'/></policy></busconfig>"
    )
    process = subprocess.Popen(
        [daemon, f"--config-file={config}", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    address = process.stdout.readline().strip()
    yield address
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.parametrize(
    ("sender", "path", "member", "active", "locks"),
    [
        (
            "",
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver.ActiveChanged",
            True,
            True,
        ),
        ("", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver.ActiveChanged", True, True),
        ("", "/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", False, False),
        (
            LOGIN1,
            "/org/freedesktop/login1/session/_32",
            "org.freedesktop.login1.Session.Lock",
            None,
            True,
        ),
        (
            LOGIN1,
            "/org/freedesktop/login1",
            "org.freedesktop.login1.Manager.PrepareForSleep",
            True,
            True,
        ),
        (
            LOGIN1,
            "/org/freedesktop/login1",
            "org.freedesktop.login1.Manager.PrepareForSleep",
            False,
            False,
        ),
        # Anyone else claiming the login manager's signal is not listened to.
        (
            "",
            "/org/freedesktop/login1/session/_32",
            "org.freedesktop.login1.Session.Lock",
            None,
            False,
        ),
    ],
)
def test_the_watch_hears_the_screen_saver_and_the_login_manager(
    qtbot: QtBot,
    own_bus: str,
    sender: str,
    path: str,
    member: str,
    active: bool | None,
    locks: bool,
) -> None:
    listening = QDBusConnection.connectToBus(own_bus, "havre-listening")
    speaking = QDBusConnection.connectToBus(own_bus, "havre-speaking")
    try:
        assert listening.isConnected() and speaking.isConnected()
        watch = SystemLockWatch(session_bus=listening, system_bus=listening)
        heard: list[bool] = []
        watch.locking.connect(lambda: heard.append(True))
        if sender:
            assert speaking.registerService(sender)
        interface, name = member.rsplit(".", 1)
        message = QDBusMessage.createSignal(path, interface, name)
        if active is not None:
            message.setArguments([active])
        assert speaking.send(message)
        if locks:
            qtbot.waitUntil(lambda: heard == [True], timeout=5000)
        else:
            qtbot.wait(300)
            assert heard == []
    finally:
        QDBusConnection.disconnectFromBus("havre-listening")
        QDBusConnection.disconnectFromBus("havre-speaking")


def test_windows_session_messages_that_lock() -> None:
    locks = system_lock.windows_locks
    assert locks(system_lock.WM_WTSSESSION_CHANGE, system_lock.WTS_SESSION_LOCK)
    assert locks(system_lock.WM_WTSSESSION_CHANGE, system_lock.WTS_CONSOLE_DISCONNECT)
    assert locks(system_lock.WM_WTSSESSION_CHANGE, system_lock.WTS_REMOTE_DISCONNECT)
    assert not locks(system_lock.WM_WTSSESSION_CHANGE, 0x8)  # WTS_SESSION_UNLOCK
    assert locks(system_lock.WM_POWERBROADCAST, system_lock.PBT_APMSUSPEND)
    assert not locks(system_lock.WM_POWERBROADCAST, 0x12)  # PBT_APMRESUMEAUTOMATIC
    assert not locks(0x0100, system_lock.WTS_SESSION_LOCK)  # WM_KEYDOWN


def test_a_native_windows_message_is_read_as_windows_lays_it_out() -> None:
    # harness: a Windows MSG as the system lays it out, from the module's own structure.
    msg = system_lock._Msg(None, system_lock.WM_WTSSESSION_CHANGE, system_lock.WTS_SESSION_LOCK)
    pointer = ctypes.addressof(msg)
    assert system_lock.windows_message_of(b"windows_generic_MSG", pointer) == (
        system_lock.WM_WTSSESSION_CHANGE,
        system_lock.WTS_SESSION_LOCK,
    )
    assert system_lock.windows_message_of(b"xcb_generic_event_t", pointer) is None
