"""The dialogs opened on a case: a session, a referral, an appointment, a call-back; each
bound to the case shown and saying, once saved, where the result is."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QDialog, QWidget

from app.domain.cases import CaseDetail, sharing_consent
from app.i18n import _
from app.services import appointments, recontact, referrals, sessions
from app.services.open_desk import OpenDesk
from ui import prompts
from ui.dialogs.appointment_dialog import AppointmentDialog
from ui.dialogs.callback_dialog import CallbackDialog
from ui.dialogs.referral_dialog import ReferralDialog
from ui.dialogs.session_dialog import SessionDialog

Dialog = TypeVar("Dialog", bound=QDialog)


def _saying(dialog: Dialog, message: str) -> Dialog:
    """`dialog`, which says `message` once saved: where to find what it planned."""
    dialog.accepted.connect(lambda: prompts.show_info(dialog.parentWidget(), message))
    return dialog


def session_dialog(parent: QWidget, desk: OpenDesk, detail: CaseDetail) -> SessionDialog:
    case_id = detail.id
    return SessionDialog(
        detail.code,
        lambda session_id, form: sessions.add_session(desk, case_id, form, session_id),
        parent=parent,
    )


def appointment_dialog(parent: QWidget, desk: OpenDesk, detail: CaseDetail) -> AppointmentDialog:
    dialog = AppointmentDialog(
        detail.id, detail.code, lambda form: appointments.plan(desk, form), parent
    )
    return _saying(dialog, _("Appointment planned: see Follow-up → Appointments."))


def callback_dialog(parent: QWidget, desk: OpenDesk, detail: CaseDetail) -> CallbackDialog:
    case_id = detail.id
    dialog = CallbackDialog(
        detail.code, lambda day: recontact.plan_callback(desk, case_id, day), parent
    )
    return _saying(dialog, _("Call-back planned: see Follow-up → Call-backs."))


def referral_dialog(parent: QWidget, desk: OpenDesk, detail: CaseDetail) -> ReferralDialog:
    case_id = detail.id
    dialog = ReferralDialog(
        detail.code,
        lambda form: referrals.add_referral(desk, case_id, form),
        parent,
        consent=sharing_consent(detail.consents),
        anonymous=detail.person is None,
    )
    dialog.accepted.connect(
        lambda: prompts.show_info(
            parent,
            _("Referral of {code} to {partner} recorded.").format(
                code=detail.code, partner=dialog.partner.text()
            ),
        )
    )
    return dialog
