"""Every modal prompt of Havre goes through here (tests replace these functions)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from app.errors import HavreError

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter
from app.i18n import _


def show_error(parent: QWidget | None, error: HavreError | str) -> None:
    """An expected problem: say what is wrong and what to do. Does not block the window."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("Havre"), str(error), parent=parent)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()


def alert(parent: QWidget | None, error: HavreError | str) -> None:
    """A problem that stops Havre before it has a window: wait until it has been read."""
    QMessageBox.warning(parent, _("Havre"), str(error))


def show_info(parent: QWidget | None, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, _("Havre"), message, parent=parent)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()


def confirm(parent: QWidget | None, question: str, action: str) -> bool:
    """Ask before something that cannot be undone; `action` labels the accepting button."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Havre"), question, parent=parent)
    accept = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is accept


def choose_database_to_open(parent: QWidget | None, start: Path) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(
        parent, _("Open a desk"), str(start), _("Havre desks (*.havre);;All files (*)")
    )
    return Path(name) if name else None


def choose_folder(parent: QWidget | None, start: Path) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, _("Choose a folder"), str(start))
    return Path(name) if name else None


def choose_printer(parent: QWidget | None, title: str) -> QPrinter | None:
    """The system print dialog; the chosen printer, or None if cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # printing is rare: load late

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    return printer if dialog.exec() == QDialog.DialogCode.Accepted else None
