"""The coded answers of the intake, case and session forms.

The database stores the stable code (the enum value), never the label; labels are looked
up in the language of the screen or the paper. Codes never change meaning once shipped:
add new ones, retire old ones, but do not reuse them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from enum import StrEnum
from typing import Self, TypeVar

from app.domain.disclosure import Level, Method
from app.i18n import N_, NP_, InContext, translate

_log = logging.getLogger(__name__)


class Coded(StrEnum):
    """An enumeration whose members have a translated label."""

    @property
    def label(self) -> str:
        return translate(_LABELS[type(self)][self.value])

    @classmethod
    def parse(cls, value: str) -> Self | None:
        """The member for a stored or imported code, None for an unknown one."""
        try:
            return cls(value)
        except ValueError:
            return None

    @classmethod
    def counted(cls, stored: str) -> Self | None:
        """The member a stored code is counted and exported under: its own, or for a code
        this version does not know (retired, or written by a newer version) the list's
        catch-all, with a warning in the log; None for a list that has none. Never raises:
        old data must not stop the monthly counts."""
        return _member(cls, stored, _CATCH_ALL.get(cls))

    @classmethod
    def read(cls, stored: str) -> Self:
        """The member a stored code is shown and edited as (see `read`)."""
        return read(cls, stored)

    @classmethod
    def read_optional(cls, stored: str | None) -> Self | None:
        """The member of a column that may be empty: None when it is (see `read_optional`)."""
        return read_optional(cls, stored)


#: lists already said since the counting began: a month of rows says each once
_WARNED: set[str] = set()


def count_afresh() -> None:
    """A new counting begins: each list with an unknown code is said once again."""
    _WARNED.clear()


def _warn_unknown(list_name: str, fallback: str | None) -> None:
    # The stored value itself never reaches the log (a plain file): a damaged column may
    # hold a name or a phone number, and a word shaped like a code may be one. The list,
    # and what it was taken as, are enough to find the rows.
    if list_name in _WARNED:
        return
    _WARNED.add(list_name)
    _log.warning(
        "%s: a code this version does not know, taken as %s", list_name, fallback or "nothing"
    )


E = TypeVar("E", bound=Coded)
_LABELS: dict[type[Coded], dict[str, str | InContext]] = {}


def _labelled(enum: type[Coded], labels: dict[Coded, str | InContext]) -> None:
    # Every member has a label, and only members do: caught at import, so in every test.
    if set(labels) != {member.value for member in enum}:
        raise AssertionError(f"labels of {enum.__name__} do not match its members")
    _LABELS[enum] = {member.value: label for member, label in labels.items()}


class ContactMode(Coded):
    """How the person reached the desk."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    EMAIL_LETTER = "email_letter"
    OUTREACH = "outreach"
    WITH_POLICE = "accompanied_by_police"
    # A referral file sent by the police of someone who agreed to be recontacted: the
    # desk's first contact about the person, before anyone has spoken to them.
    POLICE_REFERRAL = "police_referral"
    OTHER = "other"


_labelled(
    ContactMode,
    {
        ContactMode.IN_PERSON: N_("In person"),
        ContactMode.PHONE: N_("Phone"),
        ContactMode.EMAIL_LETTER: N_("E-mail or letter"),
        ContactMode.OUTREACH: N_("Outreach"),
        ContactMode.WITH_POLICE: N_("Accompanied by the police"),
        ContactMode.POLICE_REFERRAL: N_("Referral sent by the police"),
        ContactMode.OTHER: NP_("contact mode", "Other"),
    },
)


class PersonRole(Coded):
    """Who the person is in the situation."""

    VICTIM = "victim"
    WITNESS = "witness"
    RELATIVE = "relative_friend"
    PROFESSIONAL = "professional"
    PERPETRATOR = "perpetrator"
    UNKNOWN = "unknown"


_labelled(
    PersonRole,
    {
        PersonRole.VICTIM: N_("Victim"),
        PersonRole.WITNESS: N_("Witness"),
        PersonRole.RELATIVE: N_("Relative or friend"),
        PersonRole.PROFESSIONAL: N_("Professional"),
        PersonRole.PERPETRATOR: N_("Perpetrator"),
        PersonRole.UNKNOWN: N_("Unknown"),
    },
)


#: Callers who speak about someone else's situation: the intake asks how they know the
#: victim and what they know of her, never their own age, sex or children.
THIRD_PARTY_ROLES = frozenset({PersonRole.WITNESS, PersonRole.RELATIVE, PersonRole.PROFESSIONAL})


class CallerRelation(Coded):
    """How a witness, relative or professional who calls knows the victim."""

    NEIGHBOUR = "neighbour"
    FAMILY = "family_member"
    FRIEND = "friend"
    COLLEAGUE = "colleague"
    PROFESSIONAL = "professional"
    OTHER = "other"
    UNKNOWN = "unknown"


