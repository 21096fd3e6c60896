"""The parts of a case that both the intake page and the case page edit: the person, who
they are and how to reach them safely, their consents, and the situation disclosed."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain import safe_hours
from app.domain.classification import gbvims_type, violence_scope
from app.domain.codes import (
    AgeGroup,
    Children,
    ConsentDecision,
    ConsentFrom,
    ConsentScope,
    GbvimsType,
    PerpetratorCount,
    PoliceComplaint,
    ProtectionMeasure,
    RecontactChannel,
    Relationship,
    Repetition,
    SafeTime,
    Sex,
    SexualSubtype,
    ViolenceForm,
    YesNoUnknown,
)
from app.domain.intake import (
    INCIDENT_EXAMPLE,
    NOT_RECORDED,
    OUTSIDE_AREA,
    ConsentForm,
    IdentityForm,
    PersonForm,
    SituationForm,
    format_incident_date,
    parse_age,
    parse_incident_date,
)
from app.domain.municipalities import sorted_for
from app.domain.safe_hours import HourRange
from app.i18n import _, current_language, numeric_day, numeric_month, weekday_names
from ui import style
from ui.style import Tone
from ui.widgets.coded import CodeChecks, CodeCombo
from ui.widgets.field_set import FieldSet


def section_form(box: QGroupBox) -> QFormLayout:
    """A form whose fields go under their label when the column is too narrow for both
    side by side (the case page keeps the timeline beside the sections)."""
    form = QFormLayout(box)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


class AgeEdit(QLineEdit):
    """An age in years, empty if unknown; one that cannot be read is refused under it."""

    def __init__(self) -> None:
        super().__init__()
        self.setPlaceholderText(_("years; empty if unknown"))
        self.setMaxLength(3)

    def value(self) -> int | None:
        return parse_age(self.text())

    def set_value(self, age: int | None) -> None:
        self.setText("" if age is None else str(age))


class MunicipalityCombo(QComboBox):
    """The municipalities by name (NIS code as data), then "outside" and "not recorded"."""

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName(_("Municipality of residence"))
        self.addItem(_("Not recorded"), NOT_RECORDED)
        for municipality in sorted_for(current_language()):
            self.addItem(municipality.name(current_language()), municipality.nis_code)
        self.addItem(_("Outside the municipalities listed"), OUTSIDE_AREA)

    def value(self) -> str:
        return str(self.currentData() or NOT_RECORDED)

    def set_value(self, value: object) -> None:
        self.setCurrentIndex(max(0, self.findData(str(value) if value else NOT_RECORDED)))


class PersonSection(QGroupBox):
    def __init__(self, fields: FieldSet) -> None:
        super().__init__(_("Person"))
        self.form = form = section_form(self)
        self._fields = fields
        self.age = AgeEdit()
        self.sex = CodeCombo(Sex, _("Sex"))
        self.municipality = MunicipalityCombo()
        self.disability = CodeCombo(YesNoUnknown, _("Disability"))
        self.children_count = CodeCombo(Children, _("Children in the household"))
        self.children_exposed = CodeCombo(YesNoUnknown, _("Children exposed to the violence"))
        fields.add_row(form, "age", _("Age"), self.age, error=True)
        fields.add_row(form, "sex", _("Sex"), self.sex)
        fields.add_row(
            form, "municipality", _("Municipality of residence"), self.municipality, error=True
        )
        fields.add_row(form, "disability", _("Disability"), self.disability)
        fields.add_row(form, "children", _("Children in the household"), self.children_count)
        fields.add_row(
            form,
            "children_exposed",
            _("Children exposed to the violence"),
            self.children_exposed,
        )

    def about_the_caller(self, third_party: bool) -> None:
        """A witness, relative or professional is not asked their own age, sex, disability
        or children: those rows go, and are not saved (app/domain/intake.py)."""
        self.setTitle(_("The caller") if third_party else _("Person"))
        for widget in (
            self.age,
            self._fields.errors["age"],
            self.sex,
            self.disability,
            self.children_count,
            self.children_exposed,
        ):
            self.form.setRowVisible(widget, not third_party)


class SafeHoursEdit(QWidget):
    """Safe hours per weekday, one small field a day ("10-12", "8-9, 14-16"): typed with
    the keyboard alone, kept in drafts like any other field."""

    def __init__(self, fields: FieldSet) -> None:
        super().__init__()
        self.setAccessibleName(_("Safe hours"))
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        self.days: list[QLineEdit] = []
        for weekday, name in enumerate(weekday_names("abbreviated")):
            edit = QLineEdit()
            edit.setMaxLength(40)
            edit.setMinimumWidth(56)
            edit.setAccessibleName(_("Safe hours on {day}").format(day=weekday_names()[weekday]))
            fields.add(f"safe_hours_{weekday}", edit)
            grid.addWidget(QLabel(name), 0, weekday)
            grid.addWidget(edit, 1, weekday)
            self.days.append(edit)
        column.addLayout(grid)
        hint = QLabel(_("whole hours, from-to: 10-12, or 8-9, 14-16"))
        hint.setWordWrap(True)
        hint.setEnabled(False)
        column.addWidget(hint)
        for weekday in range(safe_hours.DAYS):
            column.addWidget(fields.error_label(f"safe_hours_{weekday}"))

    def value(self) -> tuple[HourRange, ...]:
        """The ranges typed; a ValidationError names the day's field at fault."""
        return tuple(
            hours
            for weekday, edit in enumerate(self.days)
            for hours in safe_hours.parse_day(edit.text(), weekday)
        )

    def set_value(self, ranges: tuple[HourRange, ...]) -> None:
        for weekday, edit in enumerate(self.days):
            edit.setText(safe_hours.format_day(ranges, weekday))


