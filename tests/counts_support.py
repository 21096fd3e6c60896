"""A desk with a known March 2026 (and a little of February and April), for the tests of the
monthly counts, the counts files and the publication."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select

from app import clock
from app.domain.accounts import NewAccount
from app.domain.activities import ActivityForm, UnitForm
from app.domain.codes import (
    ActivityKind,
    Audience,
    ConsentDecision,
    ConsentScope,
    PersonRole,
    ReferralStatus,
    ReferredFrom,
    RiskLevel,
    RiskTool,
    ServiceType,
    SessionType,
    Sex,
    YesNoUnknown,
)
from app.domain.intake import ConsentForm, ContactForm, PersonForm, SituationForm
from app.domain.periods import Month
from app.domain.roles import Role
from app.domain.sessions import ReferralForm, SessionForm
from app.services import (
    accounts,
    activities,
    auth,
    cases,
    counts_export,
    housing,
    intake,
    keys,
    printing,
    referrals,
    sessions,
)
from app.services.desk import create_desk
from app.services.open_desk import OpenDesk
from app.services.printing import Layout, Material, PrintRequest
from db import case_queries
from db.models import NetworkCount, ReceivedCounts
from tests.conftest import (
    ADMIN_PASSWORD,
    COORDINATOR_PASSWORD,
    FAST_KDF,
    TestClock,
    desk_setup,
)
from tests.factories import named_intake

MARCH = Month(2026, 3)
TODAY = date(2026, 11, 23)


def at(day: date, hour: int = 10) -> datetime:
    """A local time of day, as the desk would have typed it."""
    return clock.at(day, time(hour)).astimezone(UTC)


@pytest.fixture
def on_counts_day(test_clock: TestClock) -> None:
    """For the tests whose data are fixed days of 2026: the clock is fixed with them, on
    TODAY (a referral more than a year old, or an attempt in the future, is refused)."""
    test_clock.set(clock.at(TODAY, time(12)))


def intake_on(desk: OpenDesk, day: date, **changes: object) -> str:
    contact = changes.pop("contact", ContactForm(occurred_at=at(day)))
    return intake.record_intake(desk, named_intake(contact=contact, **changes)).case_id


@pytest.fixture
def march_desk(reception: OpenDesk, counsellor: OpenDesk, coordinator: OpenDesk) -> OpenDesk:
    d = date
    # A: a consenting victim, woman of 34, sexual and physical violence 2 days before.
    case_a = intake_on(
        reception,
        d(2026, 3, 3),
        contact=ContactForm(occurred_at=at(d(2026, 3, 3)), referred_from=ReferredFrom.POLICE),
        person=PersonForm(age=34, sex=Sex.FEMALE, children_exposed=YesNoUnknown.YES),
        situation=SituationForm(
            relationship=named_intake().situation.relationship,
            forms=named_intake().situation.forms,
            sexual_subtype=named_intake().situation.sexual_subtype,
            last_incident=d(2026, 3, 1),
        ),
    )
    # B: a victim of 17 who refused statistics.
    intake_on(
        reception,
        d(2026, 3, 10),
        person=PersonForm(age=17, sex=Sex.MALE),
        consents=(ConsentForm(ConsentScope.STATISTICS, ConsentDecision.REFUSED),),
    )
    # C: an anonymous witness.
    intake_on(
        reception,
        d(2026, 3, 11),
        contact=ContactForm(occurred_at=at(d(2026, 3, 11)), role=PersonRole.WITNESS),
        person=None,
        identity=named_intake().identity.__class__(),
        consents=(),
    )
    # D: already counted by another desk of the network.
    intake_on(
        reception,
        d(2026, 3, 12),
        contact=ContactForm(occurred_at=at(d(2026, 3, 12)), already_counted=YesNoUnknown.YES),
        person=PersonForm(age=70, sex=Sex.FEMALE),
    )
    # E: consented, then withdrew.
    case_e = intake_on(reception, d(2026, 3, 20), person=PersonForm(age=26, sex=Sex.FEMALE))
    with reception.transaction() as session:
        case = case_queries.case_by_id(session, case_e)
        assert case is not None and case.person_id is not None
        statistics = next(
            c for c in case_queries.consents_of(session, case.person_id) if c.scope == "statistics"
        )
    cases.withdraw_consent(reception, statistics.id)
    # F: February, and a second contact on it in March (a contact, not a new case).
    case_f = intake_on(reception, d(2026, 2, 25))
    intake.record_intake(
        reception,
        named_intake(contact=ContactForm(occurred_at=at(d(2026, 3, 5))), link_case_id=case_f),
    )
    # Sessions: two in March, one in April.
    for held, kind, risk in (
        (d(2026, 3, 4), SessionType.LISTENING, RiskLevel.HIGH),
        (d(2026, 3, 18), SessionType.ACCOMPANIMENT, None),
        (d(2026, 4, 1), SessionType.LISTENING, RiskLevel.STANDARD),
    ):
        tool = RiskTool.NONE if risk is None else RiskTool.RTI
        form = SessionForm(at(held), session_type=kind, risk_tool=tool, risk_level=risk)
        sessions.add_session(counsellor, case_a, form)
    referrals.add_referral(
        counsellor, case_a, ReferralForm(ServiceType.LEGAL_AID, "Bureau d'aide", d(2026, 3, 4))
    )
    referrals.add_referral(
        counsellor,
        case_a,
        ReferralForm(ServiceType.SHELTER, "Refuge", d(2026, 3, 6), ReferralStatus.DECLINED),
    )
    brochure = PrintRequest(Material.BROCHURE, "ar", None, Layout.A4)
    printing.record_handout(reception, brochure, copies=3, today=d(2026, 3, 9))
    printing.record_handout(reception, brochure, copies=1, today=d(2026, 4, 2))
    card = PrintRequest(Material.WALLET_CARD, "fr", None, Layout.A4)
    printing.record_handout(reception, card, copies=2, today=d(2026, 3, 30))
    for held, kind, audience, people in (
        (d(2026, 3, 4), ActivityKind.LA_CABANE, Audience.CHILDREN, 8),
        (d(2026, 3, 18), ActivityKind.LA_CABANE, Audience.CHILDREN, 6),
        (d(2026, 3, 27), ActivityKind.PLATFORM_MEETING, Audience.PROFESSIONALS, 11),
        (d(2026, 2, 4), ActivityKind.LA_CABANE, Audience.CHILDREN, 5),
    ):
        activities.save_activity(
            reception, ActivityForm(held, kind, "Atelier", "Maison de quartier", audience, people)
        )
    studio = housing.save_unit(reception, UnitForm("Studio A", d(2026, 1, 1)))
    housing.save_stay(reception, studio, d(2026, 2, 20), d(2026, 3, 11))
    flat = housing.save_unit(reception, UnitForm("Flat B", d(2026, 3, 16)))
    housing.save_stay(reception, flat, d(2026, 3, 20), None)
    return coordinator


def open_coordinator(tmp_path: Path, name: str, code: str, nis: str) -> OpenDesk:
    database = tmp_path / name / "desk.havre"
    database.parent.mkdir()
    create_desk(
        desk_setup(database, desk_name=f"Desk {code}", desk_code=code, nis_code=nis),
        kdf=FAST_KDF,
    )
    admin = auth.unlock(database, "admin", ADMIN_PASSWORD)
    account = NewAccount("cora", "Cora", frozenset({Role.COORDINATOR}), COORDINATOR_PASSWORD)
    accounts.add_user(admin, account)
    admin.close()
    return auth.unlock(database, "cora", COORDINATOR_PASSWORD)


@dataclass
class Network:
    hub: OpenDesk
    desk: OpenDesk  # a trusted desk that exports to the hub
    folder: Path

    def key_file(self, desk: OpenDesk, name: str) -> Path:
        path = self.folder / name
        path.write_bytes(keys.public_key_file(desk))
        return path

    def export(self, month: Month = MARCH, name: str | None = None, **kwargs: object) -> Path:
        target = self.folder / (name or counts_export.default_file_name(self.desk, month))
        counts_export.export_counts(self.desk, month, target, today=TODAY, **kwargs)  # type: ignore[arg-type]
        return target

    def merged(self) -> list[tuple[str, str, str, str, int]]:
        with self.hub.transaction() as session:
            rows = session.scalars(select(NetworkCount)).all()
            return sorted((r.desk_code, r.period, r.element, r.combo, r.value) for r in rows)

    def ledger(self) -> list[tuple[str, int, str | None]]:
        with self.hub.transaction() as session:
            rows = session.scalars(select(ReceivedCounts)).all()
            return sorted((r.period, r.revision, r.replaced_by) for r in rows)


@pytest.fixture
def net(tmp_path: Path, march_desk: OpenDesk) -> Iterator[Network]:
    hub = open_coordinator(tmp_path, "hub", "NET", "62009")
    folder = tmp_path / "usb"
    folder.mkdir()
    network_ = Network(hub, march_desk, folder)
    keys.set_recipient(march_desk, keys.read_recipient(network_.key_file(hub, "hub.key")))
    keys.trust(hub, keys.read_public_key_file(network_.key_file(march_desk, "sg.key")))
    yield network_
    hub.close()


def hub_secret(net: Network) -> str:
    with net.hub.transaction() as session:
        return keys.age_identity(session).identity
