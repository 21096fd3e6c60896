"""Opening a desk database once its data key is known: schema checks, upgrade, then the
application engine. Storage-level failures become messages people can act on."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from app import files, keyfile
from app.errors import DatabaseTooNew, EncryptionProfileError, NotAHavreDatabase
from db import engine as db_engine
from db import migrate


def sqlite_files(database: Path) -> tuple[Path, ...]:
    """What SQLite keeps beside a database while it is open."""
    return tuple(database.with_name(database.name + s) for s in ("-wal", "-shm", "-journal"))


def open_desk_database(database: Path, key: db_engine.KeySource, *, create: bool = False) -> Engine:
    """Migrate (with a backup copy when the schema is behind) and open the database."""
    if create and not database.exists():
        files.create_empty_file(database)
    # Each opening gives the files of the desk their folder's mode (app/files.py): a
    # restored or a re-keyed copy, made with the owner's mode, joins a shared desk too.
    for path in (database, *sqlite_files(database), keyfile.path_for(database)):
        files.fit_mode_to_folder(path)
    try:
        migrate.migrate(database, key, create=create)
        return db_engine.open_database(database, key)
    except (db_engine.DatabaseKeyError, migrate.NotHavreDatabaseError) as exc:
        raise NotAHavreDatabase(database) from exc
    except migrate.DatabaseTooNewError as exc:
        raise DatabaseTooNew(database) from exc
    except db_engine.CipherProfileError as exc:
        raise EncryptionProfileError(str(exc)) from exc