class IdentitySection(QGroupBox):
    """Who the person is and how to reach them safely: kept apart from the statistics."""

    def __init__(self, fields: FieldSet) -> None:
        super().__init__(_("Identity and safe recontact"))
        form = section_form(self)
        self.do_not_recontact = QLabel(_("DO NOT RECONTACT"))
        style.tone(self.do_not_recontact, Tone.ALERT)
        self.do_not_recontact.setAccessibleName(_("Do not recontact this person"))
        self.do_not_recontact.hide()
        form.addRow(self.do_not_recontact)
        self.pseudonym = QLineEdit()
        self.pseudonym.setPlaceholderText(_("first name or a name the person chooses"))
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.code_word = QLineEdit()
        self.code_word.setPlaceholderText(_("to check it is really them on the phone"))
        self.may_recontact = CodeCombo(YesNoUnknown, _("May we contact the person again?"))
        self.channel = CodeCombo(RecontactChannel, _("Safe channel"), empty_label="—")
        self.safe_times = CodeChecks(SafeTime, _("Safe times"), columns=2)
        self.voicemail = QCheckBox(_("A voice message is safe"))
        fields.add_row(form, "pseudonym", _("Pseudonym"), self.pseudonym, error=True)
        fields.add_row(form, "phone", _("Phone"), self.phone, error=True)
        fields.add_row(form, "email", _("E-mail"), self.email, error=True)
        fields.add_row(form, "code_word", _("Code word"), self.code_word, error=True)
        fields.add_row(form, "may_recontact", _("Recontact"), self.may_recontact)
        fields.add_row(form, "channel", _("Safe channel"), self.channel, error=True)
        fields.add_row(form, "safe_times", _("Safe times"), self.safe_times)
        self.safe_hours = SafeHoursEdit(fields)
        form.addRow(_("Safe hours"), self.safe_hours)
        fields.add_row(form, "voicemail_ok", "", self.voicemail)
        self.may_recontact.currentIndexChanged.connect(self._recontact_changed)
        self._recontact_changed()

    def _recontact_changed(self) -> None:
        allowed = self.may_recontact.value() is YesNoUnknown.YES
        for widget in (self.channel, self.safe_times, self.safe_hours, self.voicemail):
            widget.setEnabled(allowed)
        self.do_not_recontact.setVisible(self.may_recontact.value() is YesNoUnknown.NO)


class ConsentSection(QGroupBox):
    """One decision per scope, asked at intake; changed later on the case page."""

    def __init__(self, fields: FieldSet) -> None:
        super().__init__(_("Consents"))
        form = section_form(self)
        self.decisions: dict[ConsentScope, CodeCombo[ConsentDecision]] = {}
        for scope in ConsentScope:
            combo = CodeCombo(
                ConsentDecision,
                scope.label,
                members=(ConsentDecision.UNDECIDED, ConsentDecision.GIVEN, ConsentDecision.REFUSED),
            )
            self.decisions[scope] = combo
            fields.add_row(form, f"consent_{scope.value}", scope.label, combo)
        self.given_by = CodeCombo(ConsentFrom, _("Consent given by"))
        fields.add_row(form, "consent_given_by", _("Consent given by"), self.given_by)

    def consents(self) -> tuple[ConsentForm, ...]:
        given_by = self.given_by.value() or ConsentFrom.PERSON
        return tuple(
            ConsentForm(scope, decision, given_by)
            for scope, combo in self.decisions.items()
            if (decision := combo.value()) is not None and decision is not ConsentDecision.UNDECIDED
        )


