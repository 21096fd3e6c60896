"""Files that refuse as Windows does, on Linux: a file open in this process cannot be
renamed, renamed over or deleted, and a folder cannot be renamed or removed while a file in
it is open (SQLite opens its database, WAL and shared memory without FILE_SHARE_DELETE, so
Windows answers WinError 32, a sharing violation, which Python raises as PermissionError).

Written apart from Havre's file layer (app/file_ops.py), which it judges: it patches the
operating system's calls under every module, and finds what is open by looking in
/proc/self/fd. Used by tests/unit/test_windows_file_semantics.py, and as a plugin that
puts a whole test module under Windows' rules:

    pytest -p tests.windows_files tests/unit/test_backup.py
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SHARING_VIOLATION = 32  # WinError 32: the file is being used by another process


def open_files() -> set[Path]:
    """The regular files this process holds open."""
    held = set()
    for entry in os.listdir("/proc/self/fd"):
        link = f"/proc/self/fd/{entry}"
        try:
            if stat.S_ISREG(os.stat(link).st_mode):
                held.add(Path(os.readlink(link)))
        except OSError:  # closed between the listing and the look
            continue
    return held


def _absolute(path: Any, dir_fd: int | None) -> Path:
    if dir_fd is not None:  # shutil.rmtree names files relative to an open folder
        return Path(os.readlink(f"/proc/self/fd/{dir_fd}")) / os.fsdecode(path)
    return Path(os.path.abspath(os.fsdecode(path)))


class WindowsFiles:
    """The patched calls, and the refusals they made (each a path), for the tests to see."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Windows' rules from now until `monkeypatch` undoes them (the test's end)."""
        self.refused: list[Path] = []
        for name in ("replace", "rename"):
            monkeypatch.setattr(os, name, self._moving(getattr(os, name)))
        for name in ("unlink", "remove", "rmdir"):
            monkeypatch.setattr(os, name, self._removing(getattr(os, name)))

    def check(self, *paths: Path) -> None:
        held = open_files()
        for path in paths:
            if any(open_path == path or path in open_path.parents for open_path in held):
                self.refused.append(path)
                raise PermissionError(
                    13,
                    "The process cannot access the file because it is being used by another "
                    f"process (WinError {SHARING_VIOLATION})",
                    str(path),
                )

    def _moving(self, real: Callable[..., None]) -> Callable[..., None]:
        def move(
            source: Any,
            target: Any,
            *,
            src_dir_fd: int | None = None,
            dst_dir_fd: int | None = None,
        ) -> None:
            self.check(_absolute(source, src_dir_fd), _absolute(target, dst_dir_fd))
            real(source, target, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)

        return move

    def _removing(self, real: Callable[..., None]) -> Callable[..., None]:
        def remove(path: Any, *, dir_fd: int | None = None) -> None:
            self.check(_absolute(path, dir_fd))
            real(path, dir_fd=dir_fd)

        return remove


@pytest.fixture(autouse=True)
def _windows_rules_everywhere(monkeypatch: pytest.MonkeyPatch) -> WindowsFiles:
    """As a plugin (`-p tests.windows_files`): every test of the run under Windows' rules."""
    return WindowsFiles(monkeypatch)
