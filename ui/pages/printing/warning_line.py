"""The lines under the buttons: what to check before handing out (or why there is no
preview), and under it what was saved or counted. The warning stays while a saving or a
count is said: a saved PDF still carries the services to verify. Each line keeps the room of
its longest message, so that nothing under it moves as it changes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.i18n import ngettext
from app.services.printing import PrintedMaterial
from ui import style
from ui.style import Tone

WARNING_LINES = 4  # the longest message, in German, at the narrowest width of the controls
OUTCOME_LINES = 3  # "saved as …" with a long file name, in German


class WarningLine(QLabel):
    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        style.tone(self, Tone.WARNING)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * WARNING_LINES)

    def show_to_verify(self, made: PrintedMaterial) -> None:
        """The services printed whose numbers the directory marks "to verify"."""
        self.setToolTip("\n".join(made.to_verify))
        if not made.to_verify:
            self.setText("")
            return
        self.setText(
            ngettext(
                "{count} service printed is marked “to verify” in the directory (point here "
                "to see it): check its number before handing out.",
                "{count} services printed are marked “to verify” in the directory (point "
                "here to see them): check their numbers before handing out.",
                len(made.to_verify),
            ).format(count=len(made.to_verify))
        )


class OutcomeLine(QLabel):
    """What was just saved or counted, said under the warning, never in its place."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * OUTCOME_LINES)
