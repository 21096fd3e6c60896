"""Help → About: what this Havre is made of."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.i18n import _
from app.versions import versions


def all_versions() -> dict[str, str]:
    """The core's versions with Qt's, names in the reader's language."""
    every = {**versions(), "Qt": qVersion(), "PySide6": PySide6.__version__}
    return {_(name): value for name, value in every.items()}


def versions_text() -> str:
    return "\n".join(f"{name}: {value}" for name, value in all_versions().items())


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About Havre"))
        rows = "".join(
            f"<tr><td><b>{name}</b></td><td>{value}</td></tr>"
            for name, value in all_versions().items()
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