_labelled(
    CallerRelation,
    {
        CallerRelation.NEIGHBOUR: N_("Neighbour"),
        CallerRelation.FAMILY: N_("Family member"),
        CallerRelation.FRIEND: N_("Friend"),
        CallerRelation.COLLEAGUE: N_("Colleague"),
        CallerRelation.PROFESSIONAL: N_("Professional"),
        CallerRelation.OTHER: NP_("caller relation", "Other"),
        CallerRelation.UNKNOWN: N_("Unknown"),
    },
)


class ContactLanguage(Coded):
    """The language the contact was held in."""

    FR = "fr"
    NL = "nl"
    EN = "en"
    DE = "de"
    AR = "ar"
    ES = "es"
    PT = "pt"
    TR = "tr"
    RO = "ro"
    PL = "pl"
    OTHER = "other"


_labelled(
    ContactLanguage,
    {
        ContactLanguage.FR: N_("French"),
        ContactLanguage.NL: N_("Dutch"),
        ContactLanguage.EN: N_("English"),
        ContactLanguage.DE: N_("German"),
        ContactLanguage.AR: N_("Arabic"),
        ContactLanguage.ES: N_("Spanish"),
        ContactLanguage.PT: N_("Portuguese"),
        ContactLanguage.TR: N_("Turkish"),
        ContactLanguage.RO: N_("Romanian"),
        ContactLanguage.PL: N_("Polish"),
        ContactLanguage.OTHER: N_("Other language"),
    },
)


class ReferredFrom(Coded):
    """Who sent the person to the desk (GBVIMS 'referred from', adapted to Belgium)."""

    SELF = "self"
    POLICE = "police"
    JUSTICE = "justice"
    HEALTH = "health"
    SVCC = "sexual_violence_care_centre"
    PSYCHOSOCIAL = "psychosocial"
    CPAS = "cpas_ocmw"
    SCHOOL = "school_pms_clb"
    HELPLINE = "helpline"
    NETWORK_DESK = "other_network_desk"
    OTHER_SERVICE = "other_service"


_labelled(
    ReferredFrom,
    {
        ReferredFrom.SELF: N_("Came on their own"),
        ReferredFrom.POLICE: N_("Police"),
        ReferredFrom.JUSTICE: N_("Justice (victim reception)"),
        ReferredFrom.HEALTH: N_("Health (GP, hospital)"),
        ReferredFrom.SVCC: N_("Sexual violence care centre"),
        ReferredFrom.PSYCHOSOCIAL: N_("Psychosocial service (CAW, SAV)"),
        ReferredFrom.CPAS: N_("CPAS / OCMW"),
        ReferredFrom.SCHOOL: N_("School, PMS / CLB"),
        ReferredFrom.HELPLINE: N_("Helpline"),
        ReferredFrom.NETWORK_DESK: N_("Another desk of the network"),
        ReferredFrom.OTHER_SERVICE: N_("Another service"),
    },
)


class RequestType(Coded):
    """What the person asked for (several allowed)."""

    LISTENING = "listening"
    INFORMATION = "information"
    ADVICE = "advice"
    GUIDANCE = "guidance"
    ACCOMPANIMENT = "accompaniment"
    PRACTICAL_HELP = "practical_help"


_labelled(
    RequestType,
    {
        RequestType.LISTENING: N_("Listening"),
        RequestType.INFORMATION: N_("Information"),
        RequestType.ADVICE: N_("Advice"),
        RequestType.GUIDANCE: N_("Guidance, orientation"),
        RequestType.ACCOMPANIMENT: N_("Accompaniment"),
        RequestType.PRACTICAL_HELP: N_("Practical help"),
    },
)


