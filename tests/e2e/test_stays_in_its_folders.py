"""The suite writes nothing outside its temporary folders: the user's home, settings, data
and logs stay as they were, whatever the tests and the processes they start do. Each test
here checks one process; tests/conftest.py checks the whole run at its end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from app import desk_places, machine_facts, paths
from app.logging_setup import LOG_FILE_NAME
from tests.conftest import REAL_HOME, SANDBOX, USERS_HAVRE_FOLDERS, clock_env, files_under
from ui.settings import UiSettings

ROOT = Path(__file__).resolve().parents[2]


def _inside(path: Path | str, folder: Path | str) -> bool:
    return Path(path).resolve().is_relative_to(Path(folder).resolve())


def test_the_users_folders_are_known_and_not_the_tests() -> None:
    """Recorded before the run moved them, even in an xdist worker."""
    assert os.path.expanduser("~") != REAL_HOME
    assert not _inside(REAL_HOME, SANDBOX)
    # Data, logs, settings, caches, and the folder a desk shared by the PC's accounts uses.
    assert len(USERS_HAVRE_FOLDERS) == 5
    assert all(not _inside(folder, SANDBOX) for folder in USERS_HAVRE_FOLDERS)


def test_the_tests_folders_are_their_own() -> None:
    """Data, logs, Qt settings and the home folder all lie in the suite's temporary folder."""
    shared = desk_places.shared_folder_of(machine_facts.this_system(), os.environ)
    for folder in (paths.default_data_dir(), paths.log_dir(), Path.home(), shared):
        assert _inside(folder, SANDBOX), folder
    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Havre", "Havre")
    assert _inside(settings.fileName(), SANDBOX), settings.fileName()


@pytest.mark.slow
def test_a_command_and_the_ui_settings_leave_the_users_folders_untouched(
    tmp_path: Path,
) -> None:
    before = files_under(USERS_HAVRE_FOLDERS)
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
    assert files_under(USERS_HAVRE_FOLDERS) == before
