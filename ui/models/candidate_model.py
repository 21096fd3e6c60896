"""The cases that may be the person being recorded, as the intake lists them: only what the
case list shows of a case, and what matched; the pseudonym masked unless asked for, as in
the case list (the person at the desk may see the screen, and a phone number someone gave
may be another person's); a known phone or e-mail in bold."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from app.domain.duplicates import DuplicateCandidate, MatchedField
from app.i18n import _, format_date
from ui.models.case_list_model import MASK
from ui.models.record_model import Column, RecordModel
from ui.models.rows_model import Index

PSEUDONYM = 1


def matched_label(field: MatchedField) -> str:
    return {
        MatchedField.PHONE: _("phone"),
        MatchedField.EMAIL: _("e-mail"),
        MatchedField.PSEUDONYM: _("pseudonym"),
        MatchedField.BIRTH_YEAR: _("birth year"),
        MatchedField.MUNICIPALITY: _("municipality"),
    }[field]


def _matched(candidate: DuplicateCandidate) -> str:
    return ", ".join(matched_label(f) for f in MatchedField if f in candidate.matched)


class CandidateModel(RecordModel[DuplicateCandidate]):
    def __init__(self) -> None:
        self._show_names = False
        super().__init__(
            [
                Column(_("Case"), lambda c: c.case_code),
                Column(_("Pseudonym"), lambda c: c.pseudonym if self._show_names else MASK),
                Column(_("Age"), lambda c: "" if c.age is None else str(c.age)),
                Column(_("Status"), lambda c: c.status.label),
                Column(
                    _("Last contact"),
                    lambda c: "" if c.last_contact is None else format_date(c.last_contact),
                ),
                Column(_("What matches"), _matched),
            ],
            lambda candidate: candidate.case_id,
        )

    def set_show_names(self, shown: bool) -> None:
        self._show_names = shown
        if self.rowCount():
            column = self.index(0, PSEUDONYM), self.index(self.rowCount() - 1, PSEUDONYM)
            self.dataChanged.emit(*column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole:
            row = self.row_at(index)
            if row is None or not row.strong:
                return None
            bold = QFont()
            bold.setBold(True)
            return bold
        return super().data(index, role)