class YesNoUnknown(Coded):
    """A three-way answer where 'we do not know' must stay distinct from 'no'."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


_labelled(
    YesNoUnknown,
    {
        YesNoUnknown.YES: N_("Yes"),
        YesNoUnknown.NO: N_("No"),
        YesNoUnknown.UNKNOWN: N_("Unknown"),
    },
)


class Sex(Coded):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    NOT_RECORDED = "not_recorded"


_labelled(
    Sex,
    {
        Sex.FEMALE: N_("Female"),
        Sex.MALE: N_("Male"),
        Sex.OTHER: NP_("sex", "Other"),
        Sex.NOT_RECORDED: N_("Not recorded"),
    },
)


class Children(Coded):
    """Children in the household."""

    NONE = "none"
    ONE = "one"
    TWO = "two"
    THREE_PLUS = "three_plus"
    UNKNOWN = "unknown"


_labelled(
    Children,
    {
        Children.NONE: N_("None"),
        Children.ONE: N_("One"),
        Children.TWO: N_("Two"),
        Children.THREE_PLUS: N_("Three or more"),
        Children.UNKNOWN: N_("Unknown"),
    },
)


class RecontactChannel(Coded):
    """How the person may safely be called back."""

    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    POST = "post"
    IN_PERSON_ONLY = "in_person_only"


_labelled(
    RecontactChannel,
    {
        RecontactChannel.PHONE: N_("Phone call"),
        RecontactChannel.SMS: N_("Text message"),
        RecontactChannel.EMAIL: N_("E-mail"),
        RecontactChannel.POST: N_("Post"),
        RecontactChannel.IN_PERSON_ONLY: N_("Only in person"),
    },
)


class SafeTime(Coded):
    """When a call-back is safe: coarse windows, kept as codes so a worklist can use them."""

    WEEKDAY_MORNING = "weekday_morning"
    WEEKDAY_AFTERNOON = "weekday_afternoon"
    WEEKDAY_EVENING = "weekday_evening"
    WEEKEND = "weekend"


_labelled(
    SafeTime,
    {
        SafeTime.WEEKDAY_MORNING: N_("Weekday mornings"),
        SafeTime.WEEKDAY_AFTERNOON: N_("Weekday afternoons"),
        SafeTime.WEEKDAY_EVENING: N_("Weekday evenings"),
        SafeTime.WEEKEND: N_("Weekends"),
    },
)


class ConsentScope(Coded):
    """What a consent row covers; one row per scope."""

    SERVICES = "services"
    STATISTICS = "statistics"
    RECONTACT = "recontact"
    REFERRAL_SHARE = "referral_share"


_labelled(
    ConsentScope,
    {
        ConsentScope.SERVICES: N_("Services of the desk"),
        ConsentScope.STATISTICS: N_("Anonymous statistics"),
        ConsentScope.RECONTACT: N_("Being contacted again"),
        ConsentScope.REFERRAL_SHARE: N_("Sharing with a partner service"),
    },
)


class ConsentDecision(Coded):
    GIVEN = "given"
    REFUSED = "refused"
    UNDECIDED = "undecided"


_labelled(
    ConsentDecision,
    {
        ConsentDecision.GIVEN: N_("Given"),
        ConsentDecision.REFUSED: N_("Refused"),
        ConsentDecision.UNDECIDED: N_("Not asked yet"),
    },
)


class ConsentFrom(Coded):
    """Who gave the consent."""

    PERSON = "person"
    GUARDIAN = "legal_guardian"
    OTHER = "other"


_labelled(
    ConsentFrom,
    {
        ConsentFrom.PERSON: N_("The person"),
        ConsentFrom.GUARDIAN: N_("Legal guardian"),
        ConsentFrom.OTHER: N_("Someone else"),
    },
)


class LegalBasis(Coded):
    """GDPR art. 6 basis recorded with each consent row."""

    CONSENT = "consent"
    VITAL_INTEREST = "vital_interest"
    LEGAL_OBLIGATION = "legal_obligation"
    PUBLIC_TASK = "public_task"
    LEGITIMATE_INTEREST = "legitimate_interest"


_labelled(
    LegalBasis,
    {
        LegalBasis.CONSENT: N_("Consent"),
        LegalBasis.VITAL_INTEREST: N_("Vital interest"),
        LegalBasis.LEGAL_OBLIGATION: N_("Legal obligation"),
        LegalBasis.PUBLIC_TASK: N_("Public task"),
        LegalBasis.LEGITIMATE_INTEREST: N_("Legitimate interest"),
    },
)


class Relationship(Coded):
    """The perpetrator's relationship to the person (Belgian partner / intrafamilial split)."""

    PARTNER_CURRENT = "partner_current"
    PARTNER_FORMER = "partner_former"
    PARENT_TO_CHILD = "parent_to_child"
    CHILD_TO_PARENT = "child_to_parent"
    SIBLING = "sibling"
    OTHER_FAMILY = "other_family"
    COHABITANT = "cohabitant"
    OTHER = "other"
    UNKNOWN = "unknown"


_labelled(
    Relationship,
    {
        Relationship.PARTNER_CURRENT: N_("Current partner"),
        Relationship.PARTNER_FORMER: N_("Former partner"),
        Relationship.PARENT_TO_CHILD: N_("Parent towards child"),
        Relationship.CHILD_TO_PARENT: N_("Child towards parent"),
        Relationship.SIBLING: N_("Brother or sister"),
        Relationship.OTHER_FAMILY: N_("Other family member"),
        Relationship.COHABITANT: N_("Cohabitant, not family"),
        Relationship.OTHER: NP_("relationship", "Other"),
        Relationship.UNKNOWN: N_("Unknown"),
    },
)


class ViolenceForm(Coded):
    """Belgian forms of violence (2006 definition, police statistics); several allowed."""

    PHYSICAL = "physical"
    PSYCHOLOGICAL = "psychological_verbal"
    SEXUAL = "sexual"
    ECONOMIC = "economic"
    ADMINISTRATIVE = "administrative"
    DIGITAL = "digital"
    COERCIVE_CONTROL = "coercive_control"
    THREATS = "threats"
    STALKING = "stalking_harassment"
    FORCED_MARRIAGE = "forced_marriage"
    HONOUR = "honour_related"
    OTHER = "other"


