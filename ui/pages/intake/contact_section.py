"""The contact itself: when, how, who the person is to the victim, in which language, sent
by whom and asking what; for a witness, relative or professional, what they know of the
victim."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QPlainTextEdit, QWidget

from app import clock
from app.domain.codes import (
    THIRD_PARTY_ROLES,
    AgeGroup,
    CallerRelation,
    ContactLanguage,
    ContactMode,
    PersonRole,
    ReferredFrom,
    RequestType,
    Sex,
    YesNoUnknown,
)
from app.domain.intake import ContactForm
from app.i18n import _
from ui.widgets.coded import CodeChecks, CodeCombo
from ui.widgets.dates import datetime_edit, moment_of
from ui.widgets.field_set import FieldSet


class ContactSection(QGroupBox):
    def __init__(self, fields: FieldSet) -> None:
        super().__init__(_("Contact"))
        self._fields = fields
        self.occurred_at = datetime_edit(clock.now())
        self.mode = CodeCombo(ContactMode, _("Mode of contact"))
        self.person_role = CodeCombo(PersonRole, _("The person is"))
        self.language = CodeCombo(ContactLanguage, _("Language of the contact"))
        self.interpreter = QCheckBox(_("An interpreter was needed"))
        self.referred_from = CodeCombo(ReferredFrom, _("Referred by"))
        self.requests = CodeChecks(RequestType, _("Request"))
        self.already_counted = CodeCombo(
            YesNoUnknown, _("Already counted this month by another desk of the network")
        )
        self.relation = CodeCombo(CallerRelation, _("Relation to the victim"))
        self.victim_age = CodeCombo(AgeGroup, _("Age of the victim, as far as known"))
        self.victim_sex = CodeCombo(Sex, _("Sex of the victim, as far as known"))
        self.form = QFormLayout(self)
        self._add_rows()
        # Nothing is assumed of a victim a caller tells of: unknown, not the first answer.
        fields.show(
            ContactForm(
                clock.now(),
                relation=CallerRelation.UNKNOWN,
                victim_age=AgeGroup.UNKNOWN,
                victim_sex=Sex.NOT_RECORDED,
            )
        )
        self.person_role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()

    def _add_rows(self) -> None:
        rows: list[tuple[str, str, QWidget]] = [
            ("occurred_at", _("Date and time"), self.occurred_at),
            # TRANSLATORS: & marks the Alt shortcut letter; keep it off the menus' letters.
            ("mode", _("&Mode"), self.mode),
            ("role", _("The person is"), self.person_role),
            ("relation", _("Relation to the victim"), self.relation),
            ("victim_age", _("The victim's age"), self.victim_age),
            ("victim_sex", _("The victim's sex"), self.victim_sex),
            ("language", _("Language"), self.language),
            ("interpreter", "", self.interpreter),
            ("referred_from", _("Referred by"), self.referred_from),
            ("requests", _("Request"), self.requests),
            ("already_counted", _("Counted by another desk"), self.already_counted),
        ]
        for key, label, widget in rows:
            self._fields.add_row(self.form, key, label, widget, error=key == "occurred_at")

    def third_party(self) -> bool:
        return self.person_role.value() in THIRD_PARTY_ROLES

    def _role_changed(self) -> None:
        """A witness, relative or professional is asked about the victim."""
        third_party = self.third_party()
        for widget in (self.relation, self.victim_age, self.victim_sex):
            self.form.setRowVisible(widget, third_party)

    def contact(self) -> ContactForm:
        """The contact as typed (its note included); what is asked of a third party only
        is left out for the victim herself."""
        # The date read apart: one that cannot be read is said by its field and in a
        # message, not a second time under it.
        occurred_at = moment_of(self.occurred_at)
        if self.third_party():
            return self._fields.record(ContactForm, occurred_at=occurred_at)
        return self._fields.record(
            ContactForm, occurred_at=occurred_at, relation=None, victim_age=None, victim_sex=None
        )


def note_input() -> QPlainTextEdit:
    """The note of a contact: a few lines, Tab going on to the next field."""
    note = QPlainTextEdit()
    note.setTabChangesFocus(True)
    note.setFixedHeight(note.fontMetrics().lineSpacing() * 3 + 12)
    note.setPlaceholderText(
        _("a few words for the next colleague; kept with the identity, never counted")
    )
    return note
