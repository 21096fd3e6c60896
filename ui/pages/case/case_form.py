"""The case as it is edited: the person, who they are and how to reach them, their
consents and the situation, bound by field name to the case's records; Save under them."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.domain.cases import CaseDetail, CaseEdit
from app.domain.codes import THIRD_PARTY_ROLES
from app.domain.intake import IdentityForm, PersonForm, SituationForm
from app.i18n import _
from ui.pages.case.consents_box import ConsentsBox
from ui.widgets.case_sections import (
    IdentitySection,
    PersonSection,
    SituationSection,
    person_form,
    show_person,
)
from ui.widgets.field_set import FieldSet


class CaseForm(QWidget):
    def __init__(self, fields: FieldSet) -> None:
        super().__init__()
        self.fields = fields
        self.person = PersonSection(fields)
        self.identity = IdentitySection(fields)
        self.consents = ConsentsBox()
        self.situation = SituationSection(fields, may_correct=True)
        self.save_button = QPushButton(_("Save the changes (Ctrl+S)"))
        column = QVBoxLayout(self)
        for part in (self.person, self.identity, self.consents, self.situation):
            column.addWidget(part)
        column.addWidget(self.save_button)
        self.show_case(None)

    def show_case(self, detail: CaseDetail | None) -> None:
        """Every section filled, empty when the case has none: nothing of the case shown
        before may stay on screen (an anonymous case would show the last one's name)."""
        person = detail.person if detail else None
        for part in (self.person, self.identity, self.consents):
            part.setEnabled(person is not None)
        self.situation.setEnabled(detail is not None)
        self.save_button.setEnabled(detail is not None)
        show_person(
            self.fields, self.identity, person or PersonForm(), detail.identity if detail else None
        )
        self.person.about_the_caller(detail is not None and detail.first_role in THIRD_PARTY_ROLES)
        self.consents.show_consents(detail.consents if detail else ())
        self.situation.show_situation((detail.situation if detail else None) or SituationForm())

    def edit(self, detail: CaseDetail) -> CaseEdit:
        """The edit of `detail` as typed; a ValidationError names the field at fault."""
        has_person = detail.person is not None
        third_party = detail.first_role in THIRD_PARTY_ROLES
        return self.fields.record(
            CaseEdit,
            person=person_form(self.fields, self.identity, third_party) if has_person else None,
            identity=self.fields.record(IdentityForm) if has_person else None,
            situation=self.situation.situation(),
        )


class FormScroll(QScrollArea):
    """A form that scrolls up and down, never sideways: its width is the least its fields
    need, so a splitter beside it narrows the other side instead of cutting fields."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        body = self.widget()
        if body is None:
            return hint
        width = (
            body.minimumSizeHint().width()
            + self.verticalScrollBar().sizeHint().width()
            + 2 * self.frameWidth()
        )
        return QSize(width, hint.height())