_labelled(
    ViolenceForm,
    {
        ViolenceForm.PHYSICAL: N_("Physical"),
        ViolenceForm.PSYCHOLOGICAL: N_("Psychological or verbal"),
        ViolenceForm.SEXUAL: N_("Sexual"),
        ViolenceForm.ECONOMIC: N_("Economic"),
        ViolenceForm.ADMINISTRATIVE: N_("Administrative"),
        ViolenceForm.DIGITAL: N_("Digital"),
        ViolenceForm.COERCIVE_CONTROL: N_("Coercive control"),
        ViolenceForm.THREATS: N_("Threats"),
        ViolenceForm.STALKING: N_("Stalking, harassment"),
        ViolenceForm.FORCED_MARRIAGE: N_("Forced marriage"),
        ViolenceForm.HONOUR: N_("'Honour'-related"),
        ViolenceForm.OTHER: NP_("violence form", "Other"),
    },
)


class SexualSubtype(Coded):
    """Needed to tell rape from sexual assault."""

    PENETRATION = "penetration"
    NO_PENETRATION = "no_penetration"
    UNKNOWN = "unknown"


_labelled(
    SexualSubtype,
    {
        SexualSubtype.PENETRATION: N_("With penetration"),
        SexualSubtype.NO_PENETRATION: N_("Without penetration"),
        SexualSubtype.UNKNOWN: N_("Unknown"),
    },
)


class Repetition(Coded):
    ISOLATED = "isolated"
    REPEATED = "repeated"
    UNKNOWN = "unknown"


_labelled(
    Repetition,
    {
        Repetition.ISOLATED: N_("Isolated"),
        Repetition.REPEATED: N_("Repeated"),
        Repetition.UNKNOWN: N_("Unknown"),
    },
)


class DatePrecision(Coded):
    """How precisely the date of the last incident is known."""

    DAY = "day"
    MONTH = "month"


_labelled(
    DatePrecision,
    {
        DatePrecision.DAY: N_("Day"),
        DatePrecision.MONTH: N_("Month only"),
    },
)


class AgeGroup(Coded):
    """GBVIMS age groups: a perpetrator's, or a victim's as a caller who is not the victim
    knows it (a band at best)."""

    AGE_0_11 = "age_0_11"
    AGE_12_17 = "age_12_17"
    AGE_18_25 = "age_18_25"
    AGE_26_40 = "age_26_40"
    AGE_41_60 = "age_41_60"
    AGE_61_PLUS = "age_61_plus"
    UNKNOWN = "unknown"


_labelled(
    AgeGroup,
    {
        AgeGroup.AGE_0_11: N_("0–11"),
        AgeGroup.AGE_12_17: N_("12–17"),
        AgeGroup.AGE_18_25: N_("18–25"),
        AgeGroup.AGE_26_40: N_("26–40"),
        AgeGroup.AGE_41_60: N_("41–60"),
        AgeGroup.AGE_61_PLUS: N_("61 and over"),
        AgeGroup.UNKNOWN: N_("Unknown"),
    },
)


class PerpetratorCount(Coded):
    ONE = "one"
    TWO = "two"
    THREE = "three"
    MORE = "more_than_three"
    UNKNOWN = "unknown"


_labelled(
    PerpetratorCount,
    {
        PerpetratorCount.ONE: N_("One"),
        PerpetratorCount.TWO: N_("Two"),
        PerpetratorCount.THREE: N_("Three"),
        PerpetratorCount.MORE: N_("More than three"),
        PerpetratorCount.UNKNOWN: N_("Unknown"),
    },
)


class PoliceComplaint(Coded):
    FILED = "filed"
    PLANNED = "planned"
    NOT_WANTED = "not_wanted"
    UNKNOWN = "unknown"


_labelled(
    PoliceComplaint,
    {
        PoliceComplaint.FILED: N_("Filed"),
        PoliceComplaint.PLANNED: NP_("police complaint", "Planned"),
        PoliceComplaint.NOT_WANTED: N_("Not wanted"),
        PoliceComplaint.UNKNOWN: N_("Unknown"),
    },
)


class ProtectionMeasure(Coded):
    """Several allowed; none is the empty set."""

    RESIDENCE_BAN = "temporary_residence_ban"
    PROTECTION_ORDER = "protection_order"


_labelled(
    ProtectionMeasure,
    {
        ProtectionMeasure.RESIDENCE_BAN: N_("Temporary residence ban"),
        ProtectionMeasure.PROTECTION_ORDER: N_("Protection order"),
    },
)


