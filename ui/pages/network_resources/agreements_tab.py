"""The partnership agreements, with a reminder when one is due for renewal."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QLabel, QLineEdit, QSpinBox

from app import clock
from app.domain.network_resources import (
    DEFAULT_REMINDER_DAYS,
    MAX_REMINDER_DAYS,
    PartnershipForm,
    PartnershipRow,
)
from app.i18n import _, format_date
from app.services import network_resources
from ui import style
from ui.models.record_model import Column
from ui.style import Tone
from ui.widgets.dates import date_edit
from ui.widgets.optional_date import OptionalDate
from ui.widgets.record_editor import RecordEditor, RecordServices, RecordWords


def _line(longest: int) -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(longest)
    return edit


def _state(row: PartnershipRow) -> str:
    today = clock.today()
    if row.expired(today):
        return _("Ended: renew or record the end")
    if row.renewal_due(today):
        return _("Prepare the renewal")
    return ""


def _ends(row: PartnershipRow) -> str:
    ends = row.form.ends_on
    return format_date(ends, "short") if ends else _("no end")


def _blank() -> PartnershipForm:
    today = clock.today()
    return PartnershipForm("", "", today, today + timedelta(days=365), DEFAULT_REMINDER_DAYS)


def _columns() -> list[Column[PartnershipRow]]:
    return [
        Column(_("Partner"), lambda r: r.form.partner),
        Column(_("Subject"), lambda r: r.form.subject),
        Column(
            _("Signed"),
            lambda r: format_date(r.form.signed_on, "short"),
            sort=lambda r: r.form.signed_on,
        ),
        Column(_("Ends"), _ends, sort=lambda r: r.form.ends_on or date.max),
        Column(_("Platform meetings"), lambda r: str(r.meetings), lambda r: r.meetings, True),
        Column(_("Renewal"), _state),
    ]


class AgreementsTab(RecordEditor[PartnershipRow, PartnershipForm]):
    def __init__(self) -> None:
        super().__init__(
            _columns(),
            lambda row: row.id,
            RecordWords(
                table=_("Partnership agreements"),
                new=_("New agreement"),
                save=_("Save the agreement"),
                note=_("Platform meetings are linked to their agreement in the training plan."),
            ),
            RecordServices(network_resources.partnerships, network_resources.save_partnership),
            form_of=lambda row: row.form,
            blank=_blank,
            make=lambda fields: fields.record(PartnershipForm),
        )
        self.renewals = QLabel()
        style.tone(self.renewals, Tone.URGENT)
        self.renewals.setWordWrap(True)
        self.renewals.hide()
        self.above_table.insertWidget(0, self.renewals)
        self.loaded.connect(self._show_renewals)
        reminder = QSpinBox()
        reminder.setRange(0, MAX_REMINDER_DAYS)
        reminder.setSuffix(" " + _("days before"))
        self.add_field("partner", _("Partner"), _line(160))
        self.add_field("subject", _("Subject"), _line(160))
        self.add_field("signed_on", _("Signed on"), date_edit(_("Signed on")))
        self.add_field(
            "ends_on", _("Ends on"), OptionalDate(_("Ends on"), _("No end date"), clock.today())
        )
        self.add_field("reminder_days", _("Remind"), reminder)

    def _show_renewals(self) -> None:
        today = clock.today()
        due = [row.form.partner for row in self.rows() if row.renewal_due(today)]
        self.renewals.setText(
            _("Renewal to prepare: {partners}").format(partners=", ".join(due)) if due else ""
        )
        self.renewals.setVisible(bool(due))

    def clear(self) -> None:
        super().clear()
        self.renewals.clear()
        self.renewals.hide()
