"""The register of referents: the network partners' staff to call, kept apart from the
cases and never counted."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit

from app.domain.municipalities import municipality, sorted_for
from app.domain.network_resources import ReferentForm, ReferentRow
from app.domain.phone_format import belgian_display
from app.i18n import _, current_language
from app.services import network_resources
from ui.models.record_model import Column
from ui.widgets.record_editor import RecordEditor, RecordServices, RecordWords


def _line(longest: int, hint: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(longest)
    edit.setPlaceholderText(hint)
    return edit


def _reach(row: ReferentRow) -> str:
    return " · ".join(part for part in (belgian_display(row.form.phone), row.form.email) if part)


def _place(row: ReferentRow, language: str) -> str:
    return municipality(row.form.municipality).name(language)


def _role(row: ReferentRow) -> str:
    form = row.form
    return form.role if form.active else _("{role} (former)").format(role=form.role)


class ReferentsTab(RecordEditor[ReferentRow, ReferentForm]):
    def __init__(self) -> None:
        language = current_language()
        super().__init__(
            [
                Column(
                    _("Municipality"), lambda r: municipality(r.form.municipality).name(language)
                ),
                Column(_("Name"), lambda r: r.form.name),
                Column(_("Organisation"), lambda r: r.form.organisation),
                Column(_("Role"), _role),
                Column(_("Phone or e-mail"), _reach),
            ],
            lambda row: row.id,
            RecordWords(
                table=_("Referents of the network"),
                new=_("New referent"),
                save=_("Save the referent"),
                note=_(
                    "Staff of the network's partners, not clients: this register is kept "
                    "apart from the cases and never leaves in the counts."
                ),
            ),
            RecordServices(network_resources.referents, network_resources.save_referent),
            form_of=lambda row: replace(row.form, phone=belgian_display(row.form.phone)),
            blank=self._blank,
            make=lambda fields: fields.record(ReferentForm),
        )
        places = QComboBox()
        for known in sorted_for(language):
            places.addItem(known.name(language), known.nis_code)
        self.add_field("name", _("Name"), _line(120))
        self.add_field("organisation", _("Organisation"), _line(160))
        self.add_field("municipality", _("Municipality"), places)
        self.add_field("role", _("Role"), _line(120, _("for example Référente VIF, CPAS")))
        self.add_field("phone", _("Phone"), _line(30))
        self.add_field("email", _("E-mail"), _line(160))
        self.add_field("active", "", QCheckBox(_("Still a referent")), error=False)

    def _blank(self) -> ReferentForm:
        # Most referents serve the desk's own municipality.
        return ReferentForm("", "", self.desk.desk.nis_code if self.desk else "", "")
