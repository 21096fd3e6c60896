"""Synthetic cases for a demo desk: plausible mixes of roles, forms of violence, ages,
referral sources and sessions, with Faker's Belgian pseudonyms. Rows are inserted in bulk
(one statement per batch) so that the large scale, ten years of a busy desk, stays a
matter of minutes. Nothing here describes a real person."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from app.domain.case_code import format_case_code
from app.domain.classification import gbvims_type
from app.domain.codes import (
    CaseStatus,
    ConsentDecision,
    ConsentScope,
    ContactMode,
    PersonRole,
    ReferralStatus,
    ReferredFrom,
    Relationship,
    RequestType,
    RetentionClass,
    ServiceType,
    SessionType,
    Sex,
    SexualSubtype,
    Topic,
    ViolenceForm,
    YesNoUnknown,
    join_codes,
)
from app.domain.intake import search_key
from app.domain.municipalities import MUNICIPALITIES
from app.domain.roles import Role
from app.services.open_desk import OpenDesk
from db import repositories
from db.models import (
    CaseCounter,
    CaseFile,
    Consent,
    Contact,
    Identity,
    ListeningSession,
    Person,
    Referral,
    Situation,
)


@dataclass(frozen=True)
class Scale:
    persons: int
    sessions: int
    years: int


SCALES = {
    "small": Scale(persons=300, sessions=900, years=2),
    "large": Scale(persons=200_000, sessions=1_000_000, years=10),
}
BATCH = 5_000

# Weights read off what Belgian helplines and desks report (roughly: most contacts are
# victims, mostly women, most often about a current or former partner).
_ROLES = {
    PersonRole.VICTIM: 78,
    PersonRole.RELATIVE: 8,
    PersonRole.WITNESS: 5,
    PersonRole.PROFESSIONAL: 5,
    PersonRole.PERPETRATOR: 2,
    PersonRole.UNKNOWN: 2,
}
_RELATIONSHIPS = {
    Relationship.PARTNER_CURRENT: 45,
    Relationship.PARTNER_FORMER: 25,
    Relationship.PARENT_TO_CHILD: 8,
    Relationship.CHILD_TO_PARENT: 7,
    Relationship.SIBLING: 3,
    Relationship.OTHER_FAMILY: 5,
    Relationship.COHABITANT: 2,
    Relationship.OTHER: 2,
    Relationship.UNKNOWN: 3,
}
_FORMS = {
    ViolenceForm.PSYCHOLOGICAL: 80,
    ViolenceForm.PHYSICAL: 45,
    ViolenceForm.THREATS: 30,
    ViolenceForm.COERCIVE_CONTROL: 25,
    ViolenceForm.ECONOMIC: 20,
    ViolenceForm.SEXUAL: 12,
    ViolenceForm.DIGITAL: 10,
    ViolenceForm.STALKING: 10,
    ViolenceForm.ADMINISTRATIVE: 5,
    ViolenceForm.FORCED_MARRIAGE: 1,
    ViolenceForm.HONOUR: 1,
}
_REFERRED_FROM = {
    ReferredFrom.SELF: 40,
    ReferredFrom.POLICE: 20,
    ReferredFrom.PSYCHOSOCIAL: 10,
    ReferredFrom.CPAS: 8,
    ReferredFrom.HEALTH: 6,
    ReferredFrom.HELPLINE: 6,
    ReferredFrom.JUSTICE: 4,
    ReferredFrom.SCHOOL: 3,
    ReferredFrom.OTHER_SERVICE: 3,
}
_MODES = {
    ContactMode.IN_PERSON: 55,
    ContactMode.PHONE: 35,
    ContactMode.EMAIL_LETTER: 4,
    ContactMode.WITH_POLICE: 4,
    ContactMode.OUTREACH: 2,
}


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), list(weights.values()))[0]


def fill(
    desk: OpenDesk,
    scale: Scale,
    seed: int = 2026,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Add `scale.persons` cases (about one in ten anonymous) and `scale.sessions` sessions
    over the last `scale.years` years."""
    from faker import Faker

    rng = random.Random(seed)
    fakes = Faker(["fr_BE", "nl_BE"])
    fakes.seed_instance(seed)
    first_names = list({fakes.first_name() for _ in range(2_000)})
    users: dict[Role, list[str]] = {role: [] for role in Role}
    with desk.transaction() as session:
        for user_id, roles in repositories.roles_by_user(session).items():
            for role in roles:
                users[Role(role)].append(user_id)
    recorders = users[Role.RECEPTION] + users[Role.COUNSELLOR]
    counsellors = users[Role.COUNSELLOR] or recorders
    if not recorders:
        raise ValueError("the demo desk needs a reception or counsellor account")
    now = datetime.now(UTC).replace(microsecond=0)
    span = timedelta(days=365 * scale.years)
    openings = sorted(now - span * rng.random() for _ in range(scale.persons))
    numbers: dict[int, int] = {}
    sessions_left = scale.sessions
    done = 0
    rows: dict[type, list[dict[str, Any]]] = {}

    def add(model: type, **values: Any) -> None:
        rows.setdefault(model, []).append(values)

    def flush() -> None:
        with desk.transaction() as session:
            for model in (
                Person,
                Identity,
                Consent,
                CaseFile,
                Contact,
                Situation,
                ListeningSession,
                Referral,
            ):
                if rows.get(model):
                    session.execute(insert(model), rows[model])
        rows.clear()

    for index, opened in enumerate(openings):
        year = opened.astimezone().year
        numbers[year] = numbers.get(year, 0) + 1
        case_id = str(uuid.uuid4())
        recorder = rng.choice(recorders)
        anonymous = rng.random() < 0.1
        person_id = None if anonymous else str(uuid.uuid4())
        if person_id is not None:
            sex = Sex.FEMALE if rng.random() < 0.82 else Sex.MALE
            may = _pick(rng, {YesNoUnknown.YES: 60, YesNoUnknown.NO: 15, YesNoUnknown.UNKNOWN: 25})
            add(
                Person,
                id=person_id,
                age=max(14, min(89, int(rng.gauss(37, 12)))),
                sex=sex.value,
                municipality=rng.choice(MUNICIPALITIES).nis_code,
                disability=_pick(rng, {"no": 70, "yes": 8, "unknown": 22}),
                children=rng.choice(("none", "one", "two", "three_plus", "unknown")),
                children_exposed=rng.choice(("yes", "no", "unknown")),
                may_recontact=may.value,
                recontact_channel="phone" if may is YesNoUnknown.YES else None,
                safe_times="weekday_morning" if may is YesNoUnknown.YES else "",
                voicemail_ok=False,
                retention_class=RetentionClass.CASE.value,
                created_at=opened,
            )
            pseudonym = rng.choice(first_names)
            add(
                Identity,
                person_id=person_id,
                pseudonym=pseudonym,
                pseudonym_key=search_key(pseudonym),
                phone="",
                email="",
                code_word="",
                retention_class=RetentionClass.IDENTITY.value,
            )
            for scope in (
                ConsentScope.SERVICES,
                ConsentScope.STATISTICS,
                ConsentScope.REFERRAL_SHARE,
            ):
                add(
                    Consent,
                    id=str(uuid.uuid4()),
                    person_id=person_id,
                    scope=scope.value,
                    decision=(
                        ConsentDecision.GIVEN if rng.random() < 0.9 else ConsentDecision.REFUSED
                    ).value,
                    given_by="person",
                    legal_basis="consent",
                    given_on=opened.date(),
                    withdrawn_on=None,
                    recorded_by=recorder,
                    retention_class=RetentionClass.CASE.value,
                )
        age_days = (now - opened).days
        status = (
            CaseStatus.OPEN
            if age_days < 60
            else CaseStatus.FOLLOW_UP
            if age_days < 120 and rng.random() < 0.5
            else CaseStatus.CLOSED
        )
        add(
            CaseFile,
            id=case_id,
            code=format_case_code(desk.desk.code, year, numbers[year]),
            year=year,
            number=numbers[year],
            status=status.value,
            opened_at=opened,
            person_id=person_id,
            created_by=recorder,
            updated_at=opened,
            version=1,
            retention_class=RetentionClass.CASE.value,
        )
        add(
            Contact,
            id=str(uuid.uuid4()),
            case_id=case_id,
            occurred_at=opened,
            mode=_pick(rng, _MODES).value,
            person_role=_pick(rng, _ROLES).value,
            language=rng.choice(("fr", "fr", "fr", "nl", "nl", "en", "ar", "es")),
            interpreter=rng.random() < 0.05,
            referred_from=_pick(rng, _REFERRED_FROM).value,
            requests=join_codes(rng.sample(list(RequestType), rng.randint(1, 2))),
            already_counted="no",
            recorded_by=recorder,
            retention_class=RetentionClass.CASE.value,
        )
        forms = {_pick(rng, _FORMS) for _ in range(rng.randint(1, 3))}
        subtype = SexualSubtype.PENETRATION if rng.random() < 0.4 else SexualSubtype.UNKNOWN
        incident = opened.date() - timedelta(days=int(rng.expovariate(1 / 20)))
        add(
            Situation,
            case_id=case_id,
            relationship=_pick(rng, _RELATIONSHIPS).value,
            forms=join_codes(forms),
            sexual_subtype=subtype.value if ViolenceForm.SEXUAL in forms else "unknown",
            repetition=rng.choice(("isolated", "repeated", "repeated", "unknown")),
            last_incident=incident,
            last_incident_precision="day",
            perpetrator_sex="male" if rng.random() < 0.85 else "female",
            perpetrator_age=rng.choice(("age_26_40", "age_41_60", "age_18_25", "unknown")),
            perpetrator_count="one",
            perpetrator_cohabiting=rng.choice(("yes", "no")),
            police_complaint=rng.choice(("filed", "planned", "not_wanted", "unknown")),
            protection="",
            gbvims_derived=gbvims_type(forms, subtype).value,
            gbvims_corrected=None,
            corrected_by=None,
            retention_class=RetentionClass.CASE.value,
        )
        # Sessions spread evenly over the cases left, more for the cases with a person.
        left = scale.persons - index
        count = min(sessions_left, round(rng.expovariate(left / max(sessions_left, 1))))
        count = 0 if anonymous else count
        sessions_left -= count
        held = opened
        for _ in range(count):
            held = held + timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 6))
            if held > now:
                break
            add(
                ListeningSession,
                id=str(uuid.uuid4()),
                case_id=case_id,
                held_at=held,
                duration_minutes=rng.choice((15, 30, 45, 60, 90)),
                mode=rng.choice(("in_person", "in_person", "phone")),
                session_type=rng.choice(list(SessionType)).value,
                topics=join_codes(rng.sample(list(Topic), 2)),
                risk_tool="none",
                risk_level=None,
                safety_plan=rng.random() < 0.3,
                brochure_language=None,
                next_appointment=None,
                sealed_notes=None,
                counsellor_id=rng.choice(counsellors),
                retention_class=RetentionClass.CASE.value,
            )
        if person_id is not None and rng.random() < 0.35:
            add(
                Referral,
                id=str(uuid.uuid4()),
                case_id=case_id,
                session_id=None,
                referred_on=min(date.today(), opened.date() + timedelta(days=rng.randint(0, 20))),
                service_type=rng.choice(list(ServiceType)).value,
                partner_name=rng.choice(
                    (
                        "CAW Brussel",
                        "SAV Bruxelles",
                        "CPVS / CPVS",
                        "Bureau d'aide juridique",
                        "CPAS de Saint-Gilles",
                    )
                ),
                status=rng.choice(list(ReferralStatus)).value,
                consent_id=None,
                override_reason=None,
                recorded_by=recorder,
                retention_class=RetentionClass.CASE.value,
            )
        done += 1
        if done % BATCH == 0:
            flush()
            if progress:
                progress(done, scale.persons)
    flush()
    with desk.transaction() as session:
        for year, last in numbers.items():
            session.merge(CaseCounter(year=year, last_number=last))
    if progress:
        progress(scale.persons, scale.persons)
