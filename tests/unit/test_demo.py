"""The demo: a network of desks on which every feature can be tried at once, each desk due
for nothing the day it is made, with cases that look like a desk's."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import clock, i18n
from app.domain import indicators as ind
from app.domain import retention as retention_rules
from app.domain.codes import PersonRole, ReferralStatus, RiskTool
from app.domain.disclosure import Level
from app.domain.periods import Month, last_closed_months, months_between
from app.errors import AccessDenied, StorageError, TargetExists, ValidationError
from app.services import (
    accounts,
    auth,
    backup,
    counts_export,
    demo,
    demo_data,
    demo_notes,
    keys,
    network,
    network_resources,
    publication,
    retention,
    sessions,
)
from app.services.open_desk import OpenDesk
from db.models import CaseFile, Consent, Contact, Identity, ListeningSession, Referral
from tests.conftest import FAST_KDF, DeskFixture
from tools import large_desk

pytestmark = pytest.mark.dates

PASSWORD = "quiet meadow river 17"


@pytest.fixture(autouse=True)
def fast_demo_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "DEMO_KDF", FAST_KDF)


def _due_for_nothing(database: Path) -> None:
    """What the status line checks at sign-in (ui/workspace.py), for this desk."""
    admin = auth.unlock(database, "admin", PASSWORD)
    try:
        assert not backup.backup_overdue(admin), database.name
        assert not retention.purge_due(admin), database.name
        assert retention.preview(admin).identities_due == 0
    finally:
        admin.close()
    coordinator = auth.unlock(database, "coordinator", PASSWORD)
    try:
        assert network_resources.renewals_due(coordinator) == [], database.name
        # ... and later on, as a desk's would: the agreement's reminder comes in two weeks.
        later = clock.today() + timedelta(days=30)
        assert network_resources.renewals_due(coordinator, later)
    finally:
        coordinator.close()


@pytest.mark.slow
def test_the_demo_network_is_a_coordinator_and_five_desks_with_a_year_imported(
    tmp_path: Path,
) -> None:
    steps: list[tuple[int, int]] = []
    folder = tmp_path / "demo"
    folder.mkdir()  # an empty folder is taken as a new one
    made = demo.create_demo_network(
        folder, PASSWORD, progress=lambda done, total: steps.append((done, total))
    )
    names = ("network", "aywaille", "chaudfontaine", "esneux", "sprimont", "trooz")
    assert sorted(p.name for p in folder.glob("*.havre")) == sorted(f"{n}.havre" for n in names)
    assert [p.name for p in tmp_path.iterdir()] == ["demo"]  # no half-made network beside
    total = steps[-1][1]
    assert steps == [(done, total) for done in range(1, total + 1)]

    codes: dict[str, str] = {}
    for created in (made.network, *made.members):
        assert created.database.parent == folder and created.database.exists()
        desk = auth.unlock(created.database, "coordinator", PASSWORD)
        codes[desk.desk.code] = desk.desk.nis_code
        assert desk.desk.is_demo and desk.desk.network_name == "STOPP VIF"
        desk.close()
    assert codes == {
        "STOPP": "62022",
        "AYW": "62009",
        "CHF": "62022",
        "ESN": "62032",
        "SPR": "62100",
        "TRZ": "62122",
    }

    last = Month.of(clock.today()).previous()
    assert made.months == tuple(months_between(last.shifted(-11), last))
    assert made.imported == 60
    hub = auth.unlock(made.network.database, "coordinator", PASSWORD)
    try:
        received = {(r.desk_code, r.period) for r in network.received_months(hub)}
        assert received == {(d.code, m) for d in demo.SECOVA for m in made.months}
        assert {k.desk_code for k in keys.trusted_keys(hub)} == {d.code for d in demo.SECOVA}
        # The same files again change nothing (and were kept for trying it).
        again = network.import_files(hub, sorted((folder / "counts").iterdir()))
        assert {r.outcome for r in again} == {network.Outcome.UNCHANGED} and len(again) == 60
        # Publication can be tried at once: a year of the network, numbers shown.
        published = publication.publish(hub, made.months[0], last)
        victims = published.value(ind.CONTACTS, "STOPP", last).cells["VICTIM"]
        assert victims is not None and victims >= 5
        by_place = publication.publish(hub, made.months[0], last, level=Level.MUNICIPALITY)
        assert set(by_place.org_units) == {d.nis_code for d in demo.SECOVA}
        # Its own counts go to itself: its Counts page exports too.
        assert keys.recipient(hub) is not None
    finally:
        hub.close()
    for created in (made.network, *made.members):
        _due_for_nothing(created.database)


def test_a_folder_that_is_not_empty_is_refused_and_left_alone(tmp_path: Path) -> None:
    """The network takes the folder's place in one move: a folder holding anything else
    (a desk, the notes of a person) would be lost or mixed with it."""
    for name in ("desk.havre", "notes.txt"):
        (tmp_path / name).write_bytes(b"someone's file")
        with pytest.raises(ValidationError) as refused:
            demo.create_demo_network(tmp_path, PASSWORD)
        assert "is not empty" in str(refused.value)
        assert [p.name for p in tmp_path.iterdir()] == [name]
        (tmp_path / name).unlink()


@pytest.mark.slow
def test_a_failed_network_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    # Two desks made and filled by then, a key file and the folders.
    monkeypatch.setattr(counts_export, "export_counts", broken)
    with pytest.raises(OSError):
        demo.create_demo_network(tmp_path / "demo", PASSWORD)
    assert list(tmp_path.iterdir()) == []  # neither the folder nor the hidden one beside it
    # An empty folder given stays, as it was.
    (tmp_path / "empty").mkdir()
    with pytest.raises(OSError):
        demo.create_demo_network(tmp_path / "empty", PASSWORD)
    assert [p.name for p in tmp_path.iterdir()] == ["empty"]
    assert list((tmp_path / "empty").iterdir()) == []


@pytest.mark.slow
def test_the_network_appears_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fails after the first move into the folder leaves either the whole
    network there or nothing: never some of its desks."""
    folder = tmp_path / "demo"
    rename = Path.replace
    moves: list[Path] = []

    def failing(source: Path, target: str | Path) -> Path:
        if Path(target) == folder or Path(target).parent == folder:
            if moves:
                raise OSError(5, "Input/output error")
            moves.append(Path(target))
        return rename(source, target)

    monkeypatch.setattr(Path, "replace", failing)
    try:
        demo.create_demo_network(folder, PASSWORD)
    except StorageError:
        assert not folder.exists()
    else:
        assert len(list(folder.glob("*.havre"))) == 1 + len(demo.SECOVA)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_demo_desk_takes_a_code_and_a_municipality(tmp_path: Path) -> None:
    created = demo.create_demo_desk(
        tmp_path / "ay.havre", PASSWORD, desk_code="ayw", nis_code="62009"
    )
    desk = auth.unlock(created.database, "reception", PASSWORD)
    try:
        assert (desk.desk.code, desk.desk.nis_code, desk.desk.name) == (
            "AYW",
            "62009",
            "Demo desk AYW",
        )
        with desk.transaction() as session:
            codes = session.scalars(select(CaseFile.code).limit(3)).all()
        assert codes and all(code.startswith("AYW-") for code in codes)
    finally:
        desk.close()
    assert (tmp_path / "backups" / f"AYW-backup-{clock.today()}.havre").exists()
    _due_for_nothing(created.database)


