"""Record a referral on a case, typed or filled from the directory."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from app import clock
from app.domain.codes import ReferralStatus, ServiceType
from app.domain.sessions import ReferralForm
from app.i18n import _
from ui.dialogs.saving_dialog import SavingDialog
from ui.widgets.coded import CodeCombo


class ReferralDialog(SavingDialog[object]):
    draft_kind = "referral"

    def __init__(
        self, case_code: str, save: Callable[[ReferralForm], object], parent: QWidget | None
    ) -> None:
        super().__init__(_("Referral · {code}").format(code=case_code), parent)
        self._save = save
        self.service_type = CodeCombo(ServiceType, _("Kind of service"))
        self.partner = QLineEdit()
        self.status = CodeCombo(ReferralStatus, _("Status"))
        self.override_reason = QLineEdit()
        self.override_reason.setPlaceholderText(
            _("only if the person has not consented to sharing")
        )
        form = QFormLayout(self)
        for key, label, widget in (
            ("service_type", _("Kind of service"), self.service_type),
            ("partner", _("Partner service"), self.partner),
            ("status", _("Status"), self.status),
            ("override_reason", _("Reason to refer without consent"), self.override_reason),
        ):
            self.fields.add_row(form, key, label, widget, error=True)
        form.addRow(QLabel(_("The reason is written to the audit log.")))
        form.addRow(self.buttons)

    def prefill(self, service_type: ServiceType, partner_name: str) -> None:
        """The service chosen in the directory."""
        self.service_type.set_value(service_type)
        self.partner.setText(partner_name)

    def saving(self) -> Callable[[], object]:
        form = ReferralForm(
            service_type=self.service_type.value() or ServiceType.OTHER,
            partner_name=self.partner.text(),
            referred_on=clock.today(),
            status=self.status.value() or ReferralStatus.REFERRED,
            override_reason=self.override_reason.text(),
        )
        save = self._save
        return lambda: save(form)