class GbvimsType(Coded):
    """The six GBVIMS core incident types and non-GBV, in the order of the GBVIMS hierarchy."""

    RAPE = "rape"
    SEXUAL_ASSAULT = "sexual_assault"
    PHYSICAL_ASSAULT = "physical_assault"
    FORCED_MARRIAGE = "forced_marriage"
    DENIAL_OF_RESOURCES = "denial_of_resources"
    PSYCHOLOGICAL = "psychological_emotional"
    NON_GBV = "non_gbv"


_labelled(
    GbvimsType,
    {
        GbvimsType.RAPE: N_("Rape"),
        GbvimsType.SEXUAL_ASSAULT: N_("Sexual assault"),
        GbvimsType.PHYSICAL_ASSAULT: N_("Physical assault"),
        GbvimsType.FORCED_MARRIAGE: N_("Forced marriage"),
        GbvimsType.DENIAL_OF_RESOURCES: N_("Denial of resources, opportunities or services"),
        GbvimsType.PSYCHOLOGICAL: N_("Psychological or emotional abuse"),
        GbvimsType.NON_GBV: N_("Not gender-based violence"),
    },
)


class ViolenceScope(Coded):
    """The Belgian split of intrafamilial violence."""

    PARTNER = "partner"
    INTRAFAMILIAL = "intrafamilial"
    OTHER = "other"
    UNKNOWN = "unknown"


_labelled(
    ViolenceScope,
    {
        ViolenceScope.PARTNER: N_("Partner violence"),
        ViolenceScope.INTRAFAMILIAL: N_("Other intrafamilial violence"),
        ViolenceScope.OTHER: N_("Outside the family"),
        ViolenceScope.UNKNOWN: N_("Unknown"),
    },
)


class CaseStatus(Coded):
    OPEN = "open"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"


_labelled(
    CaseStatus,
    {
        CaseStatus.OPEN: N_("Open"),
        CaseStatus.FOLLOW_UP: N_("Follow-up"),
        CaseStatus.CLOSED: N_("Closed"),
    },
)


class SessionMode(Coded):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"
    OUTREACH = "outreach"


_labelled(
    SessionMode,
    {
        SessionMode.IN_PERSON: N_("In person"),
        SessionMode.PHONE: N_("Phone"),
        SessionMode.VIDEO: N_("Video call"),
        SessionMode.OUTREACH: N_("Outreach"),
    },
)


class SessionType(Coded):
    LISTENING = "listening"
    INFORMATION_ADVICE = "information_advice"
    GUIDANCE = "guidance_orientation"
    ACCOMPANIMENT = "accompaniment"
    FOLLOW_UP_CALL = "follow_up_call"


_labelled(
    SessionType,
    {
        SessionType.LISTENING: N_("Listening"),
        SessionType.INFORMATION_ADVICE: N_("Information and advice"),
        SessionType.GUIDANCE: N_("Guidance, orientation"),
        SessionType.ACCOMPANIMENT: N_("Accompaniment"),
        SessionType.FOLLOW_UP_CALL: N_("Follow-up call"),
    },
)


class Topic(Coded):
    """Topics of a session; several allowed."""

    RIGHTS = "rights"
    COMPLAINT = "complaint_procedure"
    PROTECTION = "protection_measures"
    HOUSING = "housing"
    CHILDREN = "children"
    FINANCES = "finances"
    LEGAL_AID = "legal_aid"
    HEALTH = "health"
    SAFETY_PLANNING = "safety_planning"


_labelled(
    Topic,
    {
        Topic.RIGHTS: N_("Rights"),
        Topic.COMPLAINT: N_("Complaint procedure"),
        Topic.PROTECTION: N_("Protection measures"),
        Topic.HOUSING: N_("Housing"),
        Topic.CHILDREN: N_("Children"),
        Topic.FINANCES: N_("Finances"),
        Topic.LEGAL_AID: N_("Legal aid"),
        Topic.HEALTH: N_("Health"),
        Topic.SAFETY_PLANNING: N_("Safety planning"),
    },
)


class RiskTool(Coded):
    """The screening tool used. DASH is not offered: it may not be reproduced without a licence."""

    NONE = "none"
    RTI = "rti_partnergeweld"
    COL_15_2020 = "col_15_2020"
    LOCAL = "local_checklist"
    OTHER = "other"


_labelled(
    RiskTool,
    {
        RiskTool.NONE: N_("No screening"),
        RiskTool.RTI: N_("Risk assessment tool for partner violence (RTI)"),
        RiskTool.COL_15_2020: N_("COL 15/2020 checklist"),
        RiskTool.LOCAL: N_("Local checklist"),
        RiskTool.OTHER: N_("Other tool"),
    },
)


class RiskLevel(Coded):
    STANDARD = "standard"
    MEDIUM = "medium"
    HIGH = "high"


_labelled(
    RiskLevel,
    {
        RiskLevel.STANDARD: N_("Standard"),
        RiskLevel.MEDIUM: N_("Medium"),
        RiskLevel.HIGH: N_("High"),
    },
)


