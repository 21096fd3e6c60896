"""The timeline of a case: its contacts, sessions, referrals, call-back attempts and what
was handed out, latest first; from it a session is read again and a referral's status
changed, and the next session, referral, appointment or call-back is added."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
)

from app.domain.cases import CaseDetail, TimelineEntry, TimelineKind
from app.domain.codes import ReferralStatus
from app.i18n import N_, _, format_date, format_datetime
from ui.models.record_model import Column, RecordModel
from ui.widgets.coded import CodeCombo

_KIND_LABELS = {
    TimelineKind.CONTACT: N_("Contact"),
    TimelineKind.SESSION: N_("Session"),
    TimelineKind.REFERRAL: N_("Referral"),
    TimelineKind.ATTEMPT: N_("Call-back attempt"),
    TimelineKind.HANDOUT: N_("Handed out"),
}


def entry_text(entry: TimelineEntry) -> str:
    when = format_datetime(entry.at, "short") if entry.timed else format_date(entry.at, "short")
    text = f"{when} · {_(_KIND_LABELS[entry.kind])} · {entry.summary}"
    if entry.who:
        text += f" · {entry.who}"
    if entry.has_notes:
        text += " · " + _("notes")
    if entry.note:
        text += "\n" + _("Note: {note}").format(note=entry.note)
    return text


class TimelineBox(QGroupBox):
    #: a session of the timeline is to be read again: its id
    session_chosen = Signal(str)
    #: the referral (its id) is to take this status
    status_chosen = Signal(str, object)

    def __init__(self) -> None:
        super().__init__(_("Timeline"))
        self._counsellor = False
        self.model: RecordModel[TimelineEntry] = RecordModel(
            [Column(_("Timeline"), entry_text)], lambda entry: entry.id
        )
        self.timeline = QListView()
        self.timeline.setModel(self.model)
        self.timeline.setAccessibleName(_("Timeline"))
        self.timeline.setWordWrap(True)
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.activated.connect(lambda _index: self._read_selected())
        self.timeline.selectionModel().selectionChanged.connect(
            lambda *_: self._selection_changed()
        )
        self.add_session_button = QPushButton(_("Add a session…"))
        self.read_button = QPushButton(_("Open the selected session"))
        self.read_button.clicked.connect(self._read_selected)
        self.add_referral_button = QPushButton(_("Add a referral…"))
        self.print_button = QPushButton(_("Printed material…"))
        self.print_button.setToolTip(
            _("Brochure, wallet card or referral slip in this person's language and municipality")
        )
        # One under the other: side by side, their French and German names made the
        # timeline too wide for the form beside it at 1024 pixels.
        self.appointment_button = QPushButton(_("Plan an appointment…"))
        self.callback_button = QPushButton(_("Plan a call-back…"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.timeline, 1)
        for button in (
            self.add_session_button,
            self.read_button,
            self.add_referral_button,
            self.print_button,
            self.appointment_button,
            self.callback_button,
        ):
            layout.addWidget(button)
        self._referral_status_row(layout)

    def _referral_status_row(self, layout: QVBoxLayout) -> None:
        self.referral_status = CodeCombo(ReferralStatus, _("Status of the selected referral"))
        # Wrapped, and the list as narrow as a short status: the timeline leaves the form
        # beside it the width its fields need.
        self.referral_status.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.referral_status.setMinimumContentsLength(10)
        self.referral_status_button = QPushButton(_("Change"))
        self.referral_status_button.setAccessibleName(_("Change the status of the referral"))
        self.referral_status_button.clicked.connect(self._change_status)
        label = QLabel(_("Status of the selected referral"))
        label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.referral_status, 1)
        row.addWidget(self.referral_status_button)
        layout.addWidget(label)
        layout.addLayout(row)

    def set_counsellor(self, counsellor: bool) -> None:
        """Sessions are added and read by counsellors only."""
        self.add_session_button.setVisible(counsellor)
        self.read_button.setVisible(counsellor)
        self._counsellor = counsellor

    def show_timeline(self, detail: CaseDetail | None) -> None:
        """The timeline of `detail`; the entry selected stays so if it is still there."""
        kept = self.selected_entry()
        self.model.set_rows(list(detail.timeline) if detail else [])
        number = None if kept is None else self.model.number_of(kept.id)
        if number is not None:
            self.timeline.selectionModel().setCurrentIndex(
                self.model.index(number, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        self._selection_changed()

    def selected_entry(self) -> TimelineEntry | None:
        index = self.timeline.currentIndex()
        if not self.timeline.selectionModel().isSelected(index):
            return None
        return self.model.row_at(index)

    def _selection_changed(self) -> None:
        entry = self.selected_entry()
        referral = entry is not None and entry.kind is TimelineKind.REFERRAL
        self.read_button.setEnabled(entry is not None and entry.kind is TimelineKind.SESSION)
        self.referral_status.setEnabled(referral)
        self.referral_status_button.setEnabled(referral)
        if entry is not None and entry.referral_status is not None:
            self.referral_status.set_value(entry.referral_status)

    def _read_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None and entry.kind is TimelineKind.SESSION and self._counsellor:
            self.session_chosen.emit(entry.id)

    def _change_status(self) -> None:
        entry, status = self.selected_entry(), self.referral_status.value()
        if entry is None or entry.kind is not TimelineKind.REFERRAL:
            return
        if status is not None and status is not entry.referral_status:
            self.status_chosen.emit(entry.id, status)
