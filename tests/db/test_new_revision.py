"""`make migration` writes a revision only when the models changed and a message says what;
otherwise it refuses and writes nothing (on a copy of the migrations, never the real ones)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from db import migrate


def _migrations(tmp_path: Path) -> Path:
    location = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, location, ignore=shutil.ignore_patterns("__pycache__"))
    return location


def _revisions(location: Path) -> list[str]:
    return sorted(path.name for path in (location / "versions").glob("*.py"))


@pytest.mark.parametrize("message", ["", "   "])
def test_no_revision_without_a_message(tmp_path: Path, message: str) -> None:
    location = _migrations(tmp_path)
    before = _revisions(location)
    with pytest.raises(migrate.RevisionRefusedError, match="say what changed"):
        migrate.new_revision(message, location)
    assert _revisions(location) == before


def test_no_revision_when_the_models_match_the_newest(tmp_path: Path) -> None:
    location = _migrations(tmp_path)
    before = _revisions(location)
    with pytest.raises(migrate.RevisionRefusedError, match="nothing to migrate"):
        migrate.new_revision("a change that is not there", location)
    assert _revisions(location) == before


def test_a_change_of_the_models_gets_the_next_revision(tmp_path: Path) -> None:
    """Without the newest revision, the models are ahead: it is written again, numbered."""
    location = _migrations(tmp_path)
    newest = location / "versions" / _revisions(location)[-1]
    newest.unlink()
    written = migrate.new_revision("the newest again", location)
    assert written == location / "versions" / f"{newest.name[:4]}_the_newest_again.py"
    assert "op." in written.read_text("utf-8")  # operations, not an empty revision
    with pytest.raises(migrate.RevisionRefusedError, match="nothing to migrate"):
        migrate.new_revision("and once more", location)
