"""What reception fills in for a contact, and the checks it must pass before anything is
saved. A contact may be fully anonymous: then there is no person, identity or consent."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from app.domain import municipalities, safe_hours
from app.domain.binning import MAX_AGE
from app.domain.codes import (
    THIRD_PARTY_ROLES,
    AgeGroup,
    CallerRelation,
    Children,
    ConsentDecision,
    ConsentFrom,
    ConsentScope,
    ContactLanguage,
    ContactMode,
    DatePrecision,
    GbvimsType,
    LegalBasis,
    PerpetratorCount,
    PersonRole,
    PoliceComplaint,
    ProtectionMeasure,
    RecontactChannel,
    ReferredFrom,
    Relationship,
    Repetition,
    RequestType,
    SafeTime,
    Sex,
    SexualSubtype,
    ViolenceForm,
    YesNoUnknown,
)
from app.domain.protocols import ProtocolUseForm
from app.domain.safe_hours import HourRange
from app.domain.validation import clean_lines, clean_text
from app.errors import ValidationError
from app.i18n import _, numeric_day, numeric_month

OUTSIDE_AREA = "outside"
NOT_RECORDED = ""
# A desk clock a few minutes behind the visitor's watch is not an error worth a refusal.
CLOCK_TOLERANCE = timedelta(minutes=10)
_PHONE = re.compile(r"\+?[0-9 ./()\-]{6,30}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
#: a few lines, what the next person at the desk must know; longer belongs in a session
NOTE_LENGTH = 500


@dataclass(frozen=True)
class ContactForm:
    occurred_at: datetime
    mode: ContactMode = ContactMode.IN_PERSON
    role: PersonRole = PersonRole.VICTIM
    language: ContactLanguage = ContactLanguage.FR
    interpreter: bool = False
    referred_from: ReferredFrom = ReferredFrom.SELF
    requests: frozenset[RequestType] = frozenset()
    already_counted: YesNoUnknown = YesNoUnknown.NO
    #: for a caller of THIRD_PARTY_ROLES only: how they know the victim, and what they
    #: know of her (never the caller's own age or sex)
    relation: CallerRelation | None = None
    victim_age: AgeGroup | None = None
    victim_sex: Sex | None = None
    #: a short free text kept with the identity: never counted, exported or audited
    note: str = ""


@dataclass(frozen=True)
class PersonForm:
    age: int | None = None
    sex: Sex = Sex.NOT_RECORDED
    #: NIS code, OUTSIDE_AREA, or NOT_RECORDED
    municipality: str = NOT_RECORDED
    disability: YesNoUnknown = YesNoUnknown.UNKNOWN
    children: Children = Children.UNKNOWN
    children_exposed: YesNoUnknown = YesNoUnknown.UNKNOWN
    may_recontact: YesNoUnknown = YesNoUnknown.UNKNOWN
    channel: RecontactChannel | None = None
    safe_times: frozenset[SafeTime] = frozenset()
    #: safe hours per weekday, besides the coarse `safe_times`
    safe_hours: tuple[HourRange, ...] = ()
    voicemail_ok: bool = False

    @property
    def do_not_recontact(self) -> bool:
        return self.may_recontact is YesNoUnknown.NO


@dataclass(frozen=True)
class IdentityForm:
    pseudonym: str = ""
    phone: str = ""
    email: str = ""
    code_word: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.pseudonym or self.phone or self.email or self.code_word)


@dataclass(frozen=True)
class ConsentForm:
    scope: ConsentScope
    decision: ConsentDecision
    given_by: ConsentFrom = ConsentFrom.PERSON
    legal_basis: LegalBasis = LegalBasis.CONSENT


@dataclass(frozen=True)
class SituationForm:
    relationship: Relationship = Relationship.UNKNOWN
    forms: frozenset[ViolenceForm] = frozenset()
    sexual_subtype: SexualSubtype = SexualSubtype.UNKNOWN
    repetition: Repetition = Repetition.UNKNOWN
    last_incident: date | None = None
    precision: DatePrecision = DatePrecision.DAY
    perpetrator_sex: Sex = Sex.NOT_RECORDED
    perpetrator_age: AgeGroup = AgeGroup.UNKNOWN
    perpetrator_count: PerpetratorCount = PerpetratorCount.UNKNOWN
    perpetrator_cohabiting: YesNoUnknown = YesNoUnknown.UNKNOWN
    police_complaint: PoliceComplaint = PoliceComplaint.UNKNOWN
    protection: frozenset[ProtectionMeasure] = frozenset()
    #: a counsellor's correction of the derived GBVIMS type
    gbvims_correction: GbvimsType | None = None

    @property
    def is_empty(self) -> bool:
        return self == SituationForm()


@dataclass(frozen=True)
class IntakeForm:
    #: chosen when the form is started, so that saving the same form twice saves it once
    id: str
    contact: ContactForm
    #: None: a fully anonymous contact
    person: PersonForm | None = None
    identity: IdentityForm = field(default_factory=IdentityForm)
    consents: tuple[ConsentForm, ...] = ()
    situation: SituationForm = field(default_factory=SituationForm)
    #: add this contact to an existing case (a likely duplicate the user chose to link)
    link_case_id: str | None = None
    #: intervention protocols followed during the contact, with the steps ticked
    protocols: tuple[ProtocolUseForm, ...] = ()


def parse_age(text: str) -> int | None:
    """An age typed in a field: empty is unknown; anything else must be 0 to 120 years."""
    value = text.strip()
    if not value:
        return None
    if not value.isdigit() or not 0 <= int(value) <= MAX_AGE:
        raise _age_error()
    return int(value)


def _age_error() -> ValidationError:
    return ValidationError(
        _("The age must be a number of years from 0 to {max}, or empty if unknown.").format(
            max=MAX_AGE
        ),
        field="age",
    )


def search_key(text: str) -> str:
    """Text without accents and case, the way a pseudonym is searched."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def validate_intake(form: IntakeForm, now: datetime) -> IntakeForm:
    """The form with its text cleaned, or a `ValidationError` naming the field at fault."""
    if form.contact.occurred_at > now + CLOCK_TOLERANCE:
        raise ValidationError(
            _("The contact cannot be in the future: check the date and time."),
            field="occurred_at",
        )
    situation = validate_situation(form.situation, form.contact.occurred_at.date())
    form = replace(form, contact=validate_contact(form.contact))
    if form.person is None:
        if not form.identity.is_empty or form.consents:
            raise ValidationError(
                _(
                    "An anonymous contact has no name, contact details or consents: "
                    "untick “Anonymous” to record them."
                ),
                field="anonymous",
            )
        return replace(form, situation=situation)
    person = form.person
    if form.contact.role in THIRD_PARTY_ROLES:
        # The caller is not the victim: what was typed about the caller before the role
        # was changed is not kept, and no count can take the caller for the victim.
        person = replace(
            person,
            age=None,
            sex=Sex.NOT_RECORDED,
            disability=YesNoUnknown.UNKNOWN,
            children=Children.UNKNOWN,
            children_exposed=YesNoUnknown.UNKNOWN,
        )
    return replace(
        form,
        person=validate_person(person),
        identity=validate_identity(form.identity),
        consents=validate_consents(form.consents),
        situation=situation,
    )


