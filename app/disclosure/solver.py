"""HiGHS, through SciPy's `milp`, kept quiet: some HiGHS builds print progress lines of
their own to the standard output, which the command line keeps for its results. HiGHS lets
go of Python while it solves, so blocks are protected on several threads at once: the
standard output is silenced while any of them solves and given back when the last is done.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

from scipy.optimize import OptimizeResult, milp

_lock = threading.Lock()
_solving = 0
_saved = -1


def solve(*args: Any, **kwargs: Any) -> OptimizeResult:
    with _quiet_stdout():
        return milp(*args, **kwargs)


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    global _solving, _saved
    with _lock:
        if _solving == 0:
            _saved = _silence()
        _solving += 1
    try:
        yield
    finally:
        with _lock:
            _solving -= 1
            if _solving == 0 and _saved >= 0:
                os.dup2(_saved, sys.__stdout__.fileno())  # type: ignore[union-attr]
                os.close(_saved)
                _saved = -1


def _silence() -> int:
    """Points the standard output at the null device; returns a copy of what it was, or -1
    when there is no console (a windowed build): nothing to keep clean."""
    try:
        descriptor = sys.__stdout__.fileno() if sys.__stdout__ else -1
    except (OSError, ValueError):
        descriptor = -1
    if descriptor < 0:
        return -1
    sys.__stdout__.flush()  # type: ignore[union-attr]
    saved = os.dup(descriptor)
    with open(os.devnull, "wb") as null:
        os.dup2(null.fileno(), descriptor)
    return saved