class ServiceType(Coded):
    """Kinds of service a person is referred to (GBVIMS service types, extended)."""

    POLICE = "police"
    JUSTICE = "justice_victim_reception"
    PSYCHOSOCIAL = "psychosocial"
    MEDICAL = "medical"
    SVCC = "sexual_violence_care_centre"
    SHELTER = "shelter"
    LEGAL_AID = "legal_aid"
    CPAS = "cpas_ocmw"
    HOUSING = "housing"
    CHILD_PROTECTION = "child_protection"
    PERPETRATOR_PROGRAMME = "perpetrator_programme"
    HELPLINE = "helpline"
    OTHER = "other"


_labelled(
    ServiceType,
    {
        ServiceType.POLICE: N_("Police"),
        ServiceType.JUSTICE: N_("Justice victim reception"),
        ServiceType.PSYCHOSOCIAL: N_("Psychosocial support"),
        ServiceType.MEDICAL: N_("Medical care"),
        ServiceType.SVCC: N_("Sexual violence care centre"),
        ServiceType.SHELTER: N_("Shelter"),
        ServiceType.LEGAL_AID: N_("Legal aid"),
        ServiceType.CPAS: N_("CPAS / OCMW"),
        ServiceType.HOUSING: N_("Housing"),
        ServiceType.CHILD_PROTECTION: N_("Child protection"),
        ServiceType.PERPETRATOR_PROGRAMME: N_("Programme for perpetrators"),
        ServiceType.HELPLINE: N_("Helpline"),
        ServiceType.OTHER: NP_("service type", "Other"),
    },
)


class ReferralStatus(Coded):
    """Primero's lookup-service-referred, unchanged."""

    REFERRED = "referred"
    PROVIDED = "provided_by_own_service"
    ALREADY_RECEIVING = "already_receiving"
    DECLINED = "declined"
    UNAVAILABLE = "service_unavailable"
    NOT_APPLICABLE = "not_applicable"


_labelled(
    ReferralStatus,
    {
        ReferralStatus.REFERRED: N_("Referred"),
        ReferralStatus.PROVIDED: N_("Provided by our service"),
        ReferralStatus.ALREADY_RECEIVING: N_("Already receiving"),
        ReferralStatus.DECLINED: N_("Declined by the person"),
        ReferralStatus.UNAVAILABLE: N_("Service unavailable"),
        ReferralStatus.NOT_APPLICABLE: N_("Not applicable"),
    },
)


class RetentionClass(Coded):
    """How long a record is kept; the periods are set by the admin."""

    CASE = "case_record"
    IDENTITY = "identity"
    NOTES = "narrative_short"


_labelled(
    RetentionClass,
    {
        RetentionClass.CASE: N_("Case record"),
        RetentionClass.IDENTITY: N_("Identity"),
        RetentionClass.NOTES: N_("Counselling notes"),
    },
)


class ActivityKind(Coded):
    """Awareness actions and group work of a desk."""

    WHITE_RIBBON = "white_ribbon"
    LA_CABANE = "la_cabane"
    DIGITAL_WORKSHOP = "digital_workshop"
    ANIMATION = "animation_module"
    TRAINING = "professional_training"
    PLATFORM_MEETING = "platform_meeting"
    # Group work every desk runs in its own way (mothers talking about their life as women
    # and as parents; children and young victims or witnesses): counted apart from "other"
    # since counts schema 2.
    DISCUSSION_GROUP = "discussion_group"
    SUPPORT_GROUP = "support_group"
    OTHER = "other"


_labelled(
    ActivityKind,
    {
        ActivityKind.WHITE_RIBBON: N_("White Ribbon campaign"),
        ActivityKind.LA_CABANE: N_("“La cabane” children's workshop"),
        ActivityKind.DIGITAL_WORKSHOP: N_("Digital workshop for women"),
        ActivityKind.ANIMATION: N_("Animation module (capsules, role play, theatre)"),
        ActivityKind.TRAINING: N_("Training for professionals"),
        ActivityKind.PLATFORM_MEETING: N_("Network platform meeting"),
        ActivityKind.DISCUSSION_GROUP: N_("Discussion group"),
        ActivityKind.SUPPORT_GROUP: N_("Support group for children and young people"),
        ActivityKind.OTHER: N_("Other action"),
    },
)


class Audience(Coded):
    """Who an activity was for."""

    CHILDREN = "children"
    YOUNG_PEOPLE = "young_people"
    WOMEN = "women"
    PARENTS = "parents"
    ADULTS = "adults"
    PROFESSIONALS = "professionals"
    GENERAL_PUBLIC = "general_public"
    REFERENTS = "network_referents"


_labelled(
    Audience,
    {
        Audience.CHILDREN: N_("Children"),
        Audience.YOUNG_PEOPLE: N_("Young people, pupils"),
        Audience.WOMEN: N_("Women"),
        Audience.PARENTS: N_("Parents"),
        Audience.ADULTS: N_("Adults"),
        Audience.PROFESSIONALS: N_("Professionals"),
        Audience.GENERAL_PUBLIC: N_("General public"),
        Audience.REFERENTS: N_("Referents of the network"),
    },
)