def test_a_demo_desk_has_counsellors_notes_only_counsellors_read(tmp_path: Path) -> None:
    created = demo.create_demo_desk(tmp_path / "demo.havre", PASSWORD)
    counsellor = auth.unlock(created.database, "counsellor", PASSWORD)
    reception = auth.unlock(created.database, "reception", PASSWORD)
    try:
        with counsellor.transaction() as session:
            sealed = session.scalars(
                select(ListeningSession.id).where(ListeningSession.sealed_notes.is_not(None))
            ).all()
        assert len(sealed) == len(demo_notes.NOTES)
        assert {sessions.session_form(counsellor, i).notes for i in sealed} == set(demo_notes.NOTES)
        with pytest.raises(AccessDenied):
            sessions.session_form(reception, sealed[0])
    finally:
        counsellor.close()
        reception.close()


@pytest.mark.parametrize(
    ("code", "nis", "field"), [("s g", "21013", "desk_code"), ("SG", "99999", "nis_code")]
)
def test_a_wrong_code_or_municipality_makes_nothing(
    tmp_path: Path, code: str, nis: str, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        demo.create_demo_desk(tmp_path / "x.havre", PASSWORD, desk_code=code, nis_code=nis)
    assert refused.value.field == field
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", ["", ".keys"])
def test_a_demo_desk_whose_backup_name_is_taken_is_not_made(tmp_path: Path, suffix: str) -> None:
    """Its backup or the backup's key file: someone's file stays as it was."""
    taken = tmp_path / "backups" / (backup.name_for("DEMO", clock.today()) + suffix)
    taken.parent.mkdir()
    taken.write_bytes(b"someone's backup")
    with pytest.raises(TargetExists):
        demo.create_demo_desk(tmp_path / "demo.havre", PASSWORD)
    assert [p.name for p in tmp_path.iterdir()] == ["backups"]
    assert [p.name for p in taken.parent.iterdir()] == [taken.name]
    assert taken.read_bytes() == b"someone's backup"


def test_a_failed_demo_desk_removes_only_what_it_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock file an earlier desk of that name left behind is not the demo's to remove."""
    left = tmp_path / "demo.havre.lock"
    left.write_bytes(b"")

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(demo_data, "fill", broken)
    with pytest.raises(OSError):
        demo.create_demo_desk(tmp_path / "demo.havre", PASSWORD)
    assert list(tmp_path.iterdir()) == [left]


def test_a_demo_desk_coded_demo_is_the_demo_desk(tmp_path: Path) -> None:
    created = demo.create_demo_desk(tmp_path / "demo.havre", PASSWORD, desk_code=" demo ")
    desk = auth.unlock(created.database, "reception", PASSWORD)
    try:
        assert (desk.desk.code, desk.desk.name) == ("DEMO", "Demo desk")
    finally:
        desk.close()


def test_the_bench_s_large_desk_is_made_without_a_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A verified copy of 200 000 cases takes minutes and a gigabyte the bench never uses."""
    monkeypatch.setitem(demo_data.SCALES, "large", demo_data.Scale(40, 100, years=10))
    large_desk.make_large_desk(tmp_path / "large.havre")
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".lock") == [
        "large.havre",
        "large.havre.keys",
    ]
    admin = auth.unlock(tmp_path / "large.havre", "admin", large_desk.NEW_PASSWORD)
    try:
        assert retention.periods(admin).case == 121
        assert backup.days_since_backup(admin) is None
    finally:
        admin.close()


def test_the_last_closed_months_run_up_to_last_month_across_the_new_year() -> None:
    january = last_closed_months(date(2027, 1, 31), 12)
    assert january == months_between(Month(2026, 1), Month(2026, 12))
    assert last_closed_months(date(2026, 3, 1), 2) == [Month(2026, 1), Month(2026, 2)]


def test_a_ten_year_demo_desk_keeps_its_cases_ten_years(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The large scale in small: cases older than the default five years are kept, as the
    desk's retention settings say, so no purge is due either."""
    monkeypatch.setitem(demo_data.SCALES, "large", demo_data.Scale(60, 150, years=10))
    created = demo.create_demo_desk(tmp_path / "big.havre", PASSWORD, scale="large")
    admin = auth.unlock(created.database, "admin", PASSWORD)
    try:
        assert retention.periods(admin).case == 121
        with admin.transaction() as session:
            oldest = session.scalar(select(func.min(CaseFile.opened_at)))
        assert oldest is not None and oldest < clock.now() - timedelta(days=6 * 365)
    finally:
        admin.close()
    _due_for_nothing(created.database)


def test_demo_cases_look_like_a_desk_s(desk: DeskFixture, reception: OpenDesk) -> None:
    """Several contacts a case, witnesses who later call as victims, risk screenings,
    referrals in every state recorded as the referral service would, and identities only
    for people seen within the identity period."""
    demo_data.fill(reception, demo_data.SCALES["small"], seed=7)
    with reception.transaction() as session:
        contacts = session.execute(
            select(Contact.case_id, Contact.person_role).order_by(
                Contact.case_id, Contact.occurred_at
            )
        ).all()
        sessions = session.execute(
            select(ListeningSession.risk_tool, ListeningSession.risk_level)
        ).all()
        referrals = session.execute(
            select(
                Referral.status,
                Referral.consent_id,
                Referral.override_reason,
                CaseFile.person_id,
                Referral.session_id,
            ).join(CaseFile, CaseFile.id == Referral.case_id)
        ).all()
        shared = dict(
            session.execute(
                select(Consent.id, Consent.decision).where(Consent.scope == "referral_share")
            ).all()
        )
        identities = session.scalar(select(func.count()).select_from(Identity))
        named = session.scalar(
            select(func.count()).select_from(CaseFile).where(CaseFile.person_id.is_not(None))
        )
    roles: dict[str, list[str]] = {}
    for case_id, role in contacts:
        roles.setdefault(case_id, []).append(role)
    per_case = Counter(len(r) for r in roles.values())
    assert len(roles) == 300 and per_case[1] < 200 and max(per_case) >= 4
    witness_then_victim = [
        r for r in roles.values() if r[0] == PersonRole.WITNESS and PersonRole.VICTIM in r[1:]
    ]
    assert witness_then_victim

    screened = [tool for tool, level in sessions if tool != RiskTool.NONE]
    assert 0.1 < len(screened) / len(sessions) < 0.5
    assert all((tool == RiskTool.NONE) == (level is None) for tool, level in sessions)

    assert {ReferralStatus(r.status) for r in referrals} == set(ReferralStatus)
    assert any(r.session_id for r in referrals) and any(not r.session_id for r in referrals)
    for r in referrals:
        if r.consent_id is not None:
            assert shared[r.consent_id] == "given"
        if r.status == ReferralStatus.REFERRED and r.person_id is not None:
            assert r.consent_id is not None or r.override_reason

    # Two years of cases, an identity period of a year: about half are forgotten already.
    assert identities is not None and named is not None and 0.3 < identities / named < 0.8
    admin = desk.unlock()
    try:
        assert retention.periods(admin) == retention_rules.DEFAULT_PERIODS
        assert not retention.purge_due(admin)
    finally:
        admin.close()


def test_the_demo_accounts_are_named_in_the_language_of_the_demo(tmp_path: Path) -> None:
    """Found in the real window: French screens listed "Reception", "Counsellor"."""
    i18n.set_language("fr")  # the `english` fixture sets English back after the test
    made = demo.create_demo_desk(tmp_path / "demo.havre", PASSWORD, backup=False)
    desk = auth.unlock(made.database, "admin", PASSWORD)
    try:
        names = {user.user_name: user.display_name for user in accounts.list_users(desk)}
    finally:
        desk.close()
    assert names == {
        "admin": "Administration",
        "reception": "Accueil",
        "counsellor": "Intervention",
        "coordinator": "Coordination",
    }
