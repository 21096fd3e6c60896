"""What this Havre is made of: one list for the log at start, Help → About and crash reports."""

from __future__ import annotations

from app import __version__
from app.i18n import N_
from db.versions import library_versions

#: marked for translation; About shows the names through `_()`
SYSTEM = N_("System")


def versions() -> dict[str, str]:
    import platform  # on first use: the sign-in screen does not need it (start-up time)

    libraries = library_versions()
    return {
        "Havre": __version__,
        "Python": platform.python_version(),
        SYSTEM: platform.platform(terse=True),
        "SQLCipher": libraries["sqlcipher"],
        "SQLite": libraries["sqlite"],
    }
