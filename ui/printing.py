"""Printing the recovery sheet through the system print dialog.

The recovery key is printed, never saved to a file by Havre: a copy on disk would open
the desk to whoever finds it.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrinter

from app.i18n import _, format_datetime


def recovery_sheet_html(desk_name: str, key: str, authority: str, created: datetime) -> str:
    steps = [
        _("Fold this sheet, put it in an envelope, seal it and write the date on it."),
        _("Keep the envelope in a locked place away from the desk PC (e.g. the safe)."),
        _(
            "With this key, an administrator can reset any password of the desk, including "
            "their own. Whoever holds it can open the desk: never photograph or type it into "
            "a file or an e-mail."
        ),
    ]
    items = "".join(f"<li>{escape(step)}</li>" for step in steps)
    return (
        "<h1>{title}</h1><p>{desk}<br>{made}</p>"
        "<p style='font-family: monospace; font-size: 15pt; white-space: pre;'>{key}</p>"
        "<ol>{items}</ol><p>{authority}</p>"
    ).format(
        title=escape(_("Havre recovery key")),
        desk=escape(_("Desk: {name}")).format(name=f"<b>{escape(desk_name)}</b>"),
        made=escape(_("Made on {date}").format(date=format_datetime(created))),
        key=escape(key),
        items=items,
        authority=escape(
            _(
                "Authority key of the desk (the roles are signed with it): {fingerprint}. If "
                "Havre ever shows another one, someone changed the desk outside Havre."
            ).format(fingerprint=authority)
        ),
    )


def print_html(printer: QPrinter, html: str) -> None:
    document = QTextDocument()
    document.setHtml(html)
    document.print_(printer)
