"""The cases that may be the person being recorded, found as the intake form is typed: each
with its last contact and what matched, and one key (F9, or Enter in the list) to add the
contact to the chosen case instead of opening a new one. Nothing is linked unless asked."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from app.domain.duplicates import DuplicateCandidate, DuplicateProbe
from app.errors import DeskLocked
from app.i18n import _
from ui import style, tasks
from ui.models.candidate_model import CandidateModel
from ui.style import Tone

# Long enough not to search after every letter of a quick typist, short enough that the
# candidates are there before the next field is reached.
DEBOUNCE_MS = 300
VISIBLE_ROWS = 4


def _candidate_list(model: CandidateModel) -> QTableView:
    candidates = QTableView()
    candidates.setModel(model)
    candidates.setAccessibleName(_("Cases that may be this person's"))
    candidates.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    candidates.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    candidates.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    candidates.setTabKeyNavigation(False)
    candidates.setShowGrid(False)
    candidates.setWordWrap(False)
    rows = candidates.verticalHeader()
    rows.setVisible(False)
    # As compact as a list: the panel takes no more of the form's height than it must.
    rows.setMinimumSectionSize(0)
    rows.setDefaultSectionSize(candidates.fontMetrics().lineSpacing() + 4)
    candidates.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header = candidates.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return candidates


class DuplicatePanel(QGroupBox):
    """Shown only while there are candidates or a chosen case."""

    linked_changed = Signal()

    def __init__(
        self,
        find: Callable[[DuplicateProbe], list[DuplicateCandidate]],
        record: Callable[[list[str]], None],
    ) -> None:
        super().__init__(_("This person may already be known"))
        self._find = find
        self._record = record
        #: the cases shown for this form, recorded in the audit log once each
        self._recorded: set[str] = set()
        self._probe: DuplicateProbe | None = None
        # Each search is numbered: an answer to anything but the last one is stale.
        self._asked = 0
        self.candidates: list[DuplicateCandidate] = []
        self.linked: DuplicateCandidate | None = None
        #: ids of the cases said not to be this person's: not asked about again at saving
        self.dismissed: set[str] = set()
        self.model = CandidateModel()
        self.list = _candidate_list(self.model)
        self.list.activated.connect(lambda _index: self.link_current())
        self.show_names = QCheckBox(_("Show pseudonyms"))
        self.show_names.toggled.connect(self.model.set_show_names)
        self.link_button = QPushButton(_("Same person: add the contact to this case (F9)"))
        self.link_button.clicked.connect(self.link_current)
        self.linked_label = QLabel()
        self.linked_label.setWordWrap(True)
        self.unlink_button = QPushButton(_("Not the same person: new case"))
        self.unlink_button.clicked.connect(self.unlink)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_names)
        buttons.addWidget(self.linked_label, 1)
        buttons.addWidget(self.unlink_button)
        buttons.addWidget(self.link_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._search)
        self._show()

    def ask(self, probe: DuplicateProbe | None) -> None:
        """Search for `probe` once typing pauses; None (an anonymous contact) clears."""
        self._probe = probe
        if probe is None:
            self._asked += 1
            self._timer.stop()
            self._set_candidates([])
            return
        self._timer.start()

    def forget(self) -> None:
        """A new form: no candidates, no chosen case, and answers on their way dropped."""
        self._asked += 1
        self._timer.stop()
        self._probe = None
        self.linked = None
        self.dismissed.clear()
        self._recorded.clear()
        self.show_names.setChecked(False)
        self._set_candidates([])
        self.linked_changed.emit()

    def strong(self) -> list[DuplicateCandidate]:
        return [c for c in self.candidates if c.strong]

    def link_current(self) -> None:
        chosen = self.model.row_at(self.list.currentIndex())
        if chosen is None:
            return
        self.linked = chosen
        self._show()
        self.linked_changed.emit()

    def unlink(self) -> None:
        if self.linked is not None:
            self.dismissed.add(self.linked.case_id)
        self.linked = None
        self._show()
        self.linked_changed.emit()

    def _search(self) -> None:
        probe = self._probe
        if probe is None:
            return
        self._asked += 1
        number = self._asked
        tasks.run(
            self,
            lambda: self._find(probe),
            lambda found: self._found(number, found),
            self._failed,
            busy_cursor=False,
        )

    def _found(self, number: int, found: list[DuplicateCandidate]) -> None:
        if number == self._asked:
            self._set_candidates(found)
            self.record_shown(found)

    def record_shown(self, shown: list[DuplicateCandidate]) -> None:
        """Cases shown to the person: in the audit log, once each for this form."""
        new = [c.case_id for c in shown if c.case_id not in self._recorded]
        if new:
            self._recorded.update(new)
            self._record(new)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DeskLocked):
            tasks.report_failure(self, error)

    def _set_candidates(self, found: list[DuplicateCandidate]) -> None:
        self.candidates = found
        self.model.set_rows(found)
        if found:
            self.list.selectRow(0)
        rows = max(1, min(len(found), VISIBLE_ROWS))
        self.list.setFixedHeight(
            self.list.horizontalHeader().sizeHint().height()
            + self.list.verticalHeader().defaultSectionSize() * rows
            + 2 * self.list.frameWidth()
        )
        self._show()

    def _show(self) -> None:
        linked = self.linked
        if linked is not None:
            self.linked_label.setText(
                _("Saving adds this contact to {code}.").format(code=linked.case_code)
            )
        self.linked_label.setVisible(linked is not None)
        self.unlink_button.setVisible(linked is not None)
        self.link_button.setVisible(linked is None and bool(self.candidates))
        self.show_names.setVisible(linked is None and bool(self.candidates))
        self.list.setVisible(linked is None and bool(self.candidates))
        # A known phone or e-mail: framed, its rows in bold.
        style.tone(self, Tone.FRAMED if self.strong() and linked is None else None)
        self.setVisible(linked is not None or bool(self.candidates))
