"""Retention: periods, the purge preview, the purge itself and the identity-only purge. The
counts of past months are compared cell by cell before and after."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.cases import CaseQuery
from app.domain.codes import (
    AttemptOutcome,
    CallerRelation,
    NextStep,
    PersonRole,
    RetentionClass,
)
from app.domain.intake import ContactForm, IdentityForm
from app.domain.periods import Month
from app.domain.protocols import ProtocolUseForm
from app.domain.recontact import AttemptForm
from app.domain.retention import (
    DEFAULT_PERIODS,
    RetentionPeriods,
    check_periods,
    cutoff,
)
from app.domain.sessions import SessionForm
from app.errors import AccessDenied, ValidationError
from app.progress import Cancelled, Progress, ProgressState
from app.services import audit_log, cases, counts, intake, recontact, retention, sessions
from app.services.open_desk import OpenDesk
from db import retention_queries
from db.models import (
    Appointment,
    CaseFile,
    Contact,
    Handout,
    Identity,
    ListeningSession,
    Person,
    ProtocolUse,
    RecontactAttempt,
    RecontactItem,
)
from tests.counts_support import TODAY, at
from tests.factories import named_intake, police_referral, refer

# Days and months matter here: CI runs these again at awkward moments.
pytestmark = pytest.mark.dates

MONTHS = [Month(2026, 1), Month(2026, 2), Month(2026, 3), Month(2026, 4), Month(2026, 5)]


def all_counts(coordinator: OpenDesk) -> dict[Month, dict[str, dict[str, int]]]:
    return {m: counts.month_counts(coordinator, m, today=TODAY).values for m in MONTHS}


def rows(desk: OpenDesk, model: type) -> int:
    with desk.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def case_id_of(desk: OpenDesk, code_text: str = "Hélène") -> list[str]:
    return cases.find_case_ids(desk, CaseQuery(text=code_text))


def test_cutoff_counts_whole_months_back_and_clamps_the_day() -> None:
    assert cutoff(date(2026, 11, 23), 12) == date(2025, 11, 23)
    assert cutoff(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert cutoff(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert cutoff(date(2026, 1, 15), 1) == date(2025, 12, 15)


def test_periods_out_of_bounds_or_longer_than_the_case_are_refused() -> None:
    check_periods(DEFAULT_PERIODS)
    with pytest.raises(ValidationError, match="between 12 and 240"):
        check_periods(RetentionPeriods(identity=6, notes=6, case=6))
    with pytest.raises(ValidationError, match="between 1 and 120") as caught:
        check_periods(RetentionPeriods(identity=0, notes=6, case=60))
    assert caught.value.field == RetentionClass.IDENTITY.value
    with pytest.raises(ValidationError, match="longer than the case record") as caught:
        check_periods(RetentionPeriods(identity=12, notes=72, case=60))
    assert caught.value.field == RetentionClass.NOTES.value


def test_a_purge_leaves_the_counts_of_past_months_unchanged(
    march_desk: OpenDesk, admin_desk: OpenDesk
) -> None:
    before = all_counts(march_desk)
    assert sum(sum(cells.values()) for cells in before[Month(2026, 3)].values()) > 0
    retention.set_periods(admin_desk, RetentionPeriods(identity=1, notes=1, case=12))
    purge_day = date(2027, 5, 1)  # a year and a month after the last activity (1 April)

    plan = retention.preview(admin_desk, purge_day)
    assert (plan.cases_due, plan.cases_kept, plan.persons_due) == (6, 0, 5)
    assert plan.identities_due == 5 and plan.identities_kept == 0
    assert plan.months_to_freeze == (Month(2026, 2), Month(2026, 3), Month(2026, 4))
    assert rows(admin_desk, CaseFile) == 6  # the preview changed nothing

    done = retention.purge(admin_desk, purge_day)
    assert done == plan
    for model in (CaseFile, Person, Identity, Contact, ListeningSession):
        assert rows(admin_desk, model) == 0, model
    assert rows(admin_desk, Handout) == 3  # printed material stays, at desk level
    assert all_counts(march_desk) == before
    with admin_desk.transaction() as session:
        assert retention_queries.frozen_periods(session) == {"2026-02", "2026-03", "2026-04"}

    again = retention.preview(admin_desk, purge_day)
    assert again.nothing_due and again.months_to_freeze == ()
    actions = [entry.action for entry in audit_log.entries(admin_desk, audit_log.AuditFilter())]
    assert "retention.purge" in actions
    assert audit_log.verify(admin_desk).broken is None


def test_the_purge_reports_its_progress_and_a_cancel_before_the_erasing_changes_nothing(
    march_desk: OpenDesk, admin_desk: OpenDesk
) -> None:
    retention.set_periods(admin_desk, RetentionPeriods(identity=1, notes=1, case=12))
    purge_day = date(2027, 5, 1)
    seen: list[ProgressState] = []
    preview = Progress(seen.append)
    plan = retention.preview(admin_desk, purge_day, preview)
    assert seen and all(state.cancellable for state in seen)
    assert (seen[-1].done, seen[-1].total) == (5, 5)

    def cancel_while_freezing(state: ProgressState) -> None:
        if state.total == 3 and state.done == 1:
            stopping.cancel()  # as the person does, from the GUI thread, midway

    stopping = Progress(cancel_while_freezing)
    with pytest.raises(Cancelled):
        retention.purge(admin_desk, purge_day, stopping)
    assert rows(admin_desk, CaseFile) == 6
    with admin_desk.transaction() as session:
        assert retention_queries.frozen_periods(session) == set()

    seen.clear()
    running = Progress(seen.append)
    assert retention.purge(admin_desk, purge_day, running) == plan
    frozen = [(s.done, s.total) for s in seen if s.total == len(plan.months_to_freeze)]
    assert frozen[-1] == (3, 3) and all(s.cancellable for s in seen[:-1])
    assert not seen[-1].cancellable  # the erasing and its commit cannot be stopped
    assert not running.cancel()
    assert rows(admin_desk, CaseFile) == 0


def test_a_case_still_followed_keeps_the_person_whole(
    march_desk: OpenDesk, admin_desk: OpenDesk, counsellor: OpenDesk, reception: OpenDesk
) -> None:
    [case_a] = case_id_of(reception, "Hélène")[-1:]
    sessions.add_session(counsellor, case_a, SessionForm(at(date(2026, 11, 1))))
    retention.set_periods(admin_desk, RetentionPeriods(identity=1, notes=1, case=12))
    plan = retention.preview(admin_desk, date(2027, 5, 1))
    assert plan.cases_due == 5 and plan.cases_kept == 1 and plan.persons_due == 4
    assert Month(2026, 2) not in plan.months_to_freeze  # February's case is the kept one


def test_identities_and_notes_go_alone_and_the_statistics_stay(
    march_desk: OpenDesk,
    admin_desk: OpenDesk,
    counsellor: OpenDesk,
    reception: OpenDesk,
    tmp_path: Path,
) -> None:
    [case_id, *_] = case_id_of(reception)
    sessions.add_session(
        counsellor, case_id, SessionForm(at(date(2026, 3, 25)), notes="Marker-notes-4417")
    )
    before = all_counts(march_desk)
    cases_before = rows(admin_desk, CaseFile)
    retention.set_periods(admin_desk, RetentionPeriods(identity=12, notes=12, case=60))
    purge_day = date(2027, 4, 15)

    plan = retention.preview(admin_desk, purge_day)
    assert plan.cases_due == 0 and plan.months_to_freeze == ()
    assert plan.identities_due == rows(admin_desk, Identity) > 0
    assert plan.notes_due == 1

    retention.purge(admin_desk, purge_day)
    assert rows(admin_desk, Identity) == 0
    assert rows(admin_desk, CaseFile) == cases_before
    with admin_desk.transaction() as session:
        notes = session.scalars(select(ListeningSession.sealed_notes)).all()
        assert notes and all(n is None for n in notes)
        assert retention_queries.frozen_periods(session) == set()
    assert all_counts(march_desk) == before
    assert case_id_of(reception, "Hélène") == []
    assert b"H\xc3\xa9l\xc3\xa8ne" not in plaintext_image(admin_desk, tmp_path)
    assert b"helene" not in plaintext_image(admin_desk, tmp_path)


def plaintext_image(desk: OpenDesk, tmp_path: Path) -> bytes:
    """Everything the database holds, decrypted: the full-text index's own tables too."""
    target = tmp_path / "plain.db"
    target.unlink(missing_ok=True)
    with desk.driver_connection() as raw:
        raw.execute(f"ATTACH DATABASE '{target}' AS plain KEY ''")
        raw.execute("SELECT sqlcipher_export('plain')").fetchall()
        raw.execute("DETACH DATABASE plain")
    return target.read_bytes()