class RecontactSource(Coded):
    """Why a call-back is owed."""

    POLICE_REFERRAL = "police_referral"
    PROMISED = "promised_callback"


_labelled(
    RecontactSource,
    {
        RecontactSource.POLICE_REFERRAL: N_("Police referral"),
        RecontactSource.PROMISED: N_("Call-back promised"),
    },
)


class AttemptOutcome(Coded):
    """What came of one try to reach a person."""

    REACHED = "reached"
    NO_ANSWER = "no_answer"
    UNSAFE = "unsafe_to_talk"
    WRONG_NUMBER = "wrong_number"
    DECLINED = "declined"

    @property
    def failed(self) -> bool:
        """A try that counts towards the limit: the person may still be reached later."""
        return self in (AttemptOutcome.NO_ANSWER, AttemptOutcome.UNSAFE)


_labelled(
    AttemptOutcome,
    {
        AttemptOutcome.REACHED: N_("Reached"),
        AttemptOutcome.NO_ANSWER: N_("No answer"),
        AttemptOutcome.UNSAFE: N_("Unsafe to talk"),
        AttemptOutcome.WRONG_NUMBER: N_("Wrong number"),
        AttemptOutcome.DECLINED: N_("Declined"),
    },
)


class NextStep(Coded):
    """What follows an attempt."""

    TRY_AGAIN = "try_again"
    APPOINTMENT = "appointment"
    CLOSE = "close"


_labelled(
    NextStep,
    {
        NextStep.TRY_AGAIN: N_("Try again"),
        NextStep.APPOINTMENT: N_("Appointment made"),
        NextStep.CLOSE: N_("Nothing more: close"),
    },
)


class RecontactClosed(Coded):
    """Why a recontact item was closed."""

    REACHED = "reached"
    DECLINED = "declined"
    WRONG_NUMBER = "wrong_number"
    ATTEMPTS_EXHAUSTED = "attempts_exhausted"
    CLOSED_BY_WORKER = "closed_by_worker"


_labelled(
    RecontactClosed,
    {
        RecontactClosed.REACHED: N_("Person reached"),
        RecontactClosed.DECLINED: N_("Person declined"),
        RecontactClosed.WRONG_NUMBER: N_("Wrong number"),
        RecontactClosed.ATTEMPTS_EXHAUSTED: N_("No success after the set number of attempts"),
        RecontactClosed.CLOSED_BY_WORKER: N_("Closed by the desk"),
    },
)


class AppointmentKind(Coded):
    """A next session, or an accompaniment of the person somewhere."""

    SESSION = "session"
    POLICE = "accompaniment_police"
    COURT = "accompaniment_court"
    DOCTOR = "accompaniment_doctor"
    OTHER = "other"


_labelled(
    AppointmentKind,
    {
        AppointmentKind.SESSION: N_("Session at the desk"),
        AppointmentKind.POLICE: N_("Accompaniment to the police"),
        AppointmentKind.COURT: N_("Accompaniment to court"),
        AppointmentKind.DOCTOR: N_("Accompaniment to a doctor"),
        AppointmentKind.OTHER: N_("Other appointment"),
    },
)


class ProtocolStatus(Coded):
    """Whether the network has approved a protocol version."""

    DRAFT = "draft"
    APPROVED = "approved"


_labelled(
    ProtocolStatus,
    {
        ProtocolStatus.DRAFT: N_("Draft, to be reviewed by the network"),
        ProtocolStatus.APPROVED: N_("Approved by the network"),
    },
)


class RecontactStatus(StrEnum):
    """Whether a call-back is still owed; the screens say it in their own words."""

    OPEN = "open"
    CLOSED = "closed"


class AppointmentStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"


# Where a code this version does not know is counted: the list's "other" answer, or its
# "unknown" one when it has no "other" (ViolenceScope's "other" means outside the family, not
# "none of these"). Lists absent here have no cell that could honestly hold such a code.
_CATCH_ALL: dict[type[StrEnum], StrEnum] = {
    ContactMode: ContactMode.OTHER,
    PersonRole: PersonRole.UNKNOWN,
    CallerRelation: CallerRelation.OTHER,
    ContactLanguage: ContactLanguage.OTHER,
    ReferredFrom: ReferredFrom.OTHER_SERVICE,
    YesNoUnknown: YesNoUnknown.UNKNOWN,
    Sex: Sex.OTHER,
    Children: Children.UNKNOWN,
    ConsentFrom: ConsentFrom.OTHER,
    Relationship: Relationship.OTHER,
    ViolenceForm: ViolenceForm.OTHER,
    SexualSubtype: SexualSubtype.UNKNOWN,
    Repetition: Repetition.UNKNOWN,
    AgeGroup: AgeGroup.UNKNOWN,
    PerpetratorCount: PerpetratorCount.UNKNOWN,
    PoliceComplaint: PoliceComplaint.UNKNOWN,
    ViolenceScope: ViolenceScope.UNKNOWN,
    RiskTool: RiskTool.OTHER,
    ServiceType: ServiceType.OTHER,
    ActivityKind: ActivityKind.OTHER,
    AppointmentKind: AppointmentKind.OTHER,
}


