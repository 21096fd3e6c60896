"""Record a referral on a case, typed or filled from the directory."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QTextOption
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from app import clock
from app.domain.cases import ConsentView, SharingState, sharing_state
from app.domain.codes import ReferralStatus, ServiceType
from app.domain.sessions import ReferralForm
from app.i18n import _, format_date
from ui.dialogs.saving_dialog import SavingDialog
from ui.widgets.coded import CodeCombo

PARTNER_LINES = 3


class PartnerName(QPlainTextEdit):
    """One line of text that wraps, so that a partner service's long name shows whole (a
    line edit shows only its end once filled from the directory); Enter saves the dialog."""

    def __init__(self) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lines = self.fontMetrics().lineSpacing() * PARTNER_LINES
        margins = self.contentsMargins().top() + self.contentsMargins().bottom()
        self.setFixedHeight(lines + margins + 2 * int(self.document().documentMargin()))

    def text(self) -> str:
        return " ".join(self.toPlainText().split())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.ignore()  # to the dialog, whose default button saves
            return
        super().keyPressEvent(event)


def consent_text(consent: ConsentView | None) -> str:
    """Where the person stands on sharing, in words, with the day of the decision."""
    state = sharing_state(consent)
    if consent is None or state is SharingState.NOT_ASKED:
        return _("Sharing with a partner service: not asked yet.")
    if state is SharingState.WITHDRAWN:
        return _("Sharing with a partner service: consent withdrawn on {date}.").format(
            date=format_date(consent.withdrawn_on or consent.given_on)
        )
    if state is SharingState.REFUSED:
        return _("Sharing with a partner service: refused on {date}.").format(
            date=format_date(consent.given_on)
        )
    return _("Sharing with a partner service: consent given on {date}.").format(
        date=format_date(consent.given_on)
    )


class ReferralDialog(SavingDialog[object]):
    draft_kind = "referral"

    def __init__(
        self,
        case_code: str,
        save: Callable[[ReferralForm], object],
        parent: QWidget | None,
        consent: ConsentView | None = None,
        anonymous: bool = False,
    ) -> None:
        super().__init__(_("Referral · {code}").format(code=case_code), parent)
        self.setMinimumWidth(640)
        self._save = save
        self.consent = QLabel(
            _("Anonymous case: no consent to share is needed.")
            if anonymous
            else consent_text(consent)
        )
        self.consent.setWordWrap(True)
        self.service_type = CodeCombo(ServiceType, _("Kind of service"))
        self.partner = PartnerName()
        self.status = CodeCombo(ReferralStatus, _("Status"))
        self.override_reason = QLineEdit()
        self.override_reason.setPlaceholderText(_("only if referring without consent"))
        form = QFormLayout(self)
        form.addRow(self.consent)
        for key, label, widget in (
            ("service_type", _("Kind of service"), self.service_type),
            ("partner", _("Partner service"), self.partner),
            ("status", _("Status"), self.status),
            ("override_reason", _("Reason to refer without consent"), self.override_reason),
        ):
            self.fields.add_row(form, key, label, widget, error=True)
        note = QLabel(_("The reason is written to the audit log."))
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow(self.buttons)

    def prefill(self, service_type: ServiceType, partner_name: str) -> None:
        """The service chosen in the directory."""
        self.service_type.set_value(service_type)
        self.partner.setPlainText(partner_name)

    def saving(self) -> Callable[[], object]:
        form = self.fields.record(
            ReferralForm, partner_name=self.partner.text(), referred_on=clock.today()
        )
        save = self._save
        return lambda: save(form)