def test_forgetting_one_identity_by_case_code(
    march_desk: OpenDesk, admin_desk: OpenDesk, reception: OpenDesk
) -> None:
    [case_id, *_] = case_id_of(reception)
    with admin_desk.transaction() as session:
        code = session.get(CaseFile, case_id).code  # type: ignore[union-attr]
    identities = rows(admin_desk, Identity)
    assert retention.forget_identity(admin_desk, f" {code.lower()} ") == code
    assert rows(admin_desk, Identity) == identities - 1
    assert case_id not in case_id_of(reception)
    with pytest.raises(ValidationError, match="nothing to forget"):
        retention.forget_identity(admin_desk, code)
    with pytest.raises(ValidationError, match="No case has the code"):
        retention.forget_identity(admin_desk, "ZZ-2026-9999")
    entries = audit_log.entries(admin_desk, audit_log.AuditFilter())
    assert any(e.action == "retention.forget_identity" for e in entries)


def test_only_the_admin_sets_periods_and_purges(march_desk: OpenDesk, reception: OpenDesk) -> None:
    for attempt in (
        lambda: retention.preview(reception),
        lambda: retention.purge(reception),
        lambda: retention.set_periods(reception, DEFAULT_PERIODS),
        lambda: retention.forget_identity(reception, "X"),
    ):
        with pytest.raises(AccessDenied):
            attempt()
    assert not retention.purge_due(reception)


