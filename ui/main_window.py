"""The one window of Havre: the lock screen while locked, the workspace once unlocked.

Locking (by hand, after inactivity, or by the quick exit) keeps unsaved input as encrypted
drafts, empties every page, closes the database and drops the key; unlocking as the same
person brings back the same page with the input as it was.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from app import APP_NAME
from app.domain.roles import roles_label
from app.errors import HavreError
from app.i18n import _
from app.instance_lock import DeskLock
from app.services import accounts, auth, desk_settings, drafts
from app.services.open_desk import OpenDesk
from ui import prompts
from ui.about import AboutDialog
from ui.dialogs.help_dialog import HelpDialog
from ui.dialogs.password_dialog import PasswordDialog
from ui.idle_lock import IdleLock
from ui.lock_screen import LockScreen
from ui.pages.account_page import AccountPage
from ui.pages.admin_page import AdminPage
from ui.pages.base import Page
from ui.quick_exit import QuickExitChord
from ui.settings import UiSettings
from ui.wizard import SetupWizard

log = logging.getLogger(__name__)
WINDOW_DRAFT = "_window"


class MainWindow(QMainWindow):
    def __init__(self, desk_lock: DeskLock, settings: UiSettings) -> None:
        super().__init__()
        # The title never names the desk or its work: it shows in the taskbar.
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(900, 600)
        self.settings = settings
        self.desk_lock = desk_lock
        self.desk: OpenDesk | None = None

        self.lock_screen = LockScreen()
        self.lock_screen.set_database(desk_lock.database)
        self.lock_screen.unlocked.connect(self._unlocked)
        self.lock_screen.recovery_requested.connect(self.reset_with_recovery_key)
        self.lock_screen.open_other_requested.connect(self.open_other_desk)
        self.lock_screen.new_desk_requested.connect(self.set_up_new_desk)

        self.admin_page = AdminPage()
        self.account_page = AccountPage(settings)
        self.pages: list[Page] = [self.admin_page, self.account_page]
        self.admin_page.idle_minutes_saved.connect(self.set_idle_minutes)
        self.navigation = QListWidget()
        self.navigation.setFixedWidth(180)
        self.navigation.setStyleSheet("QListWidget::item { padding: 8px 6px; }")
        self.navigation.setAccessibleName(_("Pages"))
        self.page_stack = QStackedWidget()
        for page in self.pages:
            self.page_stack.addWidget(page)
        self.navigation.currentItemChanged.connect(self._navigate)
        workspace = QWidget()
        workspace_layout = QHBoxLayout(workspace)
        workspace_layout.addWidget(self.navigation)
        workspace_layout.addWidget(self.page_stack, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.lock_screen)
        self.stack.addWidget(workspace)
        self.workspace = workspace
        self.setCentralWidget(self.stack)

        self.quick_exit_button = QPushButton(_("Quick exit"))
        self.quick_exit_button.setToolTip(
            _("Hide the screen at once and lock (or press Shift three times)")
        )
        self.quick_exit_button.setStyleSheet(
            "QPushButton { background: #1d4f91; color: white; font-weight: bold;"
            " padding: 4px 14px; border-radius: 4px; }"
        )
        self.quick_exit_button.clicked.connect(self.quick_exit)
        # Always in sight at the top right, locked or not (GOV.UK "Exit this page").
        self.menuBar().setCornerWidget(self.quick_exit_button, Qt.Corner.TopRightCorner)

        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label, 1)
        self._build_menus()

        application = QApplication.instance()
        assert application is not None
        self.idle_lock = IdleLock(self)
        self.idle_lock.timed_out.connect(self.lock)
        self.quick_exit_chord = QuickExitChord(self)
        self.quick_exit_chord.triggered.connect(self.quick_exit)
        application.installEventFilter(self.idle_lock)
        application.installEventFilter(self.quick_exit_chord)
        self._show_locked()

    # Menus

    def _build_menus(self) -> None:
        desk_menu = self.menuBar().addMenu(_("&Desk"))
        self.lock_action = QAction(_("&Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        quick_exit_action = QAction(_("&Quick exit"), self)
        quick_exit_action.triggered.connect(self.quick_exit)
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        desk_menu.addAction(self.lock_action)
        desk_menu.addAction(quick_exit_action)
        desk_menu.addSeparator()
        desk_menu.addAction(quit_action)

        self.go_menu = self.menuBar().addMenu(_("&Go"))
        self.page_actions: dict[str, QAction] = {}
        for number, page in enumerate(self.pages, start=1):
            action = QAction(page.title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, p=page: self.show_page(p.key))
            self.go_menu.addAction(action)
            self.page_actions[page.key] = action

        help_menu = self.menuBar().addMenu(_("&Help"))
        help_action = QAction(_("Keyboard and quick exit"), self)
        help_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        help_action.triggered.connect(lambda: HelpDialog(self).open())
        about_action = QAction(_("&About Havre"), self)
        about_action.triggered.connect(lambda: AboutDialog(self).open())
        help_menu.addAction(help_action)
        help_menu.addAction(about_action)

    # Unlocked

    def _unlocked(self, desk: OpenDesk) -> None:
        self.desk = desk
        self.navigation.clear()
        for page in self.pages:
            allowed = page.role is None or desk.user.has(page.role)
            self.page_actions[page.key].setVisible(allowed)
            if allowed:
                item = QListWidgetItem(page.title)
                item.setData(Qt.ItemDataRole.UserRole, page.key)
                self.navigation.addItem(item)
                page.open_desk(desk)
        kept = drafts.take(desk)
        for page in self.pages:
            if page.key in kept and (page.role is None or desk.user.has(page.role)):
                page.restore(kept[page.key])
        self.show_page(kept.get(WINDOW_DRAFT, {}).get("page", ""))
        user = desk.user
        status = _("Signed in: {name} ({user}) · {roles} · {desk}").format(
            name=user.display_name,
            user=user.user_name,
            roles=roles_label(user.roles),
            desk=desk.desk.name,
        )
        if desk.desk.is_demo:
            status = _("DEMO DESK, synthetic data only") + " · " + status
        self.status_label.setText(status)
        self._set_unlocked_ui(True)
        self.stack.setCurrentWidget(self.workspace)
        self.idle_lock.start(desk_settings.idle_lock_minutes(desk))
        if user.must_change_password:
            self._ask_own_password(desk)

    def _ask_own_password(self, desk: OpenDesk) -> None:
        dialog = PasswordDialog(
            _("Choose your own password"),
            _(
                "Your password was set by an administrator. Choose your own now: type the "
                "password you just used, then your new one twice."
            ),
            lambda v: accounts.change_own_password(desk, v["current_password"], v["password"]),
            ask_current=True,
            user_name=desk.user.user_name,
            parent=self,
        )
        dialog.rejected.connect(self.lock)
        dialog.open()

    def show_page(self, key: str) -> None:
        for row in range(self.navigation.count()):
            item = self.navigation.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key:
                self.navigation.setCurrentRow(row)
                return
        if self.navigation.count():
            self.navigation.setCurrentRow(0)

    def _navigate(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        page = next(p for p in self.pages if p.key == key)
        self.page_stack.setCurrentWidget(page)

    def current_page(self) -> Page | None:
        widget = self.page_stack.currentWidget()
        return widget if isinstance(widget, Page) and self.desk is not None else None

    def set_idle_minutes(self, minutes: int) -> None:
        if self.desk is not None:
            self.idle_lock.start(minutes)

    # Locking

    def lock(self) -> None:
        desk = self.desk
        if desk is None:
            return
        self.desk = None
        self.idle_lock.stop()
        self._close_dialogs()
        current = self.page_stack.currentWidget()
        kept = {page.key: page.draft() for page in self.pages}
        if isinstance(current, Page):
            kept[WINDOW_DRAFT] = {"page": current.key}
        for page in self.pages:
            page.clear()
        self.navigation.blockSignals(True)
        self.navigation.clear()
        self.navigation.blockSignals(False)
        try:
            drafts.keep(desk, kept)
            auth.lock(desk)
        except HavreError:
            log.exception("lock: drafts or audit could not be written")
        finally:
            desk.close()
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

    # Switching desks (only while locked)

    def switch_database(self, database: Path) -> None:
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
        chosen = prompts.choose_database_to_open(self, self.desk_lock.database.parent)
        if chosen is not None:
            self.switch_database(chosen)

    def set_up_new_desk(self) -> None:
        wizard = SetupWizard(self)
        wizard.desk_created.connect(self.switch_database)
        wizard.open()

    def reset_with_recovery_key(self) -> None:
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
            lambda: self.lock_screen.message.setText(
                _("The password was changed. Sign in with the new password.")
            )
        )
        dialog.open()

    # Window

    def closeEvent(self, event: QCloseEvent) -> None:
        self.lock()
        self.settings.geometry = self.saveGeometry()
        application = QApplication.instance()
        if application is not None:
            application.removeEventFilter(self.idle_lock)
            application.removeEventFilter(self.quick_exit_chord)
        self.desk_lock.release()
        super().closeEvent(event)
