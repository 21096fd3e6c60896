"""A rotating log file in the platform's log folder. It records ids, versions and events,
never case data, names or keys (SQLAlchemy runs with hide_parameters)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from app import paths
from app.versions import versions

LOG_FILE_NAME = "havre.log"


def setup_logging(folder: Path | None = None, *, console: bool = False) -> Path | None:
    """Log to `folder` (default: the platform log folder); returns the file, if any."""
    # Imported here: the GUI starts its log after the first screen is up (start-up time).
    import logging.handlers

    root = logging.getLogger()
    root.setLevel(logging.INFO)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    log_file: Path | None = None
    try:
        target = folder or paths.log_dir()
        target.mkdir(parents=True, exist_ok=True)
        log_file = target / LOG_FILE_NAME
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        # A read-only profile must not stop the desk from working; log to stderr instead.
        handler = logging.StreamHandler(sys.stderr)
        log_file = None
    handler.setFormatter(formatter)
    root.addHandler(handler)
    if console and not isinstance(handler, logging.StreamHandler):
        stream = logging.StreamHandler(sys.stderr)
        stream.setLevel(logging.WARNING)
        stream.setFormatter(formatter)
        root.addHandler(stream)
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    return log_file


def log_versions(extra: dict[str, str] | None = None) -> None:
    every = {**versions(), **(extra or {})}
    logging.getLogger("havre").info(
        "start: %s", ", ".join(f"{name} {value}" for name, value in every.items())
    )
