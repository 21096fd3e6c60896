"""Putting a re-keyed database and its key file in place of the old pair, so that a crash at
any moment leaves a pair that opens.

The rotation first writes both new files beside the desk (`<desk>.rotating` and its key
file), then renames the database over the old one, then the key file. Two renames cannot be
one atomic step, so the next open looks at what is left:
- the new database is still staged: the swap never started, the old pair is whole, and the
  staged files are deleted;
- only the new key file is staged: the database was swapped, so its key file follows.

No primitive and no format here, only the order of the renames, shared by the sign-in (which
finishes an interrupted swap first) and the rotation: the key file's format and path are
app/keyfile.py's.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from app import file_ops, keyfile

log = logging.getLogger(__name__)


def staged_database(database: Path) -> Path:
    return database.with_name(database.name + ".rotating")


def staged_key_file(database: Path) -> Path:
    return keyfile.path_for(staged_database(database))


def swap_in(database: Path) -> None:
    """Rename the staged pair into place: the database first, then its key file. The old
    database must be closed, its WAL folded in: a WAL left beside the new file would be
    replayed into it."""
    for leftover in (_sidecar(database, "-wal"), _sidecar(database, "-shm")):
        file_ops.remove(leftover)
    file_ops.replace(staged_database(database), database)
    file_ops.replace(staged_key_file(database), keyfile.path_for(database))


def finish_interrupted(database: Path) -> None:
    """Complete or undo a swap a crash interrupted (see the module's note). What is staged
    is looked at without following links: a staged name that is a link (another account
    of a shared desk's folder made it) is deleted, never put in place."""
    staged, staged_keys = staged_database(database), staged_key_file(database)
    if os.path.lexists(staged):
        log.warning("a key rotation was interrupted before the swap: the old key stays")
        clear_staged(database)
    elif staged_keys.is_symlink():
        log.warning("a staged key file is a link, not Havre's: deleted")
        file_ops.discard(staged_keys)
    elif staged_keys.exists():
        log.warning("a key rotation was interrupted during the swap: finishing it")
        file_ops.replace(staged_keys, keyfile.path_for(database))


def clear_staged(database: Path) -> None:
    """Delete every staged file, SQLite's beside the staged database included, before a
    rotation writes them anew or after it failed: each is made new, never written through
    a name someone else made."""
    staged = staged_database(database)
    sidecars = (_sidecar(staged, suffix) for suffix in ("-wal", "-shm", "-journal"))
    file_ops.discard(staged, *sidecars, staged_key_file(database))


def _sidecar(database: Path, suffix: str) -> Path:
    return database.with_name(database.name + suffix)