def test_the_defaults_are_proposed_and_the_admins_periods_kept(admin_desk: OpenDesk) -> None:
    assert retention.periods(admin_desk) == DEFAULT_PERIODS
    chosen = RetentionPeriods(identity=6, notes=18, case=84)
    retention.set_periods(admin_desk, chosen)
    assert retention.periods(admin_desk) == chosen
    with pytest.raises(ValidationError):
        retention.set_periods(admin_desk, RetentionPeriods(identity=6, notes=18, case=500))
    assert retention.periods(admin_desk) == chosen


@pytest.mark.usefixtures("on_counts_day")
def test_a_purge_takes_the_follow_up_of_a_case_and_keeps_its_counts(
    reception: OpenDesk, coordinator: OpenDesk, admin_desk: OpenDesk
) -> None:
    saved = refer(reception, police_referral(date(2026, 3, 2)))
    (item,) = recontact.items_of_case(reception, saved.case_id)
    attempt = AttemptForm(at(date(2026, 4, 7)), AttemptOutcome.NO_ANSWER, NextStep.CLOSE)
    recontact.log_attempt(reception, item.id, attempt)  # a month after the referral
    uses = (ProtocolUseForm("complaint", 1, frozenset({"s1"})),)
    intake.record_intake(
        reception,
        named_intake(contact=ContactForm(occurred_at=at(date(2026, 3, 9))), protocols=uses),
    )
    with reception.transaction() as session:  # kept as once planned: the service refuses a past day
        session.add(
            Appointment(
                id=str(uuid.uuid4()),
                case_id=saved.case_id,
                starts_at=at(date(2026, 3, 20)),
                minutes=60,
                kind="accompaniment_court",
                place="",
                status="planned",
                recorded_by=reception.user.id,
                retention_class="case_record",
            )
        )
    before = {m: counts.month_counts(coordinator, m, TODAY).values for m in MONTHS}
    assert before[Month(2026, 4)]["PVIF_RECONTACT_ATTEMPTS"]["NO_ANSWER"] == 1
    retention.set_periods(admin_desk, RetentionPeriods(identity=1, notes=1, case=12))

    assert retention.preview(admin_desk, date(2027, 4, 1)).cases_due == 1  # the attempt: April
    done = retention.purge(admin_desk, date(2027, 5, 1))
    assert done.cases_due == 2
    for model in (RecontactItem, RecontactAttempt, Appointment, ProtocolUse, CaseFile):
        assert rows(admin_desk, model) == 0, model
    assert {m: counts.month_counts(coordinator, m, TODAY).values for m in MONTHS} == before
    with admin_desk.transaction() as session:
        assert retention_queries.frozen_periods(session) == {"2026-03", "2026-04"}


