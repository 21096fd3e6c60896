"""Writing files so that a crash or a full disk never leaves half a file behind."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

from app import file_ops
from app.errors import DeskFileLinked, StorageError


def atomic_write(path: Path, content: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`."""
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                # On the open file, not its name: in a shared folder another account
                # could put a link in its place in between.
                _set_mode(stream.fileno(), desk_file_mode(path.parent))
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            # Renaming over `path` replaces a link there, never the file it names.
            file_ops.replace(Path(temp_name), path)
        except BaseException:
            file_ops.discard(Path(temp_name))
            raise
    except OSError as exc:
        raise StorageError(path.parent, exc.strerror or str(exc)) from exc


# macOS (BSD) gives a new file its folder's group whatever the folder's setgid bit; Linux
# gives it the creator's primary group unless the folder has the bit, and that group may be
# everyone's ("users"): there a folder without it is not taken as shared.
FOLDERS_GIVE_THEIR_GROUP = sys.platform == "darwin"


def desk_file_mode(folder: Path) -> int:
    """The mode of a file Havre makes in `folder`: a file takes its folder's group
    permissions. A folder shared by a group (group read and write, and setgid where the
    system needs it: the shared desk the .deb or IT makes, mode 2770) gets files its group
    reads and writes (0660); any other folder gets files its owner alone reads (0600), as
    the umask of app/cli.py would. Windows uses the ACL files inherit from their folder
    (the MSI gives the group "Havre users" Modify on the shared folder), not this mode."""
    try:
        mode = folder.stat().st_mode
    except OSError:
        return 0o600
    gives_its_group = FOLDERS_GIVE_THEIR_GROUP or bool(mode & stat.S_ISGID)
    return 0o660 if gives_its_group and mode & 0o060 == 0o060 else 0o600


# Opening a link fails with these flags: another account of a shared desk's folder could
# make a file's name a link to a file of the account running Havre, to have it written,
# truncated, or given the folder's group permissions. (Windows has no such flag; there a
# link needs an administrator, and files take their folder's ACL.)
NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
BINARY = getattr(os, "O_BINARY", 0)


def fit_mode_to_folder(path: Path) -> None:
    """Give the file at `path` the mode of `desk_file_mode`, if it exists and is not so;
    a link is left alone, the file it names untouched."""
    if os.name != "posix":
        return
    wanted = desk_file_mode(path.parent)
    try:
        # Non-blocking: a pipe put at the name would otherwise hang the open.
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | NO_FOLLOW)
    except OSError:
        # Not there, a link, another account's file (its owner made it with the same
        # rule), or on a read-only medium (a backup being verified): it keeps its mode.
        return
    try:
        found = os.fstat(handle)
        # One name only: a file with another name elsewhere (a hard link) is not only
        # the desk's, and keeps its mode.
        ordinary = stat.S_ISREG(found.st_mode) and found.st_nlink == 1
        if ordinary and stat.S_IMODE(found.st_mode) != wanted:
            os.fchmod(handle, wanted)
    except OSError:
        return
    finally:
        os.close(handle)


def _set_mode(handle: int, mode: int) -> None:
    if os.name == "posix":
        os.fchmod(handle, mode)


def create_empty_file(path: Path) -> None:
    """An empty file with its folder's mode, for SQLite to fill: SQLite makes the WAL and
    SHM files with the mode of the database, so the database gets its mode first. Made new
    (not through a link, nor over a file there)."""
    try:
        os.close(_new_file(path))
    except OSError as exc:
        raise StorageError(path.parent, exc.strerror or str(exc)) from exc


def _new_file(path: Path) -> int:
    """An open handle on a new, empty file at `path` with its folder's mode: refused
    (FileExistsError) when anything is there, a link to anywhere included."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NO_FOLLOW | BINARY
    handle = os.open(path, flags, 0o600)
    try:
        _set_mode(handle, desk_file_mode(path.parent))
    except OSError:
        os.close(handle)
        raise
    return handle


COPY_CHUNK = 1024 * 1024


def copy_to_new_file(source: Path, target: Path) -> None:
    """Copy `source` into a new file `target` with its folder's mode, flushed to disk. The
    target is created here, exclusively: a file or a link another account put at its name
    beforehand makes it fail (FileExistsError) rather than be written through. The caller
    clears its own leftovers first (file_ops.discard deletes a link, not what it names)."""
    handle = _new_file(target)
    try:
        with os.fdopen(handle, "wb") as written, source.open("rb") as read:
            shutil.copyfileobj(read, written, COPY_CHUNK)
            written.flush()
            os.fsync(written.fileno())
    except BaseException:
        file_ops.discard(target)
        raise


def refuse_linked_desk_files(database: Path) -> None:
    """Raise DeskFileLinked when the database, or any file beside it named after it (its
    key file, SQLite's files, its lock, its sign-in attempts, the copies and staged files
    Havre writes there), is a link, symbolic or hard (a second name of a file elsewhere,
    which systems without Linux's protection let anyone make): Havre would read or write
    the file it names."""
    prefixes = (database.name, f".{database.name}")
    try:
        with os.scandir(database.parent) as found:
            entries = [entry for entry in found if entry.name.startswith(prefixes)]
    except OSError:
        return  # no folder yet, or not readable: the write check says so
    for entry in entries:
        if entry.is_symlink() or _names(entry) > 1:
            raise DeskFileLinked(Path(entry.path))


def _names(entry: os.DirEntry[str]) -> int:
    """How many names the file has (Windows' listing gives no count: 0)."""
    try:
        return entry.stat(follow_symlinks=False).st_nlink
    except OSError:
        return 0  # gone since the listing


def check_writable_folder(folder: Path) -> None:
    """Refuse early, with a clear message, a folder where Havre could not create its files."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise StorageError(folder, exc.strerror or str(exc)) from exc


def json_from_outside(data: bytes) -> Any:
    """The JSON in `data` (UTF-8), from a file that came from outside: any fault is a
    ValueError, brackets nested deeper than Python reads (a hostile file) included."""
    try:
        return json.loads(data.decode("utf-8"))
    except RecursionError:
        raise ValueError("nested too deep") from None


def read_json_document(path: Path, file_format: str, max_bytes: int) -> dict[str, Any] | None:
    """The JSON object in `path` whose "format" is `file_format`, or None for anything else
    (missing, unreadable, too big, not JSON, another kind of file): callers say why."""
    try:
        if path.stat().st_size > max_bytes:
            return None
        document = json_from_outside(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("format") != file_format:
        return None
    return document