def validate_contact(contact: ContactForm) -> ContactForm:
    """The note cleaned; what a third party says of the victim kept for third parties only."""
    note = clean_lines(contact.note, "note", _("The note"), NOTE_LENGTH)
    if contact.role in THIRD_PARTY_ROLES:
        return replace(
            contact,
            note=note,
            relation=contact.relation or CallerRelation.UNKNOWN,
            victim_age=contact.victim_age or AgeGroup.UNKNOWN,
            victim_sex=contact.victim_sex or Sex.NOT_RECORDED,
        )
    return replace(contact, note=note, relation=None, victim_age=None, victim_sex=None)


def validate_person(person: PersonForm) -> PersonForm:
    if person.age is not None and not 0 <= person.age <= MAX_AGE:
        raise _age_error()
    area = person.municipality
    if area not in (OUTSIDE_AREA, NOT_RECORDED):
        try:
            municipalities.municipality(area)
        except ValidationError as exc:
            raise ValidationError(str(exc), field="municipality") from None
    if person.may_recontact is YesNoUnknown.YES and person.channel is None:
        raise ValidationError(
            _("Say how the person may safely be contacted again, or untick recontact."),
            field="channel",
        )
    if person.may_recontact is not YesNoUnknown.YES:
        # Nothing about how to call back someone who must not be called back.
        return replace(
            person, channel=None, safe_times=frozenset(), safe_hours=(), voicemail_ok=False
        )
    return replace(person, safe_hours=safe_hours.validate(person.safe_hours))


