"""What the tests of codes unknown to this version share: the code a newer version wrote, and
what the log said of it."""

from __future__ import annotations

import logging

import pytest

NEWER = "added_in_2027"  # a code of a newer version, unknown to this one


def warned(caplog: pytest.LogCaptureFixture) -> str:
    """The warnings logged so far, one per line."""
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
