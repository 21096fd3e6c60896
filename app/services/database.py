"""Opening a desk database once its data key is known: schema checks, upgrade, then the
application engine. Storage-level failures become messages people can act on."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from app import clock, file_ops, files, keyfile
from app.errors import (
    DatabaseInUse,
    DatabaseTooNew,
    EncryptionProfileError,
    FileBusy,
    NotAHavreDatabase,
    StorageError,
    UpgradeCopyNotVerified,
)
from app.services import backup
from db import engine as db_engine
from db import migrate


def sqlite_files(database: Path) -> tuple[Path, ...]:
    """What SQLite keeps beside a database while it is open."""
    return tuple(database.with_name(database.name + s) for s in ("-wal", "-shm", "-journal"))


def open_desk_database(database: Path, key: db_engine.KeySource, *, create: bool = False) -> Engine:
    """Migrate (after a verified copy when the schema is behind) and open the database."""

    def copy_before_upgrade(revision: str) -> Path:
        return keep_copy_before_upgrade(database, key, revision)

    if create and not database.exists():
        files.create_empty_file(database)
    # Each opening gives the files of the desk their folder's mode (app/files.py): a
    # restored or a re-keyed copy, made with the owner's mode, joins a shared desk too.
    for path in (database, *sqlite_files(database), keyfile.path_for(database)):
        files.fit_mode_to_folder(path)
    try:
        migrate.migrate(database, key, create=create, copy_before_upgrade=copy_before_upgrade)
        return db_engine.open_database(database, key)
    except (db_engine.DatabaseKeyError, migrate.NotHavreDatabaseError) as exc:
        raise NotAHavreDatabase(database) from exc
    except migrate.DatabaseTooNewError as exc:
        raise DatabaseTooNew(database) from exc
    except db_engine.CipherProfileError as exc:
        raise EncryptionProfileError(str(exc)) from exc
    except db_engine.DatabaseUnavailableError as exc:
        # Locked: another process has the desk open and writing (another account's Havre,
        # a command); otherwise a program holds the file itself (an antivirus).
        raise (DatabaseInUse(database) if exc.locked else FileBusy(database)) from exc


def upgrade_copies(database: Path) -> list[Path]:
    """The copies kept before upgrades of the desk at `database`, key files included."""
    return sorted(database.parent.glob(f"{database.name}.before-upgrade-*"))


def keep_copy_before_upgrade(database: Path, key: db_engine.KeySource, revision: str) -> Path:
    """A backup of the closed desk, with its key file, checked as every backup is before the
    upgrade may start: a newer Havre never changes a desk it could not give back. Returns the
    copy, a backup `havre restore` takes like any other."""
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    copy = database.with_name(f"{database.name}.before-upgrade-{revision}-{stamp}{backup.SUFFIX}")
    partial = copy.with_name(f".{copy.name}.partial")
    pairs = ((database, partial), (keyfile.path_for(database), keyfile.path_for(partial)))
    # Its name is known ahead: what is there was not made by this copy, and is deleted (a
    # link, not the file it names) so that the copy is made new.
    file_ops.discard(*(target for _source, target in pairs))
    try:
        for source, target in pairs:
            # With the folder's mode: a shared desk's copy is its group's too.
            files.copy_to_new_file(source, target)
        backup.verify_with_key(partial, bytes.fromhex(key.hex()))
        file_ops.replace_together(
            ((partial, copy), (keyfile.path_for(partial), keyfile.path_for(copy)))
        )
    except OSError as exc:
        raise StorageError(database.parent, exc.strerror or str(exc)) from exc
    except backup.BackupDamaged as exc:
        raise UpgradeCopyNotVerified(database, exc.reason) from exc
    finally:
        file_ops.discard(*(target for _source, target in pairs))
    return copy
