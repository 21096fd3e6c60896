"""Harmless UI state kept by Qt (language, last desk opened, window geometry).

Nothing sensitive goes here: the desk's settings live inside the encrypted database.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from app import APP_NAME, i18n


class UiSettings:
    def __init__(self, file: Path | None = None) -> None:
        if file is None:
            self._store = QSettings(
                QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_NAME, APP_NAME
            )
        else:
            self._store = QSettings(str(file), QSettings.Format.IniFormat)

    @property
    def language(self) -> str | None:
        value = self._store.value("ui/language")
        return value if isinstance(value, str) and value in i18n.LANGUAGE_CODES else None

    @language.setter
    def language(self, code: str) -> None:
        self._store.setValue("ui/language", code)
        self._store.sync()

    @property
    def last_database(self) -> Path | None:
        value = self._store.value("desk/last_database")
        return Path(value) if isinstance(value, str) and value else None

    @last_database.setter
    def last_database(self, path: Path) -> None:
        if path != self.last_database:  # no disk write on every start
            self._store.setValue("desk/last_database", str(path))
            self._store.sync()

    @property
    def geometry(self) -> QByteArray | None:
        value = self._store.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._store.setValue("window/geometry", value)
