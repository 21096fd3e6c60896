"""The one window of Havre: the lock screen while locked, the workspace once unlocked.

Locking (by hand, after inactivity, or by the quick exit) keeps unsaved input as encrypted
drafts, empties every page, closes the database and drops the key; unlocking as the same
person brings back the same page with the input as it was.

Start-up time matters (the sign-in screen within 1.5x a bare Qt window, see the budgets in
docs/architecture.md), so this module only builds the lock screen; the workspace and the
services behind it are imported in the background once the window shows, and built at the
first unlock. Nothing on the way to the sign-in screen touches PySide6's `Qt` namespace:
building its enums costs ~45 ms.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QShowEvent, QWindow
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
)

from app import APP_NAME
from app.errors import HavreError
from app.i18n import _, ngettext
from app.instance_lock import DeskLock
from ui import clipboard_care, style, tasks
from ui.application import apply_language
from ui.idle_lock import IdleLock
from ui.lock_screen import LockScreen
from ui.quick_exit import QuickExitChord
from ui.settings import UiSettings
from ui.style import Tone

if TYPE_CHECKING:
    from app.services.open_desk import OpenDesk
    from ui.system_lock import SystemLockWatch
    from ui.workspace import Workspace

WORKSPACE_MODULE = "ui.workspace"
PRELOAD_DELAY_MS = 150
AFTER_FIRST_PAINT_MS = 100
WATCHED = "havre_watched"


def _gui_application() -> QGuiApplication:
    application = QGuiApplication.instance()
    assert isinstance(application, QGuiApplication)
    return application


class MainWindow(QMainWindow):
    def __init__(self, desk_lock: DeskLock, settings: UiSettings) -> None:
        super().__init__()
        # The title never names the desk or its work: it shows in the taskbar.
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(900, 600)
        self.settings = settings
        self.desk_lock = desk_lock
        self.desk: OpenDesk | None = None
        self._workspace: Workspace | None = None

        self.stack = QStackedWidget()
        self.lock_screen = self._lock_screen()
        self.stack.addWidget(self.lock_screen)
        self.setCentralWidget(self.stack)

        # Always in sight at the top right, locked or not (GOV.UK "Exit this page").
        self.quick_exit_button = QPushButton()
        style.tone(self.quick_exit_button, Tone.QUICK_EXIT)
        self.quick_exit_button.clicked.connect(self.quick_exit)
        self._name_quick_exit()
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label, 1)
        self.page_actions: dict[str, QAction] = {}
        self._build_menus()

        self.idle_lock = IdleLock(self)
        self.idle_lock.timed_out.connect(self.lock)
        self.quick_exit_chord = QuickExitChord(self)
        self.quick_exit_chord.triggered.connect(self.quick_exit)
        # Watched from just after the first paint: the sign-in screen must not wait for
        # D-Bus (a session locked before then finds Havre locked anyway).
        self.system_lock: SystemLockWatch | None = None
        QTimer.singleShot(AFTER_FIRST_PAINT_MS, self, self._watch_system_lock)
        # Keyboard and mouse input reaches a top-level window before any widget: watching
        # the windows (this one, and each dialog as it gets the focus) sees every press at a
        # fraction of the cost of filtering every event of the application.
        _gui_application().focusWindowChanged.connect(self._watch_window)
        self._show_locked()
        # Once the sign-in screen is on display, and while the person types their name,
        # load what the first unlock needs (started later, it would slow the first paint).
        QTimer.singleShot(PRELOAD_DELAY_MS, self, self._preload_workspace)

    def _lock_screen(self) -> LockScreen:
        screen = LockScreen()
        screen.set_database(self.desk_lock.database)
        screen.unlocked.connect(self._unlocked)
        screen.recovery_requested.connect(self.reset_with_recovery_key)
        screen.open_other_requested.connect(self.open_other_desk)
        screen.new_desk_requested.connect(self.set_up_new_desk)
        return screen

    def _name_quick_exit(self) -> None:
        self.quick_exit_button.setText(_("Quick exit"))
        self.quick_exit_button.setToolTip(
            _("Hide the screen at once and lock (or press Shift three times)")
        )
        # The menu bar sizes its corner widget when given it: again for a longer name.
        self.quick_exit_button.resize(self.quick_exit_button.sizeHint())
        self.menuBar().setCornerWidget(self.quick_exit_button)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._watch_window(self.windowHandle())

    def nativeEvent(
        self, event_type: QByteArray | bytes | bytearray | memoryview, message: int, /
    ) -> object:
        # Windows only: the session and power notifications come as window messages.
        if self.system_lock is not None:
            kind = event_type.data() if isinstance(event_type, QByteArray) else event_type
            self.system_lock.native_event(bytes(kind), message)
        return super().nativeEvent(event_type, message)

    def _watch_system_lock(self) -> None:
        from ui.system_lock import SystemLockWatch, register_windows_session

        self.system_lock = SystemLockWatch(self)
        self.system_lock.locking.connect(self.lock)
        register_windows_session(int(self.winId()))

    def _watch_window(self, window: QWindow | None) -> None:
        if window is None or window.property(WATCHED):
            return
        window.setProperty(WATCHED, True)
        window.installEventFilter(self.idle_lock)
        window.installEventFilter(self.quick_exit_chord)

    def _preload_workspace(self) -> None:
        tasks.run(
            self,
            lambda: importlib.import_module(WORKSPACE_MODULE),
            lambda _module: None,
            busy_cursor=False,
        )

    # Menus

    def _build_menus(self) -> None:
        desk_menu = self.menuBar().addMenu(_("&Desk"))
        self.lock_action = QAction(_("&Lock"), self)
        self.lock_action.triggered.connect(self.lock)
        quick_exit_action = QAction(_("&Quick exit"), self)
        quick_exit_action.triggered.connect(self.quick_exit)
        quit_action = QAction(_("&Quit"), self)
        quit_action.triggered.connect(self.close)
        desk_menu.addAction(self.lock_action)
        desk_menu.addAction(quick_exit_action)
        desk_menu.addSeparator()
        desk_menu.addAction(quit_action)
        self.go_menu = self.menuBar().addMenu(_("&Go"))
        help_menu = self.menuBar().addMenu(_("&Help"))
        help_action = QAction(_("Keyboard and quick exit"), self)
        help_action.triggered.connect(self.show_help)
        about_action = QAction(_("&About Havre"), self)
        about_action.triggered.connect(self.show_about)
        help_menu.addAction(help_action)
        help_menu.addAction(about_action)
        # Shortcuts are set just after the first paint: converting key sequences builds
        # PySide6's key enums (about 60 ms), which the sign-in screen must not wait for.
        self._shortcuts: list[tuple[QAction, str]] = [
            (self.lock_action, "Ctrl+L"),
            (quit_action, "Ctrl+Q"),
            (help_action, "F1"),
        ]
        QTimer.singleShot(AFTER_FIRST_PAINT_MS, self, self._install_shortcuts)

    # Help and About are loaded when asked for, not before the sign-in screen.

    def show_help(self) -> None:
        from ui.dialogs.help_dialog import HelpDialog

        HelpDialog(self).open()

    def show_about(self) -> None:
        from ui.about import AboutDialog

        AboutDialog(self).open()

    def _install_shortcuts(self) -> None:
        for action, keys in self._shortcuts:
            action.setShortcut(QKeySequence(keys))

    # The workspace, built at the first unlock

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            workspace_module = importlib.import_module(WORKSPACE_MODULE)
            workspace: Workspace = workspace_module.Workspace(self.settings)
            workspace.idle_minutes_changed.connect(self.set_idle_minutes)
            workspace.lock_requested.connect(self.lock)
            workspace.rotation_requested.connect(self.rotate_data_key)
            workspace.status_note.connect(self._add_status_note)
            workspace.language_changed.connect(self.change_language)
            self.stack.addWidget(workspace)
            for page in workspace.pages:
                action = QAction(page.title, self)
                action.triggered.connect(lambda _checked=False, k=page.key: self.show_page(k))
                self.go_menu.addAction(action)
                self.page_actions[page.key] = action
            self._workspace = workspace
        return self._workspace

    def show_page(self, key: str) -> None:
        self.workspace.show_page(key)

    def _unlocked(self, desk: OpenDesk) -> None:
        self.desk = desk
        workspace = self.workspace
        # Ctrl+1 … Ctrl+9 follow the pages this person sees, in the order of the navigation.
        shown = [page for page in workspace.pages if workspace.allowed(page, desk)]
        for page in workspace.pages:
            action = self.page_actions[page.key]
            action.setVisible(page in shown)
            number = shown.index(page) + 1 if page in shown else 0
            action.setShortcut(
                QKeySequence(f"Ctrl+{number}") if 1 <= number <= 9 else QKeySequence()
            )
        self.status_label.setText(workspace.enter(desk))
        self._set_unlocked_ui(True)
        self.stack.setCurrentWidget(workspace)

    def change_language(self, code: str) -> None:
        """Another language, at once: the window is built again in it, and takes back what
        was typed, the open dialog and the page as drafts."""
        desk = self.desk
        if desk is None:
            return
        kept = self.workspace.take_drafts()
        self._close_dialogs()
        self.workspace.hand_over(desk, kept)
        apply_language(code)
        old_workspace, old_lock_screen = self.workspace, self.lock_screen
        self._workspace = None
        self.lock_screen = self._lock_screen()
        self.stack.addWidget(self.lock_screen)
        for widget in (old_workspace, old_lock_screen):
            self.stack.removeWidget(widget)
            widget.deleteLater()
        old_menus = [action.menu() for action in self.menuBar().actions()]
        self.menuBar().clear()
        for menu in old_menus:
            if menu is not None:
                menu.deleteLater()
        self.page_actions = {}
        self._build_menus()
        self._install_shortcuts()
        self._name_quick_exit()
        self._unlocked(desk)

    def _add_status_note(self, note: str) -> None:
        if self.desk is not None:
            self.status_label.setText(self.status_label.text() + " · " + note)

    def set_idle_minutes(self, minutes: int) -> None:
        if self.desk is not None:
            self.idle_lock.start(minutes)

    # Locking

    def lock(self) -> None:
        clipboard_care.care().clear()
        desk = self.desk
        if desk is None:
            return
        self.desk = None
        tasks.end_of_session()
        self.idle_lock.stop()
        kept = self.workspace.take_drafts()
        self._close_dialogs()
        self.workspace.leave(desk, kept)
        self._show_locked()

    def quick_exit(self) -> None:
        """Blank to the neutral screen first (what someone sees matters most), then lock."""
        self._show_locked()
        self.repaint()
        self.lock()

    def _show_locked(self) -> None:
        self.stack.setCurrentWidget(self.lock_screen)
        self.lock_screen.reset()
        self.status_label.clear()
        self._set_unlocked_ui(False)

    def _set_unlocked_ui(self, unlocked: bool) -> None:
        self.lock_action.setEnabled(unlocked)
        self.go_menu.setEnabled(unlocked)
        for action in self.page_actions.values():
            action.setEnabled(unlocked)

    def _close_dialogs(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()

    def rotate_data_key(self, backup_target: Path, password: str) -> None:
        """Lock (the database is replaced underneath), then rotate as the admin signed in."""
        from app.services import key_rotation  # only when asked for

        desk = self.desk
        if desk is None:
            return
        database, user_name = self.desk_lock.database, desk.user.user_name
        self.lock()
        self.lock_screen.setEnabled(False)
        self.lock_screen.show_message(
            _("Rotating the data key: the desk is being re-encrypted…"), problem=False
        )

        def done(rotated: key_rotation.RotationDone) -> None:
            self.lock_screen.setEnabled(True)
            message = _(
                "The desk is now encrypted under a new data key; every active account and "
                "the recovery key open it. Backup made first: {path}. Sign in again."
            ).format(path=rotated.backup.database)
            if rotated.unconfirmed:
                message = ngettext(
                    "The desk is now encrypted under a new data key. Backup made first: "
                    "{path}. {count} account was left out because its key slot was not signed "
                    "by its own key: reset its password with the recovery key.",
                    "The desk is now encrypted under a new data key. Backup made first: "
                    "{path}. {count} accounts were left out because their key slots were not "
                    "signed by their own keys: reset their passwords with the recovery key.",
                    rotated.unconfirmed,
                ).format(path=rotated.backup.database, count=rotated.unconfirmed)
            self.lock_screen.show_message(message, problem=rotated.unconfirmed > 0)

        def failed(error: BaseException) -> None:
            self.lock_screen.setEnabled(True)
            self.lock_screen.show_message(
                _("The data key rotation stopped. The passwords open the desk as before.")
            )
            tasks.report_failure(self, error)

        from app.progress import Progress  # only when asked for

        progress = Progress()
        tasks.run(
            self,
            lambda: key_rotation.rotate(database, user_name, password, backup_target, progress),
            done,
            failed,
            progress=progress,
            title=_("Rotating the data key"),
        )

    # Switching desks (only while locked)

    def switch_database(self, database: Path) -> None:
        from ui import prompts  # loaded when first needed, not before the first screen

        if self.desk is not None or database == self.desk_lock.database:
            return
        new_lock = DeskLock(database)
        try:
            new_lock.acquire()
        except HavreError as error:
            prompts.show_error(self, error)
            return
        self.desk_lock.release()
        self.desk_lock = new_lock
        self.settings.last_database = database
        self.lock_screen.set_database(database)
        self.lock_screen.reset()

    def open_other_desk(self) -> None:
        from ui import prompts  # loaded when first needed, not before the first screen

        chosen = prompts.choose_database_to_open(self, self.desk_lock.database.parent)
        if chosen is not None:
            self.switch_database(chosen)

    def set_up_new_desk(self) -> None:
        from ui.wizard import SetupWizard  # only when asked for: it loads desk creation

        wizard = SetupWizard(self)
        wizard.desk_created.connect(self.switch_database)
        wizard.open()

    def reset_with_recovery_key(self) -> None:
        # Only when asked for: it loads the database stack.
        from app.services import accounts
        from ui.dialogs.password_dialog import PasswordDialog

        database = self.desk_lock.database
        dialog = PasswordDialog(
            _("Reset a password with the recovery key"),
            _(
                "Type the recovery key from the sealed sheet printed when the desk was set up, "
                "the user name, and a new password for that account."
            ),
            lambda v: accounts.reset_password_with_recovery_key(
                database, v["recovery_key"], v["user_name"], v["password"]
            ),
            ask_recovery_key=True,
            ask_user_name=True,
            parent=self,
        )
        dialog.accepted.connect(
            lambda: self.lock_screen.show_message(
                _("The password was changed. Sign in with the new password."), problem=False
            )
        )
        dialog.open()

    # Window

    def closeEvent(self, event: QCloseEvent) -> None:
        self.lock()
        self.settings.geometry = self.saveGeometry()
        _gui_application().focusWindowChanged.disconnect(self._watch_window)
        self.desk_lock.release()
        super().closeEvent(event)
