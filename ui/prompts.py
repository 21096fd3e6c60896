"""Every modal prompt of Havre goes through here (tests replace these functions)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from app.errors import HavreError

if TYPE_CHECKING:
    # Types only: the prompts load before the first screen, the case model need not.
    from PySide6.QtGui import QPageLayout
    from PySide6.QtPrintSupport import QPrinter

    from app.domain.duplicates import DuplicateCandidate
from app.i18n import _, format_date


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
    """Ask before something that cannot be undone; `action` labels the accepting button.
    The screen's button that asks may end with "…" (more is asked before it acts): the one
    that confirms acts at once, so it goes without."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Havre"), question, parent=parent)
    accept = box.addButton(action.removesuffix("…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is accept


def wait_for(dialog: QDialog) -> bool:
    """One of Havre's own windows over the one that opened it (a register to read and
    change), which waits until it is closed: True if it was accepted."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def choose_file_to_open(
    parent: QWidget | None, title: str, start: Path, file_filter: str
) -> Path | None:
    """A file for Havre to read; None if cancelled."""
    name, _filter = QFileDialog.getOpenFileName(parent, title, str(start), file_filter)
    return Path(name) if name else None


def choose_files_to_open(
    parent: QWidget | None, title: str, start: Path, file_filter: str
) -> list[Path]:
    """Files for Havre to read, several at once; none if cancelled."""
    names, _filter = QFileDialog.getOpenFileNames(parent, title, str(start), file_filter)
    return [Path(name) for name in names]


def choose_database_to_open(parent: QWidget | None, start: Path) -> Path | None:
    return choose_file_to_open(
        parent, _("Open a desk"), start, _("Havre desks (*.havre);;All files (*)")
    )


def choose_folder(parent: QWidget | None, start: Path) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, _("Choose a folder"), str(start))
    return Path(name) if name else None


def choose_printer(
    parent: QWidget | None, title: str, page: QPageLayout | None = None
) -> QPrinter | None:
    """The system print dialog, set to the `page` to print; the chosen printer, or None if
    cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # printing is rare: load late

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if page is not None:
        printer.setPageLayout(page)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    return printer if dialog.exec() == QDialog.DialogCode.Accepted else None


def choose_file_to_save(
    parent: QWidget | None, title: str, suggested: Path, file_filter: str
) -> Path | None:
    """Where to write a file Havre makes. The dialog does not ask about an existing file:
    the service refuses to replace one unless told, and `tasks.run_replacing` asks."""
    dialog = QFileDialog(parent, title, str(suggested.parent), file_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite)
    dialog.setDefaultSuffix(suggested.suffix.lstrip("."))
    dialog.selectFile(suggested.name)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])


NEW_CASE = "new"


def choose_duplicate(parent: QWidget | None, candidates: list[DuplicateCandidate]) -> str | None:
    """A new case for someone with the phone or e-mail of known cases: add the contact to
    one of them (its id), save a new case (NEW_CASE), or go back to the form (None). Never
    merged without asking."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Havre"), "", parent=parent)
    box.setText(
        _("A case of the desk has the same phone number or e-mail address. Is it the same person?")
    )
    link_buttons: dict[object, str] = {}
    for candidate in candidates[:3]:
        when = candidate.last_contact or candidate.opened_at
        label = _("Same person: add to {code} (last contact {date})").format(
            code=candidate.case_code, date=format_date(when)
        )
        link_buttons[box.addButton(label, QMessageBox.ButtonRole.AcceptRole)] = candidate.case_id
    new = box.addButton(_("Someone else: new case"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is new:
        return NEW_CASE
    return link_buttons.get(clicked)
