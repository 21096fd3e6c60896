"""Synthetic cases for a demo desk: plausible mixes of roles, forms of violence, ages,
referral sources, contacts, sessions with risk screenings, and referrals, with Faker's
Belgian pseudonyms. Rows are inserted in bulk (one statement per batch) so that the large
scale, ten years of a busy desk, stays a matter of minutes. Nothing here describes a real
person.

The desk is left as a desk that purges on time would be: a person not seen for longer than
the identity period has no identity any more (their case and its statistics stay), so a new
demo desk has nothing due for a purge (app/services/retention.py)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from app import clock
from app.domain import retention as retention_rules
from app.domain import safe_hours
from app.domain.case_code import format_case_code
from app.domain.classification import gbvims_type
from app.domain.codes import (
    THIRD_PARTY_ROLES,
    AgeGroup,
    CallerRelation,
    CaseStatus,
    Children,
    ConsentDecision,
    ConsentFrom,
    ConsentScope,
    ContactMode,
    DatePrecision,
    LegalBasis,
    PerpetratorCount,
    PersonRole,
    PoliceComplaint,
    ProtectionMeasure,
    RecontactChannel,
    ReferralStatus,
    ReferredFrom,
    Relationship,
    Repetition,
    RequestType,
    RetentionClass,
    RiskLevel,
    RiskTool,
    SafeTime,
    ServiceType,
    SessionMode,
    SessionType,
    Sex,
    SexualSubtype,
    Topic,
    ViolenceForm,
    YesNoUnknown,
    join_codes,
    read_codes,
)
from app.domain.intake import search_key
from app.domain.municipalities import MUNICIPALITIES
from app.domain.roles import Role
from app.domain.safe_hours import HourRange
from app.services.demo_partners import partners_near
from app.services.intake import CASE_ROLES
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
# A person comes back or calls again: most cases with a person have more than one contact.
_MORE_CONTACTS = {0: 35, 1: 30, 2: 20, 3: 10, 5: 5}
_MORE_CONTACTS_ANONYMOUS = {0: 85, 1: 15}
_LATER_MODES = {ContactMode.PHONE: 50, ContactMode.IN_PERSON: 42, ContactMode.EMAIL_LETTER: 8}
# About half of those who first call about what they saw later say it happens to them too.
WITNESS_LATER_VICTIM = 0.5
# Risk screening: at most first sessions with a victim, again now and then. The federal
# circular COL 15/2020 and a desk's own checklist are the common tools in Wallonia and
# Brussels; the Flemish RTI less so (DASH is not offered, see RiskTool).
_FIRST_SCREENING = 0.6
_LATER_SCREENING = 0.12
_RISK_TOOLS = {RiskTool.LOCAL: 40, RiskTool.COL_15_2020: 35, RiskTool.RTI: 15, RiskTool.OTHER: 10}
_RISK_LEVELS = {RiskLevel.STANDARD: 50, RiskLevel.MEDIUM: 35, RiskLevel.HIGH: 15}
_REFERRAL_STATUS = {
    ReferralStatus.REFERRED: 50,
    ReferralStatus.PROVIDED: 15,
    ReferralStatus.ALREADY_RECEIVING: 10,
    ReferralStatus.DECLINED: 10,
    ReferralStatus.NOT_APPLICABLE: 8,
    ReferralStatus.UNAVAILABLE: 7,
}
_SERVICES = {
    ServiceType.PSYCHOSOCIAL: 20,
    ServiceType.LEGAL_AID: 18,
    ServiceType.POLICE: 12,
    ServiceType.CPAS: 12,
    ServiceType.JUSTICE: 8,
    ServiceType.SHELTER: 6,
    ServiceType.HOUSING: 5,
    ServiceType.MEDICAL: 5,
    ServiceType.CHILD_PROTECTION: 4,
    ServiceType.SVCC: 3,
    ServiceType.HELPLINE: 3,
    ServiceType.PERPETRATOR_PROGRAMME: 2,
    ServiceType.OTHER: 2,
}
# Why a referral was made without consent to share: the override the service asks for.
_OVERRIDE = (
    "Danger grave et imminent pour les enfants : signalement au service d'aide à la jeunesse."
)
# Where the demo's first names come from (Faker's locales; the frozen build keeps only these).
NAME_LOCALES = ("fr_BE", "nl_BE")
# Languages of the contacts: Brussels is bilingual and many-tongued, Liège mostly French.
_LANGUAGES = {
    "21": {"fr": 55, "nl": 18, "en": 8, "ar": 8, "es": 4, "pt": 3, "tr": 2, "ro": 2},
    "": {"fr": 86, "nl": 3, "de": 3, "en": 2, "ar": 4, "tr": 2},
}


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), list(weights.values()))[0]


def fill(
    desk: OpenDesk,
    scale: Scale,
    seed: int = 2026,
    progress: Callable[[int, int], None] | None = None,
    identity_months: int = retention_rules.DEFAULT_PERIODS.identity,
) -> None:
    """Add `scale.persons` cases (about one in ten anonymous) and `scale.sessions` sessions
    over the last `scale.years` years, recorded by the desk's reception and counsellor
    accounts. Identities are kept only for people seen within `identity_months`."""
    with desk.guarded(CASE_ROLES, "demo.fill") as session:
        users: dict[Role, list[str]] = {role: [] for role in Role}
        for user_id, roles in repositories.roles_by_user(session).items():
            for role in read_codes(Role, roles):
                users[role].append(user_id)
    recorders = users[Role.RECEPTION] + users[Role.COUNSELLOR]
    if not recorders:
        raise ValueError("the demo desk needs a reception or counsellor account")
    maker = _CaseMaker(desk, seed, recorders, users[Role.COUNSELLOR] or recorders)
    # A day of margin: a person last seen on the cut-off day itself is not left for the
    # purge to argue about.
    keep_since = retention_rules.cutoff(maker.today, identity_months) + timedelta(days=1)
    span = timedelta(days=365 * scale.years)
    openings = sorted(maker.now - span * maker.rng.random() for _ in range(scale.persons))
    sessions_left = scale.sessions
    for index, opened in enumerate(openings):
        # Sessions spread evenly over the cases left, more for the cases with a person.
        left = scale.persons - index
        sessions = round(maker.rng.expovariate(left / max(sessions_left, 1)))
        sessions_left -= maker.case(opened, min(sessions_left, sessions), keep_since)
        if (index + 1) % BATCH == 0:
            maker.flush()
            if progress:
                progress(index + 1, scale.persons)
    maker.flush()
    with desk.transaction() as session:
        for year, last in maker.numbers.items():
            session.merge(CaseCounter(year=year, last_number=last))
    if progress:
        progress(scale.persons, scale.persons)


class _CaseMaker:
    """Makes one case at a time into rows kept for the next bulk insert."""

    def __init__(
        self, desk: OpenDesk, seed: int, recorders: list[str], counsellors: list[str]
    ) -> None:
        from faker import Faker  # on first use: it takes a moment to load

        self.desk = desk
        self.rng = random.Random(seed)
        # What a witness tells of the victim and the safe hours come from a generator of
        # their own, so that every other answer of a seed stays what it was before them.
        self.told = random.Random(seed + 1)
        fakes = Faker(list(NAME_LOCALES))
        fakes.seed_instance(seed)
        self.first_names = list({fakes.first_name() for _ in range(2_000)})
        self.recorders = recorders
        self.counsellors = counsellors
        self.now = clock.now().replace(microsecond=0)
        self.today = clock.today()
        self.numbers: dict[int, int] = {}
        self.rows: dict[type, list[dict[str, Any]]] = {}
        home = desk.desk.nis_code
        self.home = home
        self.neighbours = [m.nis_code for m in MUNICIPALITIES if m.nis_code[:2] == home[:2]]
        self.elsewhere = [m.nis_code for m in MUNICIPALITIES if m.nis_code[:2] != home[:2]]
        self.languages = _LANGUAGES.get(home[:2], _LANGUAGES[""])
        self.partners = partners_near(home, desk.desk.language)
        # "Already counted by another desk of the network" means nothing outside a network.
        self.in_network = bool(desk.desk.network_name)

    def add(self, model: type, **values: Any) -> None:
        self.rows.setdefault(model, []).append(values)

    def flush(self) -> None:
        with self.desk.transaction() as session:
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
                if self.rows.get(model):
                    session.execute(insert(model), self.rows[model])
        self.rows.clear()

    def case(self, opened: datetime, sessions: int, keep_identity_since: date) -> int:
        """One case opened at `opened`; returns how many sessions it got."""
        rng = self.rng
        year = clock.local(opened).year
        self.numbers[year] = self.numbers.get(year, 0) + 1
        case_id = str(uuid.uuid4())
        recorder = rng.choice(self.recorders)
        anonymous = rng.random() < 0.1
        person_id = None if anonymous else str(uuid.uuid4())
        role = _pick(rng, _ROLES)
        moments = self._contacts(case_id, opened, role, anonymous, recorder)
        held = [] if anonymous else self._sessions(case_id, opened, role, sessions)
        consents, callable_back = (
            ({}, False) if person_id is None else self._person(person_id, opened, recorder)
        )
        referred = self._referrals(case_id, opened, held, anonymous, consents, recorder)
        last = max((*moments, *(moment for moment, _id in held)))
        last_day = max(clock.local_day(last), *referred) if referred else clock.local_day(last)
        if person_id is not None and last_day >= keep_identity_since:
            self._identity(person_id, callable_back)
        age_days = (self.today - last_day).days
        status = (
            CaseStatus.OPEN
            if age_days < 60
            else CaseStatus.FOLLOW_UP
            if age_days < 120 and rng.random() < 0.5
            else CaseStatus.CLOSED
        )
        self.add(
            CaseFile,
            id=case_id,
            code=format_case_code(self.desk.desk.code, year, self.numbers[year]),
            year=year,
            number=self.numbers[year],
            status=status.value,
            opened_at=opened,
            person_id=person_id,
            created_by=recorder,
            updated_at=last,
            version=1,
            retention_class=RetentionClass.CASE.value,
        )
        self._situation(case_id, opened)
        return len(held)

    def _person(
        self, person_id: str, opened: datetime, recorder: str
    ) -> tuple[dict[ConsentScope, str], bool]:
        """The person and their consents; returns the ids of the consents given, and whether
        the person may be called back."""
        rng = self.rng
        may = _pick(rng, {YesNoUnknown.YES: 60, YesNoUnknown.NO: 15, YesNoUnknown.UNKNOWN: 25})
        safe = rng.sample(list(SafeTime), rng.randint(1, 3))
        place = rng.random()
        self.add(
            Person,
            id=person_id,
            age=max(14, min(89, int(rng.gauss(37, 12)))),
            sex=(Sex.FEMALE if rng.random() < 0.82 else Sex.MALE).value,
            municipality=(
                self.home
                if place < 0.7
                else rng.choice(self.neighbours)
                if place < 0.92
                else rng.choice(self.elsewhere or self.neighbours)
            ),
            disability=_pick(
                rng, {YesNoUnknown.NO: 70, YesNoUnknown.YES: 8, YesNoUnknown.UNKNOWN: 22}
            ).value,
            children=rng.choice(list(Children)).value,
            children_exposed=rng.choice(list(YesNoUnknown)).value,
            may_recontact=may.value,
            recontact_channel=RecontactChannel.PHONE.value if may is YesNoUnknown.YES else None,
            safe_times=join_codes(safe) if may is YesNoUnknown.YES else "",
            safe_hours=self._safe_hours() if may is YesNoUnknown.YES else "",
            voicemail_ok=may is YesNoUnknown.YES and rng.random() < 0.3,
            retention_class=RetentionClass.CASE.value,
            created_at=opened,
        )
        given: dict[ConsentScope, str] = {}
        for scope in ConsentScope:
            if scope is ConsentScope.RECONTACT:
                if may is YesNoUnknown.UNKNOWN:
                    continue
                decision = ConsentDecision.GIVEN if may is YesNoUnknown.YES else None
            else:
                decision = ConsentDecision.GIVEN if rng.random() < 0.9 else None
            consent_id = str(uuid.uuid4())
            self.add(
                Consent,
                id=consent_id,
                person_id=person_id,
                scope=scope.value,
                decision=(decision or ConsentDecision.REFUSED).value,
                given_by=ConsentFrom.PERSON.value,
                legal_basis=LegalBasis.CONSENT.value,
                given_on=clock.local_day(opened),
                withdrawn_on=None,
                recorded_by=recorder,
                retention_class=RetentionClass.CASE.value,
            )
            if decision is not None:
                given[scope] = consent_id
        return given, may is YesNoUnknown.YES

    def _identity(self, person_id: str, callable_back: bool) -> None:
        """Who the person is; a phone number whenever they may be called back."""
        rng = self.rng
        pseudonym = rng.choice(self.first_names)
        phone = (
            f"04{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}"
            if callable_back or rng.random() < 0.3
            else ""
        )
        self.add(
            Identity,
            person_id=person_id,
            pseudonym=pseudonym,
            pseudonym_key=search_key(pseudonym),
            phone=phone,
            email="",
            code_word=rng.choice(("", "", "", "tournesol", "bibliothèque", "parapluie")),
            retention_class=RetentionClass.IDENTITY.value,
        )

    def _contacts(
        self, case_id: str, opened: datetime, role: PersonRole, anonymous: bool, recorder: str
    ) -> list[datetime]:
        """The first contact and the later ones; a witness may later call as the victim."""
        rng = self.rng
        more = _pick(rng, _MORE_CONTACTS_ANONYMOUS if anonymous else _MORE_CONTACTS)
        becomes_victim = (
            not anonymous and role is PersonRole.WITNESS and rng.random() < WITNESS_LATER_VICTIM
        )
        if becomes_victim:
            more = max(more, 1)
        moments = [opened]
        for _ in range(more):
            later = moments[-1] + timedelta(days=rng.randint(2, 45), hours=rng.randint(0, 8))
            if later > self.now:
                break
            moments.append(later)
        for number, moment in enumerate(moments):
            first = number == 0
            caller = PersonRole.VICTIM if becomes_victim and not first else role
            told = self._told_of_the_victim(caller)
            self.add(
                Contact,
                **told,
                id=str(uuid.uuid4()),
                case_id=case_id,
                occurred_at=moment,
                mode=_pick(rng, _MODES if first else _LATER_MODES).value,
                person_role=caller.value,
                language=_pick(rng, self.languages),
                interpreter=rng.random() < 0.05,
                referred_from=(_pick(rng, _REFERRED_FROM) if first else ReferredFrom.SELF).value,
                requests=join_codes(rng.sample(list(RequestType), rng.randint(1, 2))),
                already_counted=(
                    YesNoUnknown.YES
                    if self.in_network and first and rng.random() < 0.03
                    else YesNoUnknown.NO
                ).value,
                recorded_by=recorder if first else rng.choice(self.recorders),
                retention_class=RetentionClass.CASE.value,
            )
        return moments

    def _told_of_the_victim(self, caller: PersonRole) -> dict[str, str | None]:
        if caller not in THIRD_PARTY_ROLES:
            return {"caller_relation": None, "victim_age": None, "victim_sex": None}
        told = self.told
        return {
            "caller_relation": told.choice(list(CallerRelation)).value,
            "victim_age": told.choice(list(AgeGroup)).value,
            "victim_sex": (Sex.FEMALE if told.random() < 0.8 else Sex.NOT_RECORDED).value,
        }

    def _safe_hours(self) -> str:
        """Some people give hours on a weekday or two, beside the quick slots."""
        told = self.told
        if told.random() < 0.7:
            return ""
        start = told.randint(8, 18)
        days = told.sample(range(7), told.randint(1, 2))
        return safe_hours.join(tuple(HourRange(day, start, start + 2) for day in days))

    def _sessions(
        self, case_id: str, opened: datetime, role: PersonRole, count: int
    ) -> list[tuple[datetime, str]]:
        """Up to `count` sessions after the opening; returns (held at, id) of each."""
        rng = self.rng
        held: list[tuple[datetime, str]] = []
        moment = opened
        for number in range(count):
            moment = moment + timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 6))
            if moment > self.now:
                break
            screened = role is PersonRole.VICTIM and rng.random() < (
                _FIRST_SCREENING if number == 0 else _LATER_SCREENING
            )
            level = _pick(rng, _RISK_LEVELS) if screened else None
            session_id = str(uuid.uuid4())
            if held:  # the previous session set this one as its next appointment
                self.rows[ListeningSession][-1]["next_appointment"] = moment
            self.add(
                ListeningSession,
                id=session_id,
                case_id=case_id,
                held_at=moment,
                duration_minutes=rng.choice((15, 30, 45, 60, 90)),
                mode=rng.choice(
                    (SessionMode.IN_PERSON, SessionMode.IN_PERSON, SessionMode.PHONE)
                ).value,
                session_type=rng.choice(list(SessionType)).value,
                topics=join_codes(rng.sample(list(Topic), 2)),
                risk_tool=(_pick(rng, _RISK_TOOLS) if screened else RiskTool.NONE).value,
                risk_level=level.value if level else None,
                safety_plan=rng.random() < (0.85 if level is RiskLevel.HIGH else 0.25),
                brochure_language=(
                    _pick(rng, self.languages) if number == 0 and rng.random() < 0.3 else None
                ),
                next_appointment=None,
                sealed_notes=None,
                counsellor_id=rng.choice(self.counsellors),
                retention_class=RetentionClass.CASE.value,
            )
            held.append((moment, session_id))
        return held

    def _referrals(
        self,
        case_id: str,
        opened: datetime,
        held: list[tuple[datetime, str]],
        anonymous: bool,
        consents: dict[ConsentScope, str],
        recorder: str,
    ) -> list[date]:
        """Referrals made at the first contact or in a session; returns their days."""
        rng = self.rng
        count = _pick(rng, {0: 75, 1: 25} if anonymous else {0: 50, 1: 35, 2: 15})
        sharing = consents.get(ConsentScope.REFERRAL_SHARE)
        days: list[date] = []
        for _ in range(count):
            status = _pick(rng, _REFERRAL_STATUS)
            override = None
            # The service's rule (app/services/referrals.py): a named person's referral
            # needs their consent to share, or a reason for going without it.
            if status is ReferralStatus.REFERRED and sharing is None and not anonymous:
                if rng.random() < 0.2:
                    override = _OVERRIDE
                else:
                    status = _pick(rng, {s: w for s, w in _REFERRAL_STATUS.items() if s != status})
            moment, session_id = rng.choice(held) if held and rng.random() < 0.6 else (opened, None)
            service = ServiceType.CHILD_PROTECTION if override else _pick(rng, _SERVICES)
            day = min(self.today, clock.local_day(moment))
            self.add(
                Referral,
                id=str(uuid.uuid4()),
                case_id=case_id,
                session_id=session_id,
                referred_on=day,
                service_type=service.value,
                partner_name=rng.choice(self.partners[service]),
                status=status.value,
                consent_id=sharing,
                override_reason=override,
                recorded_by=recorder,
                retention_class=RetentionClass.CASE.value,
            )
            days.append(day)
        return days

    def _situation(self, case_id: str, opened: datetime) -> None:
        rng = self.rng
        forms = {_pick(rng, _FORMS) for _ in range(rng.randint(1, 3))}
        subtype = SexualSubtype.PENETRATION if rng.random() < 0.4 else SexualSubtype.UNKNOWN
        incident = clock.local_day(opened) - timedelta(days=int(rng.expovariate(1 / 20)))
        protection = {
            measure
            for measure, chance in (
                (ProtectionMeasure.RESIDENCE_BAN, 0.06),
                (ProtectionMeasure.PROTECTION_ORDER, 0.03),
            )
            if rng.random() < chance
        }
        self.add(
            Situation,
            case_id=case_id,
            relationship=_pick(rng, _RELATIONSHIPS).value,
            forms=join_codes(forms),
            sexual_subtype=(
                subtype if ViolenceForm.SEXUAL in forms else SexualSubtype.UNKNOWN
            ).value,
            repetition=rng.choice(
                (Repetition.ISOLATED, Repetition.REPEATED, Repetition.REPEATED, Repetition.UNKNOWN)
            ).value,
            last_incident=incident,
            last_incident_precision=DatePrecision.DAY.value,
            perpetrator_sex=(Sex.MALE if rng.random() < 0.85 else Sex.FEMALE).value,
            perpetrator_age=rng.choice(
                (AgeGroup.AGE_26_40, AgeGroup.AGE_41_60, AgeGroup.AGE_18_25, AgeGroup.UNKNOWN)
            ).value,
            perpetrator_count=PerpetratorCount.ONE.value,
            perpetrator_cohabiting=rng.choice((YesNoUnknown.YES, YesNoUnknown.NO)).value,
            police_complaint=rng.choice(list(PoliceComplaint)).value,
            protection=join_codes(protection),
            gbvims_derived=gbvims_type(forms, subtype).value,
            gbvims_corrected=None,
            corrected_by=None,
            retention_class=RetentionClass.CASE.value,
        )
