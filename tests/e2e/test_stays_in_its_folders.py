"""The suite writes nothing outside its temporary folders: the user's home, settings, data
and logs stay as they were, whatever the tests and the processes they start do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings

from app import paths
from app.logging_setup import LOG_FILE_NAME
from tests.conftest import REAL_HOME, SANDBOX, clock_env
from ui.settings import UiSettings

ROOT = Path(__file__).resolve().parents[2]


def _inside(path: Path | str, folder: Path | str) -> bool:
    return Path(path).resolve().is_relative_to(Path(folder).resolve())


def _state(folder: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under `folder` (nothing if it is absent)."""
    if not folder.is_dir():
        return {}
    return {
        str(path): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_the_users_folders_are_the_tests_own() -> None:
    """Data, logs, Qt settings and the home folder all lie in the suite's temporary folder."""
    assert not _inside(SANDBOX, REAL_HOME)
    for folder in (paths.default_data_dir(), paths.log_dir(), Path.home()):
        assert _inside(folder, SANDBOX), folder
    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Havre", "Havre")
    assert _inside(settings.fileName(), SANDBOX), settings.fileName()


def test_a_command_and_the_ui_settings_leave_the_real_home_untouched(tmp_path: Path) -> None:
    real = [Path(REAL_HOME) / part for part in (".local/state/Havre", ".config/Havre")]
    before = [_state(folder) for folder in real]
    init = subprocess.run(
        [sys.executable, "-m", "app", "init", "--db", str(tmp_path / "desk.havre"),
         "--desk-name", "Permanence", "--desk-code", "SG", "--nis", "21013",
         "--admin", "admin", "--password-stdin"],
        cwd=ROOT, input="blue harbour lantern 42\n", capture_output=True, text=True,
        timeout=120, env=clock_env(),
    )  # fmt: skip
    assert init.returncode == 0, init.stderr
    settings = UiSettings()
    settings.language = "nl"
    # The command logged, and the settings were written: in the tests' own folders.
    assert (paths.log_dir() / LOG_FILE_NAME).is_file()
    assert _inside(os.environ["XDG_STATE_HOME"], SANDBOX)
    assert [_state(folder) for folder in real] == before
