"""HiGHS, through SciPy's `milp`, kept quiet: some HiGHS builds print progress lines of
their own to the standard output, which the command line keeps for its results."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

from scipy.optimize import OptimizeResult, milp


def solve(*args: Any, **kwargs: Any) -> OptimizeResult:
    with _quiet_stdout():
        return milp(*args, **kwargs)


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    try:
        descriptor = sys.__stdout__.fileno() if sys.__stdout__ else -1
    except (OSError, ValueError):
        descriptor = -1  # no console (a windowed build): nothing to keep clean
    if descriptor < 0:
        yield
        return
    sys.__stdout__.flush()  # type: ignore[union-attr]
    saved = os.dup(descriptor)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), descriptor)
        yield
    finally:
        os.dup2(saved, descriptor)
        os.close(saved)
