"""What the case list and the case page show: plain, frozen views built by the services."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from app.domain.codes import (
    CaseStatus,
    ConsentDecision,
    ConsentFrom,
    ConsentScope,
    GbvimsType,
    LegalBasis,
    PersonRole,
    ReferralStatus,
    ServiceType,
    ViolenceScope,
)
from app.domain.intake import IdentityForm, PersonForm, SituationForm


@dataclass(frozen=True)
class CaseQuery:
    #: a case code, part of one, or part of a pseudonym (accents and case ignored)
    text: str = ""
    status: CaseStatus | None = None
    opened_from: date | None = None
    opened_to: date | None = None


@dataclass(frozen=True)
class CaseRow:
    id: str
    code: str
    status: CaseStatus
    opened_at: datetime
    #: None for an anonymous case
    pseudonym: str | None
    age: int | None
    contacts: int
    sessions: int
    do_not_recontact: bool


@dataclass(frozen=True)
class SavedIntake:
    case_id: str
    case_code: str
    contact_id: str
    #: False when the same form had already been saved (a double click, a retry)
    created: bool


@dataclass(frozen=True)
class ConsentView:
    id: str
    scope: ConsentScope
    decision: ConsentDecision
    given_by: ConsentFrom
    legal_basis: LegalBasis
    given_on: date
    withdrawn_on: date | None

    @property
    def in_force(self) -> bool:
        return self.decision is ConsentDecision.GIVEN and self.withdrawn_on is None


class SharingState(StrEnum):
    """Where the person stands on sharing their details with a partner service."""

    GIVEN = "given"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    NOT_ASKED = "not_asked"


def sharing_consent(consents: Iterable[ConsentView]) -> ConsentView | None:
    """The person's decision on sharing with a partner service: the one in force, else the
    latest ended one; None if never asked."""
    shares = [c for c in consents if c.scope is ConsentScope.REFERRAL_SHARE]
    current = [c for c in shares if c.withdrawn_on is None]
    return (current or shares)[-1] if shares else None


def sharing_state(consent: ConsentView | None) -> SharingState:
    if consent is None or consent.decision is ConsentDecision.UNDECIDED:
        return SharingState.NOT_ASKED
    if consent.withdrawn_on is not None:
        return SharingState.WITHDRAWN
    if consent.decision is ConsentDecision.REFUSED:
        return SharingState.REFUSED
    return SharingState.GIVEN


class TimelineKind(StrEnum):
    CONTACT = "contact"
    SESSION = "session"
    REFERRAL = "referral"
    ATTEMPT = "recontact_attempt"
    HANDOUT = "handout"


@dataclass(frozen=True)
class TimelineEntry:
    kind: TimelineKind
    id: str
    at: datetime
    #: one line in the language of the screen, without notes
    summary: str
    who: str
    #: for a referral: its current status, updatable from the case page
    referral_status: ReferralStatus | None = None
    service_type: ServiceType | None = None
    has_notes: bool = False
    #: a contact's short note, kept with the identity
    note: str = ""
    #: False for an entry whose time is not known (only its day, `at` its midnight)
    timed: bool = True


@dataclass(frozen=True)
class CaseDetail:
    id: str
    code: str
    status: CaseStatus
    opened_at: datetime
    version: int
    person: PersonForm | None
    identity: IdentityForm | None
    consents: tuple[ConsentView, ...]
    situation: SituationForm | None
    gbvims_derived: GbvimsType | None
    scope: ViolenceScope | None
    timeline: tuple[TimelineEntry, ...]
    #: who the first contact was with: for a witness, relative or professional, the person
    #: of the case is the caller, and their own age, sex and children are not asked
    first_role: PersonRole = PersonRole.VICTIM

    @property
    def gbvims_type(self) -> GbvimsType | None:
        if self.situation is not None and self.situation.gbvims_correction is not None:
            return self.situation.gbvims_correction
        return self.gbvims_derived

    @property
    def do_not_recontact(self) -> bool:
        return self.person is not None and self.person.do_not_recontact


@dataclass(frozen=True)
class CaseEdit:
    status: CaseStatus
    person: PersonForm | None
    identity: IdentityForm | None
    situation: SituationForm
