"""The consents of a case: each decision with its day (and its withdrawal); a new decision
is recorded beside them, and one in force withdrawn."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QListView,
    QPushButton,
    QVBoxLayout,
)

from app.domain.cases import ConsentView
from app.domain.codes import ConsentDecision, ConsentScope
from app.domain.intake import ConsentForm
from app.i18n import _, format_date
from ui.models.record_model import Column, RecordModel
from ui.widgets.coded import CodeCombo


def consent_text(consent: ConsentView) -> str:
    text = _("{scope}: {decision} on {date}").format(
        scope=consent.scope.label,
        decision=consent.decision.label,
        date=format_date(consent.given_on),
    )
    if consent.withdrawn_on is not None:
        text += " · " + _("withdrawn on {date}").format(date=format_date(consent.withdrawn_on))
    return text


class ConsentsBox(QGroupBox):
    #: a decision to record
    recorded = Signal(object)
    #: the consent (its id) to withdraw
    withdrawn = Signal(str)

    def __init__(self) -> None:
        super().__init__(_("Consents"))
        self.model: RecordModel[ConsentView] = RecordModel(
            [Column(_("Consents"), consent_text)], lambda consent: consent.id
        )
        self.consents = QListView()
        self.consents.setModel(self.model)
        self.consents.setAccessibleName(_("Consents"))
        self.consents.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.consents.setMaximumHeight(110)
        self.scope = CodeCombo(ConsentScope, _("Consent"))
        self.decision = CodeCombo(
            ConsentDecision,
            _("Decision"),
            members=(ConsentDecision.GIVEN, ConsentDecision.REFUSED),
        )
        self.record_button = QPushButton(_("Record"))
        self.record_button.clicked.connect(self._record)
        self.withdraw_button = QPushButton(_("Withdraw the selected consent"))
        self.withdraw_button.clicked.connect(self._withdraw)
        row = QHBoxLayout()
        row.addWidget(self.scope)
        row.addWidget(self.decision)
        row.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.consents)
        layout.addLayout(row)
        layout.addWidget(self.withdraw_button)

    def show_consents(self, consents: tuple[ConsentView, ...]) -> None:
        self.model.set_rows(list(consents))

    def _record(self) -> None:
        scope, decision = self.scope.value(), self.decision.value()
        if scope is not None and decision is not None:
            self.recorded.emit(ConsentForm(scope, decision))

    def _withdraw(self) -> None:
        index = self.consents.currentIndex()
        consent = (
            self.model.row_at(index) if self.consents.selectionModel().isSelected(index) else None
        )
        if consent is not None:
            self.withdrawn.emit(consent.id)
