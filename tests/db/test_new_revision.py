"""`make migration` writes a revision only when the models changed and a message says what;
otherwise it refuses and writes nothing, unless an empty revision (to write by hand) is asked
for on purpose (on a copy of the migrations, never the real ones)."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

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


def test_an_empty_revision_on_purpose_follows_the_newest(tmp_path: Path) -> None:
    """For what the models do not describe (a trigger, a data fix): written empty, next in
    line, and a database upgrades through it."""
    location = _migrations(tmp_path)
    before = _revisions(location)
    head = ScriptDirectory.from_config(migrate.alembic_config(location)).get_current_head()
    written = migrate.new_revision("a data fix", location, empty=True)
    number = f"{len(before) + 1:04d}"
    assert written == location / "versions" / f"{number}_a_data_fix.py"
    assert _revisions(location) == sorted([*before, written.name])
    text = written.read_text("utf-8")
    assert "op." not in text.replace("from alembic import op", "")
    assert f"down_revision: str | None = {head!r}" in text
    assert migrate.known_revisions(location) >= {number}
    database = tmp_path / "desk.db"
    migrate.migrate(
        database,
        secrets.token_bytes(32),
        create=True,
        script_location=location,
        copy_before_upgrade=migrate.no_copy_needed,
    )
    # The models still match: the empty revision changed nothing alembic can see.
    with pytest.raises(migrate.RevisionRefusedError, match="nothing to migrate"):
        migrate.new_revision("and once more", location)


def test_no_empty_revision_while_the_models_changed(tmp_path: Path) -> None:
    location = _migrations(tmp_path)
    (location / "versions" / _revisions(location)[-1]).unlink()
    before = _revisions(location)
    with pytest.raises(migrate.RevisionRefusedError, match="models differ"):
        migrate.new_revision("a data fix", location, empty=True)
    assert _revisions(location) == before


def test_the_command_line_takes_the_empty_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m db.migrate --empty -- MESSAGE`, as `make migration EMPTY=1` calls it."""
    location = _migrations(tmp_path)
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", location)
    calls: list[tuple[str, bool]] = []
    real = migrate.new_revision

    def recorded(message: str, script_location: Path = location, *, empty: bool = False) -> Path:
        calls.append((message, empty))
        return real(message, script_location, empty=empty)

    monkeypatch.setattr(migrate, "new_revision", recorded)
    migrate.main(["--empty", "--", "a", "trigger"])
    assert calls == [("a trigger", True)]
    assert _revisions(location)[-1].endswith("_a_trigger.py")
    with pytest.raises(SystemExit, match="No revision written: the models match"):
        migrate.main(["and", "once", "more"])