def validate_identity(identity: IdentityForm) -> IdentityForm:
    cleaned = IdentityForm(
        pseudonym=clean_text(identity.pseudonym, "pseudonym", _("Pseudonym"), 120, False),
        phone=clean_text(identity.phone, "phone", _("Phone"), 30, False),
        email=clean_text(identity.email, "email", _("E-mail"), 160, False),
        code_word=clean_text(identity.code_word, "code_word", _("Code word"), 80, False),
    )
    if cleaned.phone and not _PHONE.fullmatch(cleaned.phone):
        raise ValidationError(
            _("The phone number may hold digits, spaces, + . / ( ) and -, nothing else."),
            field="phone",
        )
    if cleaned.email and not _EMAIL.fullmatch(cleaned.email):
        raise ValidationError(
            _("The e-mail address is not complete (for example name@example.be)."),
            field="email",
        )
    return cleaned


def validate_consents(consents: tuple[ConsentForm, ...]) -> tuple[ConsentForm, ...]:
    scopes = [c.scope for c in consents]
    if len(set(scopes)) != len(scopes):
        raise ValidationError(_("Each consent can be recorded only once."), field="consents")
    return consents


def validate_situation(situation: SituationForm, contact_day: date) -> SituationForm:
    incident = situation.last_incident
    if incident is not None:
        if situation.precision is DatePrecision.MONTH:
            incident = incident.replace(day=1)
        if incident > contact_day:
            raise ValidationError(
                _("The last incident cannot be after the contact: check the date."),
                field="last_incident",
            )
    if ViolenceForm.SEXUAL not in situation.forms:
        return replace(situation, last_incident=incident, sexual_subtype=SexualSubtype.UNKNOWN)
    return replace(situation, last_incident=incident)


# The day the examples of the messages write.
INCIDENT_EXAMPLE = date(2026, 3, 31)
_DAY_FORMATS = ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d")
_MONTH_FORMATS = ("%m/%Y", "%m.%Y", "%m-%Y", "%Y-%m")


def parse_incident_date(text: str) -> tuple[date | None, DatePrecision]:
    """A date typed as day/month/year, or month/year when only the month is known."""
    value = text.strip()
    if not value:
        return None, DatePrecision.DAY
    for formats, precision in (
        (_DAY_FORMATS, DatePrecision.DAY),
        (_MONTH_FORMATS, DatePrecision.MONTH),
    ):
        for pattern in formats:
            try:
                return datetime.strptime(value, pattern).date(), precision
            except ValueError:
                continue
    raise ValidationError(
        _(
            "Type the date as day/month/year ({day}), or month/year ({month}) if only the "
            "month is known."
        ).format(day=numeric_day(INCIDENT_EXAMPLE), month=numeric_month(INCIDENT_EXAMPLE)),
        field="last_incident",
    )


def format_incident_date(day: date | None, precision: DatePrecision) -> str:
    if day is None:
        return ""
    # As the language writes a day on every screen (03.2026 in German): any form is read.
    return numeric_month(day) if precision is DatePrecision.MONTH else numeric_day(day)
