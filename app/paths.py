"""Where Havre finds its resources and keeps its files, installed, frozen or from source."""

from __future__ import annotations

from pathlib import Path

from app import APP_NAME

# What the build puts beside the code: an installed package (setup.py) and the frozen build
# (build.spec) both carry app/bundle/; the source tree keeps the same folders at its root.
_PACKAGED = Path(__file__).resolve().parent / "bundle"


def bundle_root() -> Path:
    """The folder holding translations/ (compiled catalogues, brochure texts) and resources/."""
    if _PACKAGED.is_dir():
        return _PACKAGED
    return Path(__file__).resolve().parent.parent  # the source tree: `make translations`


def translations_dir() -> Path:
    return bundle_root() / "translations"


def resources_dir() -> Path:
    return bundle_root() / "resources"


# The window icon, inside the bundle root (the window shows it, selfcheck checks it shipped).
WINDOW_ICON = Path("resources", "icons", "havre.svg")


def window_icon() -> Path:
    return bundle_root() / WINDOW_ICON


def default_data_dir() -> Path:
    """The platform's per-user data folder (local, never roaming: SQLite WAL needs a local disk)."""
    import platformdirs  # on first use: the sign-in screen does not need it (start-up time)

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def default_demo_dir() -> Path:
    """Where the set-up wizard puts each demo it makes, in a folder of its own."""
    return default_data_dir() / "demo"


def log_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
