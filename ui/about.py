"""Help → About: what this Havre is made of."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app import __version__
from app.i18n import _
from db.versions import library_versions


def versions() -> list[tuple[str, str]]:
    import platform  # only when About or a crash report needs it (start-up time)

    libraries = library_versions()
    return [
        ("Havre", __version__),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("SQLCipher", libraries["sqlcipher"]),
        ("SQLite", libraries["sqlite"]),
        ("Python", platform.python_version()),
        (_("System"), platform.platform(terse=True)),
    ]


def versions_text() -> str:
    return "\n".join(f"{name}: {value}" for name, value in versions())


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About Havre"))
        rows = "".join(
            f"<tr><td><b>{name}</b></td><td>{value}</td></tr>" for name, value in versions()
        )
        text = QLabel(
            "<h2>Havre</h2><p>{}</p><table cellspacing='6'>{}</table>".format(
                _("An offline desk that keeps everything encrypted on this computer."), rows
            )
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