class SituationSection(QGroupBox):
    """The violence disclosed; shows the GBVIMS type and the partner / intrafamilial split
    as they are derived, while typing."""

    def __init__(self, fields: FieldSet, may_correct: bool = False) -> None:
        super().__init__(_("Situation"))
        self._fields = fields
        form = section_form(self)
        self.relationship = CodeCombo(Relationship, _("Relationship of the perpetrator"))
        self.forms = CodeChecks(ViolenceForm, _("Forms of violence"))
        self.sexual_subtype = CodeCombo(SexualSubtype, _("Sexual violence"))
        self.repetition = CodeCombo(Repetition, _("Isolated or repeated"))
        self.last_incident = QLineEdit()
        self.last_incident.setPlaceholderText(
            _("for example {day}, or {month}").format(
                day=numeric_day(INCIDENT_EXAMPLE), month=numeric_month(INCIDENT_EXAMPLE)
            )
        )
        self.correction = CodeCombo(
            GbvimsType, _("GBVIMS type, corrected"), empty_label=_("As derived")
        )
        self.derived = QLabel()
        self.derived.setAccessibleName(_("Derived classification"))
        self.derived.setWordWrap(True)
        self._add_rows(form)
        if may_correct:
            fields.add_row(form, "gbvims_correction", _("Correct the GBVIMS type"), self.correction)
        else:
            self.correction.hide()
        self.forms.changed.connect(self._update_derived)
        self.sexual_subtype.currentIndexChanged.connect(self._update_derived)
        self.relationship.currentIndexChanged.connect(self._update_derived)
        self.show_situation(SituationForm())

    def _add_rows(self, form: QFormLayout) -> None:
        rows: list[tuple[str, str, QWidget]] = [
            ("relationship", _("Relationship"), self.relationship),
            ("forms", _("Forms of violence"), self.forms),
            ("sexual_subtype", _("Sexual violence"), self.sexual_subtype),
            ("repetition", _("Isolated or repeated"), self.repetition),
            ("last_incident", _("Last incident"), self.last_incident),
            ("perpetrator_sex", _("Perpetrator: sex"), CodeCombo(Sex, _("Sex of the perpetrator"))),
            (
                "perpetrator_age",
                _("Perpetrator: age"),
                CodeCombo(AgeGroup, _("Age of the perpetrator")),
            ),
            (
                "perpetrator_count",
                _("Perpetrators: number"),
                CodeCombo(PerpetratorCount, _("Number of perpetrators")),
            ),
            (
                "perpetrator_cohabiting",
                _("Lives with the perpetrator"),
                CodeCombo(YesNoUnknown, _("Lives with the perpetrator")),
            ),
            (
                "police_complaint",
                _("Police complaint"),
                CodeCombo(PoliceComplaint, _("Police complaint")),
            ),
            (
                "protection",
                _("Protection measures"),
                CodeChecks(ProtectionMeasure, _("Protection measures"), columns=2),
            ),
        ]
        for key, label, widget in rows:
            self._fields.add_row(form, key, label, widget, error=key == "last_incident")
        form.addRow(_("Classification"), self.derived)

    def _update_derived(self) -> None:
        forms = self.forms.value()
        self.sexual_subtype.setEnabled(ViolenceForm.SEXUAL in forms)
        subtype = self.sexual_subtype.value() or SexualSubtype.UNKNOWN
        relationship = self.relationship.value() or Relationship.UNKNOWN
        self.derived.setText(
            _("GBVIMS: {type} · {scope}").format(
                type=gbvims_type(forms, subtype).label, scope=violence_scope(relationship).label
            )
        )

    def situation(self) -> SituationForm:
        """The situation as typed; the last incident is one text for its day and how
        precise it is."""
        day, precision = parse_incident_date(self.last_incident.text())
        return self._fields.record(SituationForm, last_incident=day, precision=precision)

    def show_situation(self, situation: SituationForm) -> None:
        self._fields.show(situation)
        # Over the day the binding wrote: the text says how precise the day is.
        self.last_incident.setText(
            format_incident_date(situation.last_incident, situation.precision)
        )
        self._update_derived()


def show_person(
    fields: FieldSet, identity: IdentitySection, person: PersonForm, who: IdentityForm | None
) -> None:
    """Put `person` and `who` (None: no identity kept) into the person and identity
    sections bound to `fields`."""
    fields.show(person)
    fields.show(who or IdentityForm())
    identity.safe_hours.set_value(person.safe_hours)


def person_form(
    fields: FieldSet, identity: IdentitySection, third_party: bool = False
) -> PersonForm:
    """The person as typed; for a `third_party` caller, the hidden rows are not read."""
    recontact = identity.may_recontact.value() is YesNoUnknown.YES
    # Hours typed before recontact was refused are dropped, not checked.
    given: dict[str, object] = {"safe_hours": identity.safe_hours.value() if recontact else ()}
    if third_party:
        given["age"] = None
    return fields.record(PersonForm, **given)
