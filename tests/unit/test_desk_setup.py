from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app import keyfile
from app.errors import DatabaseExists, StorageError, ValidationError
from app.services.desk import create_desk
from db import repositories
from db.models import DeskSigningKey
from tests.conftest import FAST_KDF, DeskFixture, desk_setup


def test_a_new_desk_has_its_accounts_signing_key_and_a_key_file_without_names(
    desk: DeskFixture,
) -> None:
    content = keyfile.path_for(desk.database).read_text()
    for personal in ('"admin"', '"rita"', '"carl"', "Ada Admin", "Saint-Gilles", '"SG"'):
        assert personal not in content
    key_file = keyfile.read(keyfile.path_for(desk.database))
    assert sorted(s.kind for s in key_file.slots) == ["recovery", "user", "user", "user"]
    opened = desk.unlock()
    with opened.transaction() as session:
        key = session.scalars(select(DeskSigningKey)).one()
        desk_row = repositories.the_desk(session)
    opened.close()
    assert key.algorithm == "ed25519" and len(key.private_key) == 32
    assert desk_row is not None and (desk_row.code, desk_row.nis_code) == ("SG", "21013")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"desk_name": "   "}, "desk name cannot be empty"),
        ({"nis_code": "99999"}, "not the NIS code"),
        ({"nis_code": "abc"}, "not the NIS code"),
        ({"desk_code": "s g"}, "desk code must be"),
        ({"language": "es"}, "languages"),
        ({"organisation": "x" * 200}, "too long"),
    ],
)
def test_bad_set_up_input_is_refused_and_leaves_nothing(
    tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        create_desk(desk_setup(tmp_path / "desk.havre", **changes), kdf=FAST_KDF)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_written_is_refused_clearly(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(StorageError, match="cannot write"):
        create_desk(desk_setup(blocker / "desk.havre"), kdf=FAST_KDF)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]


def test_an_existing_desk_is_never_overwritten(desk: DeskFixture) -> None:
    before = desk.database.read_bytes()
    with pytest.raises(DatabaseExists):
        create_desk(desk_setup(desk.database), kdf=FAST_KDF)
    assert desk.database.read_bytes() == before


def test_a_failure_half_way_removes_what_was_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(keyfile, "atomic_write", fail)
    with pytest.raises(OSError):
        create_desk(desk_setup(tmp_path / "desk.havre"), kdf=FAST_KDF)
    assert list(tmp_path.iterdir()) == []
