"""`selfcheck`'s window step: build the real main window offscreen on a temporary desk,
unlock it, render it, close it."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication

from app import crypto, i18n
from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.i18n import ngettext
from app.instance_lock import DeskLock
from app.services import auth, printing
from app.services.desk import create_desk, working_desk_setup
from ui import garbage, pdf_pages, tasks
from ui.application import HavreApplication, apply_language
from ui.main_window import MainWindow
from ui.settings import UiSettings


def render_main_window() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    existing = QApplication.instance()
    application = existing or HavreApplication(sys.argv[:1])
    try:
        image, pages = _main_window_image(application)
    finally:
        if existing is None:
            garbage.hand_back_to_python(application)
    if image.isNull() or pages == 0:
        raise RuntimeError("the main window did not render")
    # The print preview's renderer (pdfium, a native library the build must carry).
    card = printing.make_without_desk(printing.PrintRequest(printing.Material.WALLET_CARD, "fr"))
    if len(pdf_pages.page_images(card.pdf, 72)) != 2:
        raise RuntimeError("the wallet card preview did not render")
    return ngettext(
        "main window {width}×{height}, {pages} page",
        "main window {width}×{height}, {pages} pages",
        pages,
    ).format(width=image.width(), height=image.height(), pages=pages)


def _main_window_image(application: QCoreApplication) -> tuple[QPixmap, int]:
    """The main window signed in on a temporary desk, on its network page, and its number
    of pages."""
    apply_language(i18n.current_language())
    password = "self check harbour 2026"
    with tempfile.TemporaryDirectory(prefix="havre-window-") as folder:
        database = Path(folder) / "desk.havre"
        create_desk(
            working_desk_setup(
                database,
                "Self-check",
                "SC",
                NewAccount("selfcheck", "", frozenset({Role.ADMIN, Role.COORDINATOR}), password),
            ),
            kdf=crypto.KdfParams(crypto.MIN_MEMORY_KIB, crypto.MIN_TIME_COST),
        )
        settings = UiSettings(Path(folder) / "ui.ini")
        window = MainWindow(DeskLock(database), settings)
        window.desk_lock.acquire()
        window.show()
        window.lock_screen.unlocked.emit(auth.unlock(database, "selfcheck", password))
        # The network page: its charts need QtCharts, a module of the add-ons the build
        # must carry.
        window.show_page("network")
        tasks.wait_for_all()
        application.processEvents()
        if not window.workspace.network_page.charts.trend.chart().title():
            raise RuntimeError("the network charts did not load")
        image = window.grab()
        pages = window.workspace.navigation.count()
        window.close()
        tasks.wait_for_all()
        window.deleteLater()
        application.processEvents()
    return image, pages
