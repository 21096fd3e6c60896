"""Above a case: its code and day of opening, the do-not-recontact badge, its status; and,
when a save was refused because the case changed meanwhile, why, with a way to reload."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.cases import CaseDetail
from app.domain.codes import CaseStatus
from app.i18n import _, format_date
from ui import style
from ui.style import Tone
from ui.widgets.coded import CodeCombo


class CaseHeader(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.heading = QLabel()
        style.tone(self.heading, Tone.HEADING)
        self.heading.setAccessibleName(_("Case"))
        # On two lines rather than cut where the badge and the status leave too little room.
        self.heading.setWordWrap(True)
        self.do_not_recontact = QLabel(_("DO NOT RECONTACT"))
        style.tone(self.do_not_recontact, Tone.ALERT)
        self.status = CodeCombo(CaseStatus, _("Status"))
        self.conflict = QLabel()
        style.tone(self.conflict, Tone.ERROR)
        self.conflict.setWordWrap(True)
        self.reload_button = QPushButton(_("Reload the case"))
        header = QHBoxLayout()
        header.addWidget(self.heading, 1)
        header.addWidget(self.do_not_recontact, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addStretch()
        header.addWidget(QLabel(_("Status")))
        header.addWidget(self.status)
        conflict_row = QHBoxLayout()
        conflict_row.addWidget(self.conflict, 1)
        conflict_row.addWidget(self.reload_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addLayout(conflict_row)

    def show_case(self, detail: CaseDetail | None) -> None:
        self.show_conflict("")
        self.status.setEnabled(detail is not None)
        self.do_not_recontact.setVisible(detail is not None and detail.do_not_recontact)
        if detail is None:
            self.heading.setText(_("Open a case from the case list."))
            return
        self.heading.setText(
            _("{code} · opened {date}").format(code=detail.code, date=format_date(detail.opened_at))
        )
        self.status.set_value(detail.status)

    def show_conflict(self, message: str) -> None:
        """Why the save was refused (the case changed meanwhile); "" hides it."""
        self.conflict.setText(message)
        self.conflict.setVisible(bool(message))
        self.reload_button.setVisible(bool(message))
