"""Bring a desk database to the schema of this Havre, safely.

At every unlock: refuse a database made by a newer Havre; if the schema is behind, copy the
file aside first, then upgrade on a connection with foreign keys off (batch mode rebuilds
tables), check the foreign keys, and commit everything or nothing.
"""

from __future__ import annotations

import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from db.engine import close_database, open_database

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseTooNewError(Exception):
    """The database carries a schema revision this Havre does not know."""


class NotHavreDatabaseError(Exception):
    """The file opens with the key but holds tables that are not Havre's."""


class ForeignKeyCheckError(Exception):
    """An upgrade would leave rows pointing nowhere; it was rolled back."""


def alembic_config(script_location: Path = MIGRATIONS_DIR) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions(script_location: Path = MIGRATIONS_DIR) -> set[str]:
    script = ScriptDirectory.from_config(alembic_config(script_location))
    return {revision.revision for revision in script.walk_revisions()}


def migrate(
    path: Path,
    key: bytes | bytearray,
    *,
    create: bool = False,
    script_location: Path = MIGRATIONS_DIR,
) -> Path | None:
    """Upgrade the database at `path` to head; returns the backup copy made, if any.

    Only `create=True` builds the schema in an empty file; otherwise an empty or foreign
    file is refused untouched.
    """
    config = alembic_config(script_location)
    script = ScriptDirectory.from_config(config)
    heads = set(script.get_heads())
    engine = open_database(path, key, foreign_keys=False)
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
            tables = set(inspect(connection).get_table_names())
        if not current and (tables or not create):
            raise NotHavreDatabaseError(", ".join(sorted(tables)) or "empty")
        known = {revision.revision for revision in script.walk_revisions()}
        if current - known:
            raise DatabaseTooNewError(", ".join(sorted(current - known)))
        if current == heads:
            return None
        backup = None
        if current:
            close_database(engine)
            backup = _backup_copy(path, "-".join(sorted(current)))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise ForeignKeyCheckError(repr(problems[:5]))
        return backup
    finally:
        close_database(engine)


def _backup_copy(path: Path, revision: str) -> Path:
    """A byte copy of the (closed, checkpointed, still encrypted) database file."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    backup = path.with_name(f"{path.name}.before-{revision}-{stamp}.bak")
    shutil.copy2(path, backup)
    return backup


def new_revision(message: str) -> None:
    """Developers: autogenerate the next revision from the models (`make migration`)."""
    import secrets
    import tempfile

    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    number = len(list(script.walk_revisions())) + 1
    with tempfile.TemporaryDirectory() as folder:
        database, key = Path(folder) / "head.db", secrets.token_bytes(32)
        migrate(database, key, create=True)
        engine = open_database(database, key, foreign_keys=False)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.revision(config, message, autogenerate=True, rev_id=f"{number:04d}")
        engine.dispose()


if __name__ == "__main__":
    new_revision(" ".join(sys.argv[1:]) or "schema change")