def witness_with_note(desk: OpenDesk, note: str, anonymous: bool = False) -> str:
    contact = ContactForm(
        occurred_at=at(date(2026, 3, 26)),
        role=PersonRole.WITNESS,
        relation=CallerRelation.NEIGHBOUR,
        note=note,
    )
    form = named_intake("Voisine", contact=contact)
    if anonymous:
        form = replace(form, person=None, identity=IdentityForm(), consents=())
    return intake.record_intake(desk, form).case_id


def notes_of(desk: OpenDesk) -> list[str]:
    with desk.transaction() as session:
        return [n for n in session.scalars(select(Contact.note)) if n is not None]


def test_a_contacts_note_is_forgotten_with_the_identity(
    march_desk: OpenDesk, admin_desk: OpenDesk, reception: OpenDesk, tmp_path: Path
) -> None:
    case_id = witness_with_note(reception, "Marker-note-5521 speak only to her")
    before = all_counts(march_desk)
    with admin_desk.transaction() as session:
        code = session.get(CaseFile, case_id).code  # type: ignore[union-attr]
    assert notes_of(admin_desk) == ["Marker-note-5521 speak only to her"]

    retention.forget_identity(admin_desk, code)
    assert notes_of(admin_desk) == []
    assert cases.case_detail(reception, case_id).timeline[0].note == ""
    assert b"Marker-note-5521" not in plaintext_image(admin_desk, tmp_path)
    assert all_counts(march_desk) == before


def test_the_retention_purge_erases_the_notes_with_the_identities(
    march_desk: OpenDesk, admin_desk: OpenDesk, reception: OpenDesk, tmp_path: Path
) -> None:
    witness_with_note(reception, "Marker-note-6630 named")
    witness_with_note(reception, "Marker-note-6631 anonymous", anonymous=True)
    retention.set_periods(admin_desk, RetentionPeriods(identity=12, notes=12, case=60))
    retention.purge(admin_desk, date(2027, 3, 1))  # less than a year: kept
    assert len(notes_of(admin_desk)) == 2

    plan = retention.preview(admin_desk, date(2027, 4, 15))
    assert (plan.contact_notes_due, plan.contact_notes_kept) == (2, 0)
    retention.purge(admin_desk, date(2027, 4, 15))
    assert notes_of(admin_desk) == [] and rows(admin_desk, Identity) == 0
    assert rows(admin_desk, Contact) > 0  # the contacts, and their counts, stay
    image = plaintext_image(admin_desk, tmp_path)
    assert b"Marker-note-663" not in image
