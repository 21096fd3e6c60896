"""Where Havre finds its resources and keeps its files, from source or a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path

from app import APP_NAME


def bundle_root() -> Path:
    """The folder holding app/, translations/, resources/ and db/migrations/."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def translations_dir() -> Path:
    return bundle_root() / "translations"


def resources_dir() -> Path:
    return bundle_root() / "resources"


def default_data_dir() -> Path:
    """The platform's per-user data folder (local, never roaming: SQLite WAL needs a local disk)."""
    import platformdirs  # on first use: the sign-in screen does not need it (start-up time)

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def default_database_path() -> Path:
    return default_data_dir() / "desk.havre"


def default_demo_database_path() -> Path:
    return default_data_dir() / "demo" / "demo.havre"


def log_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
