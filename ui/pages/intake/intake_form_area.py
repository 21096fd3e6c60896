"""The intake form, scrolling: the contact, anonymous or not, the person, their identity,
consents and situation, and a note last; read back as an intake by field name."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.domain.codes import ContactLanguage
from app.domain.intake import IdentityForm, IntakeForm, PersonForm
from app.domain.protocols import ProtocolUseForm
from app.i18n import _, current_language
from ui.pages.intake.contact_section import ContactSection, note_input
from ui.widgets.case_sections import (
    ConsentSection,
    IdentitySection,
    PersonSection,
    SituationSection,
    person_form,
    show_person,
)
from ui.widgets.coded import CodeChecks
from ui.widgets.dates import qdatetime
from ui.widgets.field_set import FieldSet


class IntakeFormArea(QScrollArea):
    def __init__(self) -> None:
        super().__init__()
        self.fields = fields = FieldSet()
        self.contact = ContactSection(fields)
        # TRANSLATORS: & marks the Alt shortcut letter; keep it off the menus' letters.
        self.anonymous = QCheckBox(_("&Anonymous contact: record no person, identity or consent"))
        self.anonymous.setAccessibleName(_("Anonymous contact"))
        fields.add("anonymous", self.anonymous)
        self.person = PersonSection(fields)
        self.identity = IdentitySection(fields)
        self.consents = ConsentSection(fields)
        self.situation = SituationSection(fields)
        show_person(fields, self.identity, PersonForm(), None)
        parts = (
            self.contact,
            self.anonymous,
            fields.error_label("anonymous"),
            self.person,
            self.identity,
            self.consents,
            self.situation,
            self._note_section(),
        )
        body = QWidget()
        column = QVBoxLayout(body)
        for part in parts:
            column.addWidget(part)
        column.addStretch()
        self.setWidgetResizable(True)
        self.setWidget(body)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.anonymous.toggled.connect(self._anonymous_changed)
        self.contact.person_role.currentIndexChanged.connect(self._role_changed)
        #: what a new form holds: every default, as built above
        self.pristine = fields.values()
        self._role_changed()

    def _note_section(self) -> QGroupBox:
        """Last, where it costs the quick anonymous contact no keystroke; any contact may
        have one."""
        box = QGroupBox(_("Note"))
        self.note = note_input()
        self.fields.add_row(QFormLayout(box), "note", _("Note"), self.note, error=True)
        return box

    def tab_chain(self) -> list[QWidget]:
        """Every input in visual order, top to bottom."""
        chain: list[QWidget] = []
        for widget in self.fields.widgets.values():
            if isinstance(widget, CodeChecks):
                chain.extend(widget.boxes.values())
            else:
                chain.append(widget)
        return chain

    def reset(self) -> None:
        """A new form: the defaults, in the language of the desk, dated now."""
        self.fields.clear_errors()
        self.fields.set_values(self.pristine)
        self.contact.language.set_value(
            ContactLanguage.parse(current_language()) or ContactLanguage.FR
        )
        self.contact.occurred_at.setDateTime(qdatetime(clock.now()))
        self.verticalScrollBar().setValue(0)

    def intake(self, form_id: str, protocols: tuple[ProtocolUseForm, ...]) -> IntakeForm:
        """The form as typed; a ValidationError names the field at fault."""
        contact = self.contact.contact()
        situation = self.situation.situation()
        if self.anonymous.isChecked():
            return IntakeForm(form_id, contact, situation=situation, protocols=protocols)
        return IntakeForm(
            form_id,
            contact,
            person=person_form(self.fields, self.identity, self.contact.third_party()),
            identity=self.fields.record(IdentityForm),
            consents=self.consents.consents(),
            situation=situation,
            protocols=protocols,
        )

    def _role_changed(self) -> None:
        self.person.about_the_caller(self.contact.third_party())

    def _anonymous_changed(self, anonymous: bool) -> None:
        for section in (self.person, self.identity, self.consents):
            section.setEnabled(not anonymous)
