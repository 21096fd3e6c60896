"""The QApplication of Havre: language (ours and Qt's own strings), look and identity."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from app import APP_NAME, __version__, i18n, paths


class HavreApplication(QApplication):
    def __init__(self, argv: list[str]) -> None:
        super().__init__(argv)
        self.setApplicationName(APP_NAME)
        self.setApplicationDisplayName(APP_NAME)
        self.setApplicationVersion(__version__)
        self.setOrganizationName(APP_NAME)
        self.setWindowIcon(QIcon(str(paths.window_icon())))
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.0))
        self.setFont(font)
        self._qt_translator: QTranslator | None = None


def apply_language(code: str) -> None:
    """Use `code` for our strings, Qt's standard buttons and dialogs, dates and numbers.

    Call before building widgets: Havre does not retranslate live (a restart applies a
    change made in the settings).
    """
    i18n.set_language(code)
    QLocale.setDefault(QLocale(code))
    application = QApplication.instance()
    if not isinstance(application, HavreApplication):
        return
    if application._qt_translator is not None:
        application.removeTranslator(application._qt_translator)
        application._qt_translator = None
    translator = QTranslator(application)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{code}", folder):
        application.installTranslator(translator)
        application._qt_translator = translator
