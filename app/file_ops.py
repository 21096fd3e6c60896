"""Renaming and deleting the desk's files and the files Havre writes, the one way that works
on Windows too.

Windows refuses to rename, rename over or delete a file another program holds open, and an
antivirus or an indexer opens a file for a moment just after it is written: each operation
here is tried again a few times, a little later each time, when it meets a file held
(PermissionError; WinError 5, 32 or 33), and then fails with a message that says so. A file
Havre itself holds open is never the cause: the services close the database, WAL folded in,
before they move it.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from app.errors import FileBusy, StorageError
from db.retries import Backoff

log = logging.getLogger(__name__)

# About three seconds in all: longer than an on-access scan of a freshly written file takes.
RETRIES = Backoff((0.05, 0.1, 0.2, 0.4, 0.8, 1.6))
# Access denied, sharing violation, lock violation: what Windows answers for a file held.
_HELD_WINERRORS = (5, 32, 33)


def held(exc: Exception) -> bool:
    """Whether `exc` is a file held by another program, which may pass."""
    return isinstance(exc, PermissionError) or getattr(exc, "winerror", None) in _HELD_WINERRORS


def replace(source: Path, target: Path) -> None:
    """Rename `source` to `target`, over it if it is there (one atomic step)."""

    def rename() -> None:
        source.replace(target)

    _attempt(rename, source)


def remove(path: Path) -> None:
    """Delete the file at `path`, if there is one."""

    def unlink() -> None:
        path.unlink(missing_ok=True)

    _attempt(unlink, path)


def replace_together(moves: Sequence[tuple[Path, Path]]) -> None:
    """Rename each source onto its target, all or none: a target already there is first set
    aside beside it, and deleted once every source is in place. When a rename fails for
    good, those done are undone, last first, and the failure is raised."""
    done: list[tuple[Path, Path]] = []
    set_aside: list[Path] = []
    try:
        for source, target in moves:
            if target.exists():
                aside = target.with_name(f".{target.name}.replaced")
                replace(target, aside)
                done.append((target, aside))
                set_aside.append(aside)
            replace(source, target)
            done.append((source, target))
    except (FileBusy, StorageError):
        for source, target in reversed(done):
            try:
                replace(target, source)
            except (FileBusy, StorageError):
                log.error("could not put %s back as %s", target, source)
        raise
    discard(*set_aside)


def discard(*paths: Path) -> None:
    """Delete what a failure or an earlier attempt left behind. One that stays held is
    logged, not raised: the failure being handled says what went wrong, and the next
    attempt deletes it."""
    for path in paths:
        try:
            remove(path)
        except (FileBusy, StorageError):
            log.warning("could not delete %s, left behind", path)


def discard_tree(folder: Path) -> None:
    """Delete the folder and all it holds, as `discard` does a file."""

    def remove_all() -> None:
        if folder.exists():
            shutil.rmtree(folder)

    try:
        _attempt(remove_all, folder)
    except (FileBusy, StorageError):
        log.warning("could not delete the folder %s, left behind", folder)


def _attempt(operation: Callable[[], None], path: Path) -> None:
    try:
        RETRIES.run(operation, held)
    except OSError as exc:
        if held(exc):
            raise FileBusy(path) from exc
        raise StorageError(path.parent, exc.strerror or str(exc)) from exc
