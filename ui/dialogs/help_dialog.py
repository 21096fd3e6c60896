"""Help → Keyboard and quick exit."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app.i18n import _, numeric_day, pgettext


def help_html() -> str:
    rows = [
        (_("Shift, three times"), _("Quick exit: hide the screen at once and lock")),
        ("Ctrl+L", _("Lock the desk")),
        ("Ctrl+1, Ctrl+2 …", _("Go to a page")),
        ("F1", _("This help")),
        ("Ctrl+Q", _("Quit Havre")),
        ("Ctrl+S", _("Save the form: a contact, a session, an entry")),
        ("Ctrl+N", _("In a list beside a form: a new record (referent, agreement, account…)")),
        (
            # TRANSLATORS: the name printed on the keyboard's Delete key
            pgettext("keyboard key", "Delete"),
            _("In a list beside a form: delete or retire the chosen record"),
        ),
        ("F8", _("Intake: show an intervention protocol beside the form")),
        ("F9", _("Intake: add the contact to the case chosen among the likely duplicates")),
        ("F5", _("Follow-up: refresh the lists")),
        (_("Alt + underlined letter"), _("Go to that field, tick that box or press that button")),
        ("Tab, Shift+Tab", _("Next field, previous field")),
        (
            _("Enter, Escape"),
            _("In a dialog: save, cancel; during long work: cancel where nothing changes yet"),
        ),
        (
            "Alt+Down",
            _("A date: open the calendar; type it as {day}, Up and Down change the day").format(
                day=numeric_day(date(2027, 1, 6))
            ),
        ),
    ]
    table = "".join(f"<tr><td><b>{keys}</b></td><td>{what}</td></tr>" for keys, what in rows)
    return (
        "<h3>{quick}</h3><p>{quick_text}</p><h3>{lock}</h3><p>{lock_text}</p>"
        "<h3>{keys}</h3><table cellspacing='6'>{table}</table>"
    ).format(
        quick=_("Quick exit"),
        quick_text=_(
            "If someone comes near the screen, press Shift three times (within five seconds) "
            "or click Quick exit at the top right. Havre shows its plain sign-in screen "
            "at once and locks; what you were typing is kept, encrypted, for when you sign "
            "in again."
        ),
        lock=_("Locking"),
        lock_text=_(
            "Havre locks by itself after a few minutes without activity (the administrator "
            "sets how many). Signing in again brings you back to the same page."
        ),
        keys=_("Keyboard"),
        table=table,
    )


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Keyboard and quick exit"))
        self.setMinimumSize(540, 460)
        # A text browser sizes and scrolls long help correctly (a wrapped label can cut it).
        self.text = QTextBrowser()
        self.text.setHtml(help_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
