"""Forms the tests fill in, like a person at the desk would."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from app import clock
from app.domain.cases import SavedIntake
from app.domain.codes import (
    ConsentDecision,
    ConsentScope,
    RecontactChannel,
    Relationship,
    RequestType,
    SafeTime,
    SexualSubtype,
    ViolenceForm,
)
from app.domain.intake import (
    ConsentForm,
    ContactForm,
    IdentityForm,
    IntakeForm,
    PersonForm,
    SituationForm,
)
from app.domain.recontact import PoliceReferralForm
from app.services import protocols, recontact
from app.services.open_desk import OpenDesk


def now() -> datetime:
    return clock.now().replace(microsecond=0)


def named_intake(pseudonym: str = "Hélène", age: int = 34, **changes: object) -> IntakeForm:
    values: dict[str, object] = {
        "id": str(uuid.uuid4()),
        "contact": ContactForm(occurred_at=now(), requests=frozenset({RequestType.LISTENING})),
        "person": PersonForm(age=age, municipality="21013"),
        "identity": IdentityForm(pseudonym=pseudonym, phone="0470 12 34 56"),
        "consents": (
            ConsentForm(ConsentScope.STATISTICS, ConsentDecision.GIVEN),
            ConsentForm(ConsentScope.REFERRAL_SHARE, ConsentDecision.GIVEN),
        ),
        "situation": SituationForm(
            relationship=Relationship.PARTNER_FORMER,
            forms=frozenset({ViolenceForm.SEXUAL, ViolenceForm.PHYSICAL}),
            sexual_subtype=SexualSubtype.NO_PENETRATION,
        ),
    }
    values.update(changes)
    return IntakeForm(**values)  # type: ignore[arg-type]


def followed(desk: OpenDesk, case_id: str) -> list[protocols.ProtocolFollowed]:
    """The protocols followed on the case's contacts, in the order of the contacts."""
    with desk.transaction() as session:
        by_contact = protocols.followed_by_contact(session, case_id, "en")
    return [use for uses in by_contact.values() for use in uses]


def protocol_version(desk: OpenDesk, key: str, number: int) -> protocols.Protocol | None:
    """One stored version of a protocol, as the desk holds it."""
    with desk.transaction() as session:
        held = protocols.all_versions(session)
    return next((p for p in held if (p.key, p.version) == (key, number)), None)


def police_referral(
    received_on: date, pseudonym: str = "Nadia", **changes: object
) -> PoliceReferralForm:
    """A referral from the police of someone who agreed to be called back, on weekday
    mornings, by phone."""
    values: dict[str, object] = {
        "received_on": received_on,
        "police_zone": "Secova (5283)",
        "consent_to_recontact": True,
        "pseudonym": pseudonym,
        "phone": "0470 11 22 33",
        "channel": RecontactChannel.PHONE,
        "safe_times": frozenset({SafeTime.WEEKDAY_MORNING}),
    }
    values.update(changes)
    return PoliceReferralForm(**values)  # type: ignore[arg-type]


def refer(desk: OpenDesk, form: PoliceReferralForm) -> SavedIntake:
    return recontact.record_police_referral(desk, form, str(uuid.uuid4()))
