"""What the command line starts: the desk window, or the offscreen window check of
`selfcheck` (see app/__main__.py)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QEvent, QLocale, QTimer, qVersion
from PySide6.QtWidgets import QApplication

from app import desk_places, i18n
from app.cli import GuiOptions
from app.desk_places import Machine
from app.errors import DatabaseMissing, HavreError
from app.instance_lock import DeskLock
from app.logging_setup import log_versions, setup_logging
from app.machine_facts import this_machine
from ui import crash, garbage, tasks
from ui.application import HavreApplication, apply_language
from ui.main_window import MainWindow
from ui.settings import UiSettings

if TYPE_CHECKING:
    from ui.wizard import SetupWizard


def system_language() -> str:
    code = QLocale.system().name()[:2]
    return code if code in i18n.LANGUAGE_CODES else i18n.DEFAULT_LANGUAGE


class Launcher:
    """Shows the set-up wizard on first start, then the desk window."""

    def __init__(
        self, settings: UiSettings, options: GuiOptions, machine: Machine | None = None
    ) -> None:
        self.settings = settings
        self.options = options
        self._machine = machine
        self.window: MainWindow | None = None
        self.wizard: SetupWizard | None = None

    @property
    def machine(self) -> Machine:
        """This machine's facts, read once, when first needed: to find the desk, else where
        a desk named on the command line opens (reading the mounts twice slowed every
        start)."""
        if self._machine is None:
            self._machine = this_machine()
        return self._machine

    def start(self) -> int | None:
        """Show the first screen: the desk named on the command line, else the one found by
        app/desk_places.py (so another OS account of a reception PC finds the shared desk),
        else the set-up wizard. Returns an exit status if Havre cannot go on."""
        given = self.options.database
        database = given or desk_places.desk_at_start(self.machine, self.settings.last_database)
        if database is not None and database.exists():
            return self.open_window(database)
        if given is not None:
            # Asked for a desk that is not there: say so, then offer to set one up.
            from ui import prompts  # loaded when first needed, not before the first screen

            prompts.alert(None, DatabaseMissing(given))
        self.show_wizard()
        return None

    def show_wizard(self) -> None:
        from ui.wizard import SetupWizard  # first start only: it loads desk creation

        self.wizard = SetupWizard(ask_language=True, machine=self.machine)
        self.wizard.language_chosen.connect(self._change_wizard_language)
        self.wizard.desk_created.connect(self._desk_created)
        self.wizard.rejected.connect(QApplication.quit)
        self.wizard.show()

    def _change_wizard_language(self, code: str) -> None:
        if code == i18n.current_language() or self.wizard is None:
            return
        self.settings.language = code
        apply_language(code)
        old, self.wizard = self.wizard, None
        old.rejected.disconnect()
        old.close()
        old.deleteLater()
        self.show_wizard()

    def _desk_created(self, database: Path) -> None:
        if self.wizard is not None:
            self.wizard.rejected.disconnect()
        self.settings.last_database = database
        self.open_window(database)

    def open_window(self, database: Path) -> int | None:
        desk_lock = DeskLock(database, self._machine)
        try:
            desk_lock.acquire()
        except HavreError as error:
            from ui import prompts  # loaded when first needed, not before the first screen

            prompts.alert(None, error)
            return 1
        self.settings.last_database = database
        self.window = MainWindow(desk_lock, self.settings)
        geometry = self.settings.geometry
        if geometry is None or not self.window.restoreGeometry(geometry):
            self.window.resize(1100, 720)
        self.window.show()
        return None


LOG_START_DELAY_MS = 200


def _start_logging() -> None:
    setup_logging(console=True)
    log_versions({"qt": qVersion(), "pyside6": PySide6.__version__})


def run_gui(options: GuiOptions) -> int:
    application = HavreApplication(sys.argv[:1])
    try:
        return _run(application, options)
    finally:
        garbage.hand_back_to_python(application)


def _run(application: HavreApplication, options: GuiOptions) -> int:
    settings = UiSettings()
    apply_language(options.language or settings.language or system_language())
    crash.install(dialog=options.crash_dialog)
    # The log starts once the first screen is up: its rotating handler and the version
    # probes load modules the sign-in screen does not need (start-up budget,
    # docs/architecture.md).
    QTimer.singleShot(LOG_START_DELAY_MS, _start_logging)
    launcher = Launcher(settings, options)
    status = launcher.start()
    if status is not None:
        return status
    if options.exit_after_start:
        application.processEvents()
        # For `make bench`: the moment the first screen is on display.
        print(f"shown {time.time():.6f}", flush=True)
        QTimer.singleShot(0, application.quit)
    status = application.exec()
    tasks.wait_for_all()
    # Delete the windows while Qt still runs, not in whatever order the interpreter exits.
    for widget in QApplication.topLevelWidgets():
        widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return status


def check_window() -> str:
    """`selfcheck`: the real main window, built offscreen on a temporary desk."""
    # Not imported at the top: it loads desk creation, which the GUI start must not wait for.
    from ui.window_check import render_main_window

    return render_main_window()
