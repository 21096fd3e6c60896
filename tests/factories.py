"""Forms the tests fill in, like a person at the desk would."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from app.domain.codes import (
    ConsentDecision,
    ConsentScope,
    Relationship,
    RequestType,
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
from app.services import protocols
from app.services.open_desk import OpenDesk


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


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
