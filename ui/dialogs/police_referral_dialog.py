"""Enter a police referral quickly: the day it came, the referring police zone,
whether the person agreed to be recontacted, and how and when it is safe to call."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app import clock
from app.domain.cases import SavedIntake
from app.domain.codes import RecontactChannel, SafeTime
from app.domain.recontact import PoliceReferralForm
from app.i18n import _
from ui.dialogs.saving_dialog import SavingDialog
from ui.widgets.coded import CodeChecks, CodeCombo
from ui.widgets.dates import date_edit, day_of


class PoliceReferralDialog(SavingDialog[SavedIntake]):
    draft_kind = "police_referral"

    def __init__(
        self,
        save: Callable[[PoliceReferralForm, str], SavedIntake],
        parent: QWidget | None,
    ) -> None:
        super().__init__(_("Police referral"), parent)
        self._save = save
        self.received_on = date_edit(_("Received on"), clock.today())
        self.police_zone = QLineEdit()
        self.police_zone.setMaxLength(80)
        self.police_zone.setPlaceholderText(_("for example Secova (5283)"))
        self.consent = QCheckBox(_("The person agreed to be recontacted"))
        self.consent.setChecked(True)
        self.consent.toggled.connect(self._consent_changed)
        self.pseudonym = QLineEdit()
        self.pseudonym.setMaxLength(120)
        self.phone = QLineEdit()
        self.phone.setMaxLength(30)
        self.channel = CodeCombo(RecontactChannel, _("Safe channel"))
        self.safe_times = CodeChecks(SafeTime, _("Safe times"), columns=2)
        self.voicemail = QCheckBox(_("A voicemail message is safe"))
        form = QFormLayout(self)
        for key, label, widget in (
            ("received_on", _("Received on"), self.received_on),
            ("police_zone", _("Police zone"), self.police_zone),
            ("consent", "", self.consent),
            ("pseudonym", _("Pseudonym or first name"), self.pseudonym),
            ("phone", _("Phone"), self.phone),
            ("channel", _("Safe channel"), self.channel),
            ("safe_times", _("Safe times"), self.safe_times),
            ("voicemail", "", self.voicemail),
        ):
            self.fields.add_row(form, key, label, widget, error=key != "consent")
        form.addRow(
            QLabel(
                _(
                    "With the person's agreement the referral goes on the call-back list, due "
                    "today; without it, it is recorded as a contact only."
                )
            )
        )
        form.addRow(self.buttons)
        self.police_zone.setFocus()

    def _consent_changed(self, agreed: bool) -> None:
        for widget in (self.channel, self.safe_times, self.voicemail):
            widget.setEnabled(agreed)

    def form(self) -> PoliceReferralForm:
        agreed = self.consent.isChecked()
        return PoliceReferralForm(
            received_on=day_of(self.received_on),
            police_zone=self.police_zone.text(),
            consent_to_recontact=agreed,
            pseudonym=self.pseudonym.text(),
            phone=self.phone.text(),
            channel=self.channel.value() if agreed else None,
            safe_times=self.safe_times.value() if agreed else frozenset(),
            voicemail_ok=agreed and self.voicemail.isChecked(),
        )

    def saving(self) -> Callable[[], SavedIntake]:
        form, form_id, save = self.form(), self.form_id, self._save
        return lambda: save(form, form_id)
