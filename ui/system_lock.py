"""Lock Havre when the operating system locks the session, goes to sleep or switches user:
a desk left signed in behind a locked PC must not be open again when the PC wakes.

- Linux: the D-Bus signals of the screen saver (freedesktop and GNOME, on the session bus)
  and of the login manager (logind's `Lock` of a session and `PrepareForSleep`, on the
  system bus). A desktop switching user locks the screen first.
- Windows: the session notifications a window registers for (`WTSRegisterSessionNotification`):
  lock, console or remote disconnection (switching user), and the suspend broadcast.
- macOS: the session dictionary's "screen is locked" flag, read every two seconds
  (CoreGraphics), which also covers sleep (the screen locks first) and fast user switching.

Each source only ever asks for a lock: one that misfires locks a desk too often, never too
rarely.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from typing import cast

from PySide6.QtCore import SLOT, QObject, QTimer, Signal, Slot
from PySide6.QtDBus import QDBusConnection

log = logging.getLogger(__name__)

# (interface, signal) of the screen savers on the session bus; the argument is "active".
SCREEN_SAVERS = (
    ("org.freedesktop.ScreenSaver", "ActiveChanged"),
    ("org.gnome.ScreenSaver", "ActiveChanged"),
)
LOGIN1 = "org.freedesktop.login1"

# Windows messages and their codes (winuser.h, wtsapi32.h).
WM_WTSSESSION_CHANGE = 0x02B1
WM_POWERBROADCAST = 0x0218
WTS_CONSOLE_DISCONNECT = 0x2
WTS_REMOTE_DISCONNECT = 0x4
WTS_SESSION_LOCK = 0x7
PBT_APMSUSPEND = 0x4
NOTIFY_FOR_THIS_SESSION = 0
MAC_POLL_MS = 2000


class SystemLockWatch(QObject):
    """Emits `locking` when the system locks, sleeps or switches user. The buses are given
    by the tests (a session bus of their own); by default, the PC's."""

    locking = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        session_bus: QDBusConnection | None = None,
        system_bus: QDBusConnection | None = None,
    ) -> None:
        super().__init__(parent)
        self._mac_timer: QTimer | None = None
        if session_bus is not None or system_bus is not None or sys.platform.startswith("linux"):
            self._watch_dbus(
                QDBusConnection.sessionBus() if session_bus is None else session_bus,
                QDBusConnection.systemBus() if system_bus is None else system_bus,
            )
        elif sys.platform == "darwin":
            self._mac_timer = QTimer(self)
            self._mac_timer.timeout.connect(self._poll_mac)
            self._mac_timer.start(MAC_POLL_MS)

    def _watch_dbus(self, session_bus: QDBusConnection, system_bus: QDBusConnection) -> None:
        watched = 0
        if session_bus.isConnected():
            for interface, name in SCREEN_SAVERS:
                # An empty service and path: whichever program and object sends it.
                watched += session_bus.connect(
                    "", "", interface, name, self, _slot("_screen_saver(bool)")
                )
        if system_bus.isConnected():
            watched += system_bus.connect(
                LOGIN1, "", f"{LOGIN1}.Session", "Lock", self, _slot("_session_lock()")
            )
            watched += system_bus.connect(
                LOGIN1, "", f"{LOGIN1}.Manager", "PrepareForSleep", self, _slot("_sleep(bool)")
            )
        if not watched:
            log.info("no D-Bus to watch: Havre locks on its own idle timer only")

    @Slot(bool)
    def _screen_saver(self, active: bool) -> None:
        if active:
            self.locking.emit()

    @Slot()
    def _session_lock(self) -> None:
        self.locking.emit()

    @Slot(bool)
    def _sleep(self, starting: bool) -> None:
        if starting:
            self.locking.emit()

    def _poll_mac(self) -> None:
        if mac_screen_locked():
            self.locking.emit()

    def native_event(self, event_type: bytes, message: int) -> None:
        """Fed by the main window's native events (session notifications on Windows)."""
        windows = windows_message_of(event_type, message)
        if windows is not None and windows_locks(*windows):
            self.locking.emit()


def _slot(signature: str) -> bytes:
    # PySide6 wants the str SLOT() makes, though its stubs say bytes.
    return cast("bytes", SLOT(signature))


def windows_locks(message_id: int, code: int) -> bool:
    """Whether a window message (its id and WPARAM) says the session is locking, being left
    for another user, or the PC is suspending."""
    if message_id == WM_WTSSESSION_CHANGE:
        return code in (WTS_SESSION_LOCK, WTS_CONSOLE_DISCONNECT, WTS_REMOTE_DISCONNECT)
    return message_id == WM_POWERBROADCAST and code == PBT_APMSUSPEND


def windows_message_of(event_type: bytes, message: int) -> tuple[int, int] | None:
    """The id and WPARAM of a native Windows message (a pointer to an MSG)."""
    if event_type not in (b"windows_generic_MSG", b"windows_dispatcher_MSG"):
        return None
    msg = ctypes.cast(message, ctypes.POINTER(_Msg)).contents
    return msg.message, msg.wParam


class _Msg(ctypes.Structure):
    _fields_ = (
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint),
        ("wParam", ctypes.c_size_t),
        ("lParam", ctypes.c_ssize_t),
        ("time", ctypes.c_uint32),
        ("pt_x", ctypes.c_long),
        ("pt_y", ctypes.c_long),
    )


def register_windows_session(window_id: int) -> None:
    """Ask Windows for the session notifications of this window (no-op elsewhere)."""
    if sys.platform != "win32":
        return
    try:
        wtsapi = ctypes.WinDLL("wtsapi32")  # type: ignore[attr-defined,unused-ignore]
        wtsapi.WTSRegisterSessionNotification(ctypes.c_void_p(window_id), NOTIFY_FOR_THIS_SESSION)
    except OSError:
        log.exception("session notifications unavailable: Havre locks on its idle timer only")


def mac_screen_locked() -> bool:
    """The "screen is locked" flag of the current macOS session (False elsewhere)."""
    if sys.platform != "darwin":
        return False
    try:
        quartz = ctypes.CDLL(
            "/System/Library/Frameworks/ApplicationServices.framework/ApplicationServices"
        )
        core = ctypes.CDLL("/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation")
    except OSError:
        return False
    quartz.CGSessionCopyCurrentDictionary.restype = ctypes.c_void_p
    core.CFStringCreateWithCString.restype = ctypes.c_void_p
    core.CFStringCreateWithCString.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint32)
    core.CFDictionaryGetValue.restype = ctypes.c_void_p
    core.CFDictionaryGetValue.argtypes = (ctypes.c_void_p, ctypes.c_void_p)
    core.CFBooleanGetValue.argtypes = (ctypes.c_void_p,)
    core.CFRelease.argtypes = (ctypes.c_void_p,)
    session = quartz.CGSessionCopyCurrentDictionary()
    if not session:
        return True  # no console session: the user switched away
    utf8 = 0x08000100
    key = core.CFStringCreateWithCString(None, b"CGSSessionScreenIsLocked", utf8)
    try:
        value = core.CFDictionaryGetValue(session, key)
        return bool(value) and bool(core.CFBooleanGetValue(value))
    finally:
        core.CFRelease(key)
        core.CFRelease(session)
