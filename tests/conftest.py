"""Shared fixtures: offscreen Qt, English messages, real encrypted desks in temp folders."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app import crypto, i18n
from app.domain.accounts import NewAccount
from app.domain.roles import Role
from app.services import auth
from app.services.desk import CreatedDesk, DeskSetup, create_desk
from app.services.open_desk import OpenDesk

# Fixtures shared by the tests of the counts, their files and their publication.
pytest_plugins = ["tests.counts_support"]

# Cheap Argon2 parameters: tests exercise the real code path without waiting on the KDF.
FAST_KDF = crypto.KdfParams(memory_kib=1024, time_cost=1, parallelism=4)
ADMIN_PASSWORD = "blue harbour lantern 42"
STAFF_PASSWORD = "quiet meadow river 17"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def desk_setup(database: Path, **changes: object) -> DeskSetup:
    values: dict[str, object] = {
        "database": database,
        "desk_name": "Permanence Saint-Gilles",
        "desk_code": "SG",
        "organisation": "Commune de Saint-Gilles",
        "nis_code": "21013",
        "network_name": "",
        "language": "fr",
        "admin": NewAccount("admin", "Ada Admin", frozenset({Role.ADMIN}), ADMIN_PASSWORD),
        "other_accounts": (
            NewAccount("rita", "Rita Reception", frozenset({Role.RECEPTION}), STAFF_PASSWORD),
            NewAccount("carl", "Carl Counsellor", frozenset({Role.COUNSELLOR}), STAFF_PASSWORD),
        ),
    }
    values.update(changes)
    return DeskSetup(**values)  # type: ignore[arg-type]


@dataclass
class DeskFixture:
    created: CreatedDesk

    @property
    def database(self) -> Path:
        return self.created.database

    def unlock(self, user: str = "admin", password: str = ADMIN_PASSWORD) -> OpenDesk:
        return auth.unlock(self.database, user, password)


@pytest.fixture
def desk(tmp_path: Path) -> DeskFixture:
    return DeskFixture(create_desk(desk_setup(tmp_path / "desk.havre"), kdf=FAST_KDF))


@pytest.fixture
def reception(desk: DeskFixture) -> Iterator[OpenDesk]:
    opened = desk.unlock("rita", STAFF_PASSWORD)
    yield opened
    opened.close()


@pytest.fixture
def counsellor(desk: DeskFixture) -> Iterator[OpenDesk]:
    opened = desk.unlock("carl", STAFF_PASSWORD)
    yield opened
    opened.close()


@pytest.fixture
def admin_desk(desk: DeskFixture) -> Iterator[OpenDesk]:
    opened = desk.unlock()
    yield opened
    opened.close()


COORDINATOR_PASSWORD = "lantern harbour willow 58"


@pytest.fixture
def coordinator(desk: DeskFixture, admin_desk: OpenDesk) -> Iterator[OpenDesk]:
    from app.services import accounts

    account = NewAccount("cora", "Cora", frozenset({Role.COORDINATOR}), COORDINATOR_PASSWORD)
    accounts.add_user(admin_desk, account)
    opened = desk.unlock("cora", COORDINATOR_PASSWORD)
    yield opened
    opened.close()
