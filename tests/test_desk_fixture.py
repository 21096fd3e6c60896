"""The `desk` fixture gives each test a desk of its own: a copy of one made once per
process, a few seconds before the tests' clock started."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.services import accounts
from app.services.desk import CreatedDesk
from tests.conftest import COORDINATOR_PASSWORD, TEMPLATE_LEAD, DeskFixture, TestClock


def test_the_desk_is_a_copy_of_the_tests_own(
    desk: DeskFixture,
    tmp_path: Path,
    test_clock: TestClock,
    desk_templates: dict[datetime, CreatedDesk],
) -> None:
    template = desk_templates[test_clock.start]
    assert desk.database.parent == tmp_path and desk.created.key_file.parent == tmp_path
    assert desk.database != template.database
    made = template.database.read_bytes(), template.key_file.read_bytes()
    admin = desk.unlock()
    try:
        created_at = admin.desk.created_at
        account = NewAccount("cora", "Cora", frozenset({Role.COORDINATOR}), COORDINATOR_PASSWORD)
        accounts.add_user(admin, account)
    finally:
        admin.close()
    assert (template.database.read_bytes(), template.key_file.read_bytes()) == made
    assert test_clock.start - TEMPLATE_LEAD <= created_at < test_clock.start


def test_a_clock_started_elsewhere_has_a_desk_made_before_it(
    test_clock: TestClock,
    desk_templates: dict[datetime, CreatedDesk],
    request: pytest.FixtureRequest,
) -> None:
    moment = datetime.fromisoformat("2027-06-01T08:00:00+02:00")
    test_clock.set(moment)
    desk: DeskFixture = request.getfixturevalue("desk")
    assert moment in desk_templates
    admin = desk.unlock()
    try:
        assert moment - TEMPLATE_LEAD <= admin.desk.created_at < moment
    finally:
        admin.close()
