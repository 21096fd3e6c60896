"""What both directory tabs search with: the line to type in, the pause after typing
before searching, and what is said of what a search found."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit, QWidget

from app.domain.directory import DirectoryResults
from app.domain.municipalities import municipality
from app.i18n import _, current_language, ngettext

SEARCH_DELAY_MS = 120


def found_text(results: DirectoryResults) -> str:
    """How many services a search found, and the municipalities it took as places."""
    if results.more:
        return _("More than {count} services").format(count=results.total)
    if results.places:
        # Said, so that a service without the typed word in its name is no surprise.
        places = ", ".join(municipality(nis).name(current_language()) for nis in results.places)
        return ngettext(
            "{count} service serving {places}",
            "{count} services serving {places}",
            results.total,
        ).format(count=results.total, places=places)
    return ngettext("{count} service", "{count} services", results.total).format(
        count=results.total
    )


def search_line() -> QLineEdit:
    line = QLineEdit()
    line.setPlaceholderText(_("Service, need or keyword, in any language"))
    line.setAccessibleName(_("Search the directory"))
    line.setClearButtonEnabled(True)
    return line


def delayed(parent: QWidget, action: Callable[[], None]) -> QTimer:
    """A timer that runs `action` once typing pauses (restart it at each key)."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(SEARCH_DELAY_MS)
    timer.timeout.connect(action)
    return timer
