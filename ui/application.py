"""The QApplication of Havre: language (ours and Qt's own strings), look and identity."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from app import APP_ID, APP_NAME, __version__, i18n, paths
from ui import garbage, style

# The system's light, dark or high-contrast look is followed from just after the first screen:
# reading it costs what the sign-in screen need not wait for (ui/style.py).
FOLLOW_SYSTEM_AFTER_MS = 200


class HavreApplication(QApplication):
    def __init__(self, argv: list[str]) -> None:
        super().__init__(argv)
        garbage.collect_on_gui_thread(self)
        self.setApplicationName(APP_NAME)
        self.setApplicationDisplayName(APP_NAME)
        self.setApplicationVersion(__version__)
        self.setOrganizationName(APP_NAME)
        # A Wayland desktop finds the window's icon and name through its desktop entry.
        self.setDesktopFileName(APP_ID)
        self.setWindowIcon(QIcon(str(paths.window_icon())))
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.0))
        self.setFont(font)
        QTimer.singleShot(FOLLOW_SYSTEM_AFTER_MS, self, lambda: style.follow_system(self))


class QtStrings(QTranslator):
    """Qt's own strings (file dialog, standard buttons) in the language of the screen.

    Qt 6 added accelerators to some labels ("Files of &type:", "&Look in:") that its French
    and Dutch catalogues still hold without them, so the file dialog showed them in English:
    a string missing as written is looked up once more without its accelerator.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._catalogue = QTranslator(self)

    def load_language(self, code: str) -> bool:
        # The frozen build has them too: PyInstaller's QtCore hook collects qtbase_*.qm and
        # points Qt's paths at its copy of PySide6.
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        return self._catalogue.load(f"qtbase_{code}", folder)

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None, not "": Qt takes an empty string for a translation, and would show nothing
        # (a printer's page sizes, the printed text itself).
        text = self._catalogue.translate(context, source, disambiguation, n)
        if text or "&" not in source:
            return text or None
        bare = source.replace("&&", "\0").replace("&", "").replace("\0", "&&")
        return self._catalogue.translate(context, bare, disambiguation, n) or None

    def isEmpty(self) -> bool:
        return self._catalogue.isEmpty()


# Qt's strings in use (kept here: looking it up among the application's children costs
# 12 ms at start, for PySide6 to read findChildren's signatures).
_installed: QtStrings | None = None


def apply_language(code: str) -> None:
    """Use `code` for our strings, Qt's standard buttons and dialogs, dates and numbers.

    Widgets built afterwards speak it: the main window builds itself again to change
    language (`MainWindow.change_language`).
    """
    i18n.set_language(code)
    # Qt writes days and numbers (the lock screen's clock, spin boxes) as Babel does for us.
    QLocale.setDefault(QLocale(i18n.babel_locale()))
    application = QCoreApplication.instance()
    if application is None:
        return
    global _installed
    if _installed is not None:
        QCoreApplication.removeTranslator(_installed)
        _installed.deleteLater()
        _installed = None
    strings = QtStrings(application)
    if strings.load_language(code):
        QCoreApplication.installTranslator(strings)
        _installed = strings
    else:
        strings.deleteLater()
