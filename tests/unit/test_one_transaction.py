"""One transaction per service call: the role check runs inside the transaction of the work it
guards, so the database sees one BEGIN for a call, not one for the check and one (or more)
for the work. Counted as the database sees them, on every engine."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, event, select

from app import crypto
from app.domain.accounts import NewAccount
from app.domain.cases import CaseQuery
from app.domain.periods import Month
from app.domain.roles import Role
from app.domain.sessions import SessionForm
from app.errors import AccessDenied
from app.services import (
    accounts,
    audit,
    backup,
    cases,
    counts_export,
    desk_settings,
    directory,
    intake,
    keys,
    sessions,
)
from app.services.open_desk import OpenDesk
from db.models import AuditEvent
from tests.conftest import STAFF_PASSWORD
from tests.factories import named_intake, now


@contextmanager
def begins() -> Iterator[list[Connection]]:
    """The transactions begun on any engine meanwhile."""
    seen: list[Connection] = []

    def on_begin(connection: Connection) -> None:
        seen.append(connection)

    event.listen(Engine, "begin", on_begin)
    try:
        yield seen
    finally:
        event.remove(Engine, "begin", on_begin)


def transactions_of(call: Callable[[], object]) -> int:
    with begins() as seen:
        call()
    return len(seen)


def test_an_intake_is_saved_in_one_transaction(reception: OpenDesk) -> None:
    assert transactions_of(lambda: intake.record_intake(reception, named_intake())) == 1


def test_a_session_is_saved_in_one_transaction(reception: OpenDesk, counsellor: OpenDesk) -> None:
    saved = intake.record_intake(reception, named_intake())
    form = SessionForm(now(), notes="Spoke of the night.")
    assert transactions_of(lambda: sessions.add_session(counsellor, saved.case_id, form)) == 1


def test_a_search_and_its_rows_take_one_transaction_each(reception: OpenDesk) -> None:
    intake.record_intake(reception, named_intake())
    found: list[str] = []
    assert transactions_of(lambda: found.extend(cases.find_case_ids(reception, CaseQuery()))) == 1
    assert transactions_of(lambda: cases.case_rows(reception, found)) == 1


def test_a_directory_entry_is_saved_retired_and_verified_in_one_transaction_each(
    coordinator: OpenDesk,
) -> None:
    entry = directory.all_entries(coordinator)[0]
    assert (
        transactions_of(
            lambda: directory.save(coordinator, replace(entry, retired=True), is_new=False)
        )
        == 1
    )
    assert transactions_of(lambda: directory.retire(coordinator, entry.key, retired=False)) == 1
    assert transactions_of(lambda: directory.mark_verified(coordinator, entry.key)) == 1


def test_a_counts_file_is_exported_in_one_transaction(
    coordinator: OpenDesk, tmp_path: Path
) -> None:
    keys.set_recipient(coordinator, keys.Recipient("hub", crypto.new_age_identity().recipient))
    month = Month.of(now().date() - timedelta(days=31))
    target = tmp_path / counts_export.default_file_name(coordinator, month)
    assert transactions_of(lambda: counts_export.export_counts(coordinator, month, target)) == 1
    assert target.exists()


def test_admin_actions_take_one_transaction_each(admin_desk: OpenDesk) -> None:
    assert transactions_of(lambda: desk_settings.set_idle_lock_minutes(admin_desk, 10)) == 1
    assert transactions_of(lambda: desk_settings.idle_lock_minutes(admin_desk)) == 1
    # It read the last backup and the reminder's setting each in a transaction of its own.
    assert transactions_of(lambda: backup.backup_overdue(admin_desk)) == 1
    assert transactions_of(lambda: accounts.list_users(admin_desk)) == 1
    made: list[str] = []
    account = NewAccount("nina", "Nina", frozenset({Role.RECEPTION}), STAFF_PASSWORD)
    assert transactions_of(lambda: made.append(accounts.add_user(admin_desk, account).id)) == 1
    roles = frozenset({Role.RECEPTION, Role.COUNSELLOR})
    assert transactions_of(lambda: accounts.set_roles(admin_desk, made[0], roles)) == 1


def test_a_refusal_rolls_the_work_back_and_is_recorded_in_a_transaction_of_its_own(
    reception: OpenDesk,
) -> None:
    with begins() as seen, pytest.raises(AccessDenied):
        desk_settings.set_idle_lock_minutes(reception, 10)
    assert len(seen) == 2
    assert desk_settings.idle_lock_minutes(reception) == desk_settings.DEFAULT_IDLE_LOCK_MINUTES
    with reception.transaction() as session:
        denied = session.scalars(
            select(AuditEvent.target_type).where(AuditEvent.action == audit.ACCESS_DENIED)
        ).all()
    assert denied == ["settings.idle_lock"]