# What a screen shows, and a Save then stores, for a code this version does not know in a list
# without a catch-all. Each is the answer that claims least or keeps the person in sight: no
# consent is assumed, no call made in a way she has not agreed to, no risk understated, no
# case or call-back dropped from a worklist, no register assumed coarser than it was.
# Lists absent from both tables are read only where an unknown code can be left out (a set
# of answers, roles, a consent's scope, an optional GBVIMS type), or only compared in queries
# (the status of a call-back or an appointment: an unknown one is not on the open lists).
_SHOWN_FOR_UNKNOWN: dict[type[StrEnum], StrEnum] = {
    RecontactChannel: RecontactChannel.IN_PERSON_ONLY,
    ConsentDecision: ConsentDecision.UNDECIDED,
    LegalBasis: LegalBasis.CONSENT,
    DatePrecision: DatePrecision.MONTH,
    CaseStatus: CaseStatus.OPEN,
    SessionMode: SessionMode.IN_PERSON,
    SessionType: SessionType.LISTENING,
    RiskLevel: RiskLevel.HIGH,
    ReferralStatus: ReferralStatus.REFERRED,
    Audience: Audience.GENERAL_PUBLIC,
    RecontactSource: RecontactSource.PROMISED,
    AttemptOutcome: AttemptOutcome.NO_ANSWER,
    NextStep: NextStep.TRY_AGAIN,
    RecontactClosed: RecontactClosed.CLOSED_BY_WORKER,
    ProtocolStatus: ProtocolStatus.DRAFT,
    Level: Level.MUNICIPALITY,
    Method: Method.SUPPRESS,
}

S = TypeVar("S", bound=StrEnum)


def read(enum: type[S], stored: str) -> S:
    """The member a stored code is shown and edited as: its own, or for a code this version
    does not know the list's catch-all or its answer in `_SHOWN_FOR_UNKNOWN`, with the
    warning of `Coded.counted`: a screen must open on old data. Only a list given no answer
    raises, whatever the data: tests/test_stored_codes_read_one_way.py keeps them out."""
    member = _member(enum, stored, _answer(enum))
    if member is None:
        raise LookupError(f"{enum.__name__} has no answer for an unknown code")
    return member


def read_or(enum: type[S], stored: str, answer: S) -> S:
    """`read` for a list declared where this module cannot name it (the directory's): the
    caller gives the answer for a code this version does not know."""
    member = _member(enum, stored, answer)
    assert member is not None
    return member


def read_optional(enum: type[S], stored: str | None) -> S | None:
    """`read` for a column that may be empty (None then), or of a list with no answer for
    an unknown code (None for it, logged)."""
    return _member(enum, stored, _answer(enum)) if stored else None


def _answer(enum: type[StrEnum]) -> StrEnum | None:
    return _CATCH_ALL.get(enum) or _SHOWN_FOR_UNKNOWN.get(enum)


def _member(enum: type[S], stored: str, fallback: StrEnum | None) -> S | None:
    """The member of a known code; for an unknown one `fallback`'s, said in the log."""
    if stored in enum._value2member_map_:
        return enum(stored)
    _warn_unknown(enum.__name__, fallback)
    return None if fallback is None else enum(fallback)


def read_codes(enum: type[S], stored: Iterable[str]) -> frozenset[S]:
    """Several stored codes: each known one, an unknown one under the list's catch-all, else
    left out, logged. An answer of `_SHOWN_FOR_UNKNOWN` is never added: it stands for one
    answer, and among several it would claim one more."""
    members = (_member(enum, code, _CATCH_ALL.get(enum)) for code in stored)
    return frozenset(member for member in members if member is not None)


def labels_of(enum: type[Coded]) -> tuple[tuple[str, str | InContext], ...]:
    """(code, label as marked, with its context if it has one) of every member, in
    declaration order: what `translate` takes."""
    return tuple((member.value, _LABELS[enum][member.value]) for member in enum)


def join_codes(values: Iterable[Coded]) -> str:
    """Several answers as one stored value: codes in declaration order, joined by commas."""
    chosen = set(values)
    if not chosen:
        return ""
    enum = type(next(iter(chosen)))
    return ",".join(member.value for member in enum if member in chosen)


def split_codes(enum: type[E], stored: str) -> frozenset[E]:
    """The answers stored by `join_codes`, as `read_codes` takes them: the screens and the
    counts read them alike."""
    return read_codes(enum, (code for code in stored.split(",") if code))
