"""One Havre per database: an operating-system lock on a file beside it.

The operating system releases the lock when the process ends, however it ends, so a crash
never leaves a stale lock behind.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from app.desk_places import Machine, refuse_unsafe
from app.errors import DatabaseInUse, DeskFileLinked, StorageError
from app.files import BINARY, NO_FOLLOW, fit_mode_to_folder


def path_for(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class DeskLock:
    def __init__(self, database: Path, machine: Machine | None = None) -> None:
        """`machine`: the facts already read by whoever found the desk (read here if None)."""
        self.database = database
        self.machine = machine
        self.path = path_for(database)
        self._stream: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._stream is not None

    def acquire(self) -> None:
        if self._stream is not None:
            return
        # Taken before the desk is opened, so the lock file is not made where it may not be.
        refuse_unsafe(self.database, self.machine)
        try:
            # Held open for the whole session: closing it releases the lock. Never through
            # a link another account of a shared desk's folder may have put at its name.
            handle = os.open(self.path, os.O_RDWR | os.O_CREAT | NO_FOLLOW | BINARY, 0o600)
        except OSError as exc:
            if self.path.is_symlink():
                raise DeskFileLinked(self.path) from exc
            raise StorageError(self.path.parent, exc.strerror or str(exc)) from exc
        stream = os.fdopen(handle, "r+b")
        # Another account of a shared desk opens the same lock file.
        fit_mode_to_folder(self.path)
        try:
            _lock(stream)
        except OSError:
            stream.close()
            raise DatabaseInUse(self.database) from None
        self._stream = stream

    def release(self) -> None:
        if self._stream is None:
            return
        stream, self._stream = self._stream, None
        try:
            _unlock(stream)
        finally:
            stream.close()

    def __enter__(self) -> DeskLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


if sys.platform == "win32":
    import msvcrt

    def _lock(stream: IO[bytes]) -> None:
        stream.seek(0)
        msvcrt.locking(stream.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(stream: IO[bytes]) -> None:
        stream.seek(0)
        msvcrt.locking(stream.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(stream: IO[bytes]) -> None:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(stream: IO[bytes]) -> None:
        fcntl.flock(stream.fileno(), fcntl.LOCK_UN)
